import type { LossKind } from '../nn/spec.ts';
import { encodeDispatches, type Dispatch } from './kernel.ts';
import type { GatherKernel } from './kernels/gather.ts';
import { METRICS_SLOT_FLOATS, type LossKernel, type LossMode } from './kernels/loss.ts';
import { stateLayout, STATE_HEADER_WORDS } from './kernels/state.ts';
import type { StagingPool } from './staging.ts';

/** What an evaluation pass shares with training: the forward dispatches and their buffers. */
export interface EvalContext {
  device: GPUDevice;
  kind: LossKind;
  models: number;
  capacity: number;
  inputSize: number;
  outputSize: number;
  targetWidth: number;
  /** Entries per model in the class-weight table. */
  classes: number;
  forward: Dispatch[];
  input: GPUBuffer;
  logits: GPUBuffer;
  targets: GPUBuffer;
  classWeights: GPUBuffer;
  gather: GatherKernel;
  loss: LossKernel;
  staging: StagingPool;
  /** Awaits a readback with the owner's failure handling. */
  guard: <T>(work: Promise<T>) => Promise<T>;
}

/** Summed metrics and head outputs of one model's evaluation. */
export interface EvalTotals {
  lossSum: number;
  correct: number;
  outputs: Float32Array;
}

/**
 * Runs forward passes of every model over its own rows in chunks of the capacity, all in one
 * command buffer and one readback: each model's loss workgroup advances its own slot, so chunk
 * s reads indices and writes outputs at slot s. Buffers grow to the largest request and are
 * reused.
 */
export class EvalRunner {
  private slots = 0;
  private buffers: GPUBuffer[] = [];
  private indices!: GPUBuffer;
  private state!: GPUBuffer;
  private metrics!: GPUBuffer;
  private out!: GPUBuffer;
  private dispatches: Dispatch[] = [];

  constructor(
    private readonly c: EvalContext,
    private readonly mode: Extract<LossMode, 'eval' | 'predict'>,
    private source: GPUBuffer,
    /** Floats between two models' copies of the source rows; 0 when they share them. */
    private srcModelStride: number,
  ) {}

  /** Points the gather at another source buffer shared by all models (predict's uploaded rows). */
  setSource(source: GPUBuffer): void {
    if (source !== this.source) {
      this.source = source;
      this.srcModelStride = 0;
      this.slots = 0;
    }
  }

  /** Forward pass of model z over source rows `indices[z]`; outputs in index order. */
  async run(indices: readonly Uint32Array[]): Promise<EvalTotals[]> {
    const { device, capacity: cap, outputSize, models } = this.c;
    if (indices.length !== models) throw new Error(`evaluation needs a row list per model (${models}), got ${indices.length}`);
    const longest = Math.max(...indices.map((rows) => rows.length));
    const slots = Math.max(1, Math.ceil(longest / cap));
    this.ensure(slots);
    const { stateStride } = stateLayout(this.slots);
    const padded = new Uint32Array(models * this.slots * cap);
    const state = new Uint32Array(models * stateStride);
    indices.forEach((rows, z) => {
      padded.set(rows, z * this.slots * cap);
      for (let s = 0; s < slots; s++) state[z * stateStride + STATE_HEADER_WORDS + s] = Math.max(0, Math.min(cap, rows.length - s * cap));
    });
    device.queue.writeBuffer(this.indices, 0, padded);
    device.queue.writeBuffer(this.state, 0, state);
    const encoder = device.createCommandEncoder({ label: `${this.mode} pass` });
    const pass = encoder.beginComputePass({ label: `${this.mode} pass` });
    for (let s = 0; s < slots; s++) encodeDispatches(pass, this.dispatches);
    pass.end();
    const metricsBytes = models * this.slots * METRICS_SLOT_FLOATS * 4;
    const outBytes = models * this.slots * cap * outputSize * 4;
    const bytes = await this.c.guard(
      this.c.staging.read(
        [
          { buffer: this.metrics, size: metricsBytes },
          { buffer: this.out, size: outBytes },
        ],
        encoder,
      ),
    );
    const metrics = new Float32Array(bytes, 0, models * this.slots * METRICS_SLOT_FLOATS);
    return indices.map((rows, z) => {
      let lossSum = 0;
      let correct = 0;
      for (let s = 0; s < slots; s++) {
        lossSum += metrics[(z * this.slots + s) * METRICS_SLOT_FLOATS]!;
        correct += metrics[(z * this.slots + s) * METRICS_SLOT_FLOATS + 1]!;
      }
      const start = metricsBytes + z * this.slots * cap * outputSize * 4;
      return { lossSum, correct, outputs: new Float32Array(bytes.slice(start, start + rows.length * outputSize * 4)) };
    });
  }

  private ensure(slots: number): void {
    if (slots <= this.slots) return;
    this.destroy();
    const { device, capacity: cap, outputSize, models } = this.c;
    const make = (label: string, size: number, usage: number) => {
      const b = device.createBuffer({ label: `${this.mode} ${label}`, size: Math.max(16, size), usage });
      this.buffers.push(b);
      return b;
    };
    const [S, D, SRC] = [GPUBufferUsage.STORAGE, GPUBufferUsage.COPY_DST, GPUBufferUsage.COPY_SRC];
    const layout = stateLayout(slots);
    this.indices = make('indices', models * slots * cap * 4, S | D);
    this.state = make('state', models * layout.stateStride * 4, S | D);
    this.metrics = make('metrics', models * slots * METRICS_SLOT_FLOATS * 4, S | SRC);
    this.out = make('outputs', models * slots * cap * outputSize * 4, S | SRC);
    const c = this.c;
    const gather = c.gather.dispatch(
      `${this.mode} input`,
      { ...layout, capacity: cap, width: c.inputSize, models, srcModelStride: this.srcModelStride },
      {
        src: this.source,
        indices: this.indices,
        state: this.state,
        out: c.input,
      },
    );
    const loss = c.loss.dispatch(
      `${this.mode} outputs`,
      c.kind,
      { ...layout, capacity: cap, width: outputSize, targetWidth: c.targetWidth, mode: this.mode, models, classes: c.classes },
      {
        logits: c.logits,
        targets: c.targets,
        indices: this.indices,
        weights: c.classWeights,
        out: this.out,
        metrics: this.metrics,
        state: this.state,
      },
    );
    this.buffers.push(gather.uniform, loss.uniform);
    this.dispatches = [gather.dispatch, ...c.forward, loss.dispatch];
    this.slots = slots;
  }

  /** Bytes of GPU memory the runner holds now. */
  bytes(): number {
    return this.buffers.reduce((sum, b) => sum + b.size, 0);
  }

  /** Destroys the runner's buffers. */
  destroy(): void {
    for (const b of this.buffers) b.destroy();
    this.buffers = [];
    this.slots = 0;
  }
}
