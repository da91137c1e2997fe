import type { ValidationScore } from '../train/training-backend.ts';
import type { GpuBuffers } from './gpu-buffers.ts';
import { encodeDispatches, type Dispatch } from './kernel.ts';
import type { GatherKernel } from './kernels/gather.ts';
import { METRICS_SLOT_FLOATS, type LossKernel } from './kernels/loss.ts';
import { stateLayout, STATE_HEADER_WORDS, type StateLayout } from './kernels/state.ts';
import { buildForward, type DenseStack } from './network.ts';
import { EVAL_CAPACITY, MAX_STEPS_PER_SUBMIT } from './plan.ts';
import type { LossKind } from '../nn/spec.ts';

/** What the validation passes share with the training step. */
export interface ValidationContext {
  device: GPUDevice;
  stack: DenseStack;
  kind: LossKind;
  inputSize: number;
  outputSize: number;
  targetWidth: number;
  classes: number;
  features: GPUBuffer;
  /** Floats between two models' copies of the features (0 when shared). */
  srcModelStride: number;
  targets: GPUBuffer;
  weights: GPUBuffer;
  gather: GatherKernel;
  loss: LossKernel;
}

/**
 * Scores every model on its own validation rows inside a training submit, right after the step
 * that ends its epoch, so an epoch needs no submit or readback of its own. Up to one pass per
 * step of a submit; a pass is `chunks` forward passes of the validation rows (the loss kernel in
 * score mode: loss and correct count, no outputs), and a model that does not validate in a pass
 * has 0 rows there. Its metrics are read back with the step metrics.
 */
export class ValidationPasses {
  readonly chunks: number;
  readonly capacity: number;
  readonly metrics: GPUBuffer;
  private readonly state: GPUBuffer;
  private readonly layout: StateLayout;
  private readonly dispatches: Dispatch[];

  constructor(
    private readonly c: ValidationContext,
    private readonly lists: readonly Uint32Array[],
    mem: GpuBuffers,
  ) {
    const models = lists.length;
    const longest = Math.max(1, ...lists.map((l) => l.length));
    // One chunk when the rows fit: the same chunks as an evaluation, so the scores are the same bits.
    this.capacity = Math.min(EVAL_CAPACITY, Math.ceil(longest / 16) * 16);
    this.chunks = Math.ceil(longest / this.capacity);
    const slots = MAX_STEPS_PER_SUBMIT * this.chunks;
    this.layout = stateLayout(slots);
    const [S, DST, SRC] = [GPUBufferUsage.STORAGE, GPUBufferUsage.COPY_DST, GPUBufferUsage.COPY_SRC];
    const indices = new Uint32Array(models * slots * this.capacity);
    lists.forEach((rows, z) => {
      for (let p = 0; p < MAX_STEPS_PER_SUBMIT; p++) indices.set(rows, (z * slots + p * this.chunks) * this.capacity);
    });
    const indexBuffer = mem.create('validation indices', indices.byteLength, S | DST, indices);
    this.state = mem.create('validation state', models * this.layout.stateStride * 4, S | DST);
    this.metrics = mem.create('validation metrics', models * slots * METRICS_SLOT_FLOATS * 4, S | SRC);
    const widths = [c.inputSize, ...c.stack.layers.map((l) => l.units)];
    const acts = widths.map((w, i) => mem.create(`validation activations ${i}`, models * this.capacity * w * 4, S));
    const forward = buildForward(c.stack, this.capacity, acts, 'validation');
    forward.uniforms.forEach((u) => mem.adopt(u));
    const gather = c.gather.dispatch(
      'validation input',
      { ...this.layout, capacity: this.capacity, width: c.inputSize, models, srcModelStride: c.srcModelStride },
      {
        src: c.features,
        indices: indexBuffer,
        state: this.state,
        out: acts[0]!,
      },
    );
    const shape = {
      ...this.layout,
      capacity: this.capacity,
      width: c.outputSize,
      targetWidth: c.targetWidth,
      mode: 'score' as const,
      models,
      classes: c.classes,
    };
    // Score mode writes no outputs; the binding still needs a buffer of its own.
    const unused = mem.create('validation outputs (unused)', 16, S);
    const loss = c.loss.dispatch('validation score', c.kind, shape, {
      logits: acts[acts.length - 1]!,
      targets: c.targets,
      indices: indexBuffer,
      weights: c.weights,
      out: unused,
      metrics: this.metrics,
      state: this.state,
    });
    mem.adopt(gather.uniform);
    mem.adopt(loss.uniform);
    this.dispatches = [gather.dispatch, ...forward.dispatches, loss.dispatch];
  }

  /** Bytes of the metrics of `passes` passes of every model, as laid out [models, slots]. */
  get metricsBytes(): number {
    return this.lists.length * this.layout.slots * METRICS_SLOT_FLOATS * 4;
  }

  /**
   * Writes the row counts of a submit: pass p validates the models with `who[p][z]` set. Queue
   * order puts this before the submit that encodes the passes.
   */
  prepare(who: readonly Uint8Array[]): void {
    const words = new Uint32Array(this.lists.length * this.layout.stateStride);
    this.lists.forEach((rows, z) => {
      who.forEach((models, p) => {
        if (!models[z]) return;
        for (let k = 0; k < this.chunks; k++)
          words[z * this.layout.stateStride + STATE_HEADER_WORDS + p * this.chunks + k] = Math.max(0, Math.min(this.capacity, rows.length - k * this.capacity));
      });
    });
    this.c.device.queue.writeBuffer(this.state, 0, words);
  }

  /** Records one validation pass (the next in this submit) into the training compute pass. */
  encode(pass: GPUComputePassEncoder): void {
    for (let k = 0; k < this.chunks; k++) encodeDispatches(pass, this.dispatches);
  }

  /** Model z's score in pass p from the read-back metrics. */
  score(metrics: Float32Array, z: number, p: number): ValidationScore {
    let loss = 0;
    let correct = 0;
    for (let k = 0; k < this.chunks; k++) {
      const o = (z * this.layout.slots + p * this.chunks + k) * METRICS_SLOT_FLOATS;
      loss += metrics[o]!;
      correct += metrics[o + 1]!;
    }
    const rows = this.lists[z]!.length;
    return { loss: rows ? loss / rows : NaN, correct, rows };
  }
}
