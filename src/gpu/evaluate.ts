import type { LossKind } from '../nn/spec.ts';
import { encodeDispatches, type Dispatch } from './kernel.ts';
import type { GatherKernel } from './kernels/gather.ts';
import { METRICS_SLOT_FLOATS, STATE_HEADER_WORDS, type LossKernel, type LossMode } from './kernels/loss.ts';
import type { StagingPool } from './staging.ts';

/** What an evaluation pass shares with training: the forward dispatches and their buffers. */
export interface EvalContext {
  device: GPUDevice;
  kind: LossKind;
  capacity: number;
  inputSize: number;
  outputSize: number;
  targetWidth: number;
  forward: Dispatch[];
  input: GPUBuffer;
  logits: GPUBuffer;
  targets: GPUBuffer;
  classWeights: GPUBuffer;
  gather: GatherKernel;
  loss: LossKernel;
  staging: StagingPool;
}

/** Summed metrics and head outputs of one evaluation. */
export interface EvalTotals {
  lossSum: number;
  correct: number;
  outputs: Float32Array;
}

/**
 * Runs forward passes over any number of rows in chunks of the batch capacity, all in one
 * command buffer and one readback: the loss kernel advances its own slot, so chunk s reads
 * indices and writes outputs at slot s. Buffers grow to the largest request and are reused.
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
    private readonly mode: LossMode,
    private source: GPUBuffer,
  ) {}

  /** Points the gather at another source buffer (used by predict for uploaded rows). */
  setSource(source: GPUBuffer): void {
    if (source !== this.source) {
      this.source = source;
      this.slots = 0;
    }
  }

  /** Forward pass over source rows `indices`; outputs in index order. */
  async run(indices: Uint32Array): Promise<EvalTotals> {
    const { device, capacity, outputSize } = this.c;
    const rows = indices.length;
    const slots = Math.max(1, Math.ceil(rows / capacity));
    this.ensure(slots);
    const padded = new Uint32Array(slots * capacity);
    padded.set(indices);
    const state = new Uint32Array(STATE_HEADER_WORDS + slots);
    for (let s = 0; s < slots; s++) state[STATE_HEADER_WORDS + s] = Math.min(capacity, rows - s * capacity);
    device.queue.writeBuffer(this.indices, 0, padded);
    device.queue.writeBuffer(this.state, 0, state);
    const encoder = device.createCommandEncoder({ label: `${this.mode} pass` });
    const pass = encoder.beginComputePass({ label: `${this.mode} pass` });
    for (let s = 0; s < slots; s++) encodeDispatches(pass, this.dispatches);
    pass.end();
    const metricsBytes = slots * METRICS_SLOT_FLOATS * 4;
    const outBytes = rows * outputSize * 4;
    const bytes = await this.c.staging.read(
      [
        { buffer: this.metrics, size: metricsBytes },
        { buffer: this.out, size: outBytes },
      ],
      encoder,
    );
    const metrics = new Float32Array(bytes, 0, slots * METRICS_SLOT_FLOATS);
    let lossSum = 0;
    let correct = 0;
    for (let s = 0; s < slots; s++) {
      lossSum += metrics[s * METRICS_SLOT_FLOATS]!;
      correct += metrics[s * METRICS_SLOT_FLOATS + 1]!;
    }
    return { lossSum, correct, outputs: new Float32Array(bytes.slice(metricsBytes, metricsBytes + outBytes)) };
  }

  private ensure(slots: number): void {
    if (slots <= this.slots) return;
    this.destroy();
    const { device, capacity, outputSize } = this.c;
    const make = (label: string, size: number, usage: number) => {
      const b = device.createBuffer({ label: `${this.mode} ${label}`, size: Math.max(16, size), usage });
      this.buffers.push(b);
      return b;
    };
    const S = GPUBufferUsage.STORAGE;
    const D = GPUBufferUsage.COPY_DST;
    this.indices = make('indices', slots * capacity * 4, S | D);
    this.state = make('state', (STATE_HEADER_WORDS + slots) * 4, S | D);
    this.metrics = make('metrics', slots * METRICS_SLOT_FLOATS * 4, S | GPUBufferUsage.COPY_SRC);
    this.out = make('outputs', slots * capacity * outputSize * 4, S | GPUBufferUsage.COPY_SRC);
    const c = this.c;
    const gather = c.gather.dispatch(`${this.mode} input`, capacity, c.inputSize, this.source, this.indices, this.state, c.input);
    const loss = c.loss.dispatch(`${this.mode} outputs`, c.kind, { capacity, width: outputSize, targetWidth: c.targetWidth, mode: this.mode }, {
      logits: c.logits,
      targets: c.targets,
      indices: this.indices,
      classWeights: c.classWeights,
      out: this.out,
      metrics: this.metrics,
      state: this.state,
    });
    this.buffers.push(gather.uniform, loss.uniform);
    this.dispatches = [gather.dispatch, ...c.forward, loss.dispatch];
    this.slots = slots;
  }

  /** Destroys the runner's buffers. */
  destroy(): void {
    for (const b of this.buffers) b.destroy();
    this.buffers = [];
    this.slots = 0;
  }
}
