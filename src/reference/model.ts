import { augmentBatch, type AugmentSetup } from '../data/augment.ts';
import type { TensorDataset } from '../data/dataset.ts';
import { arenaLayout, type ArenaLayout } from '../nn/arena.ts';
import type { OptimizerConfig } from '../nn/optimizer.ts';
import { denseLayers, type ModelSpec } from '../nn/spec.ts';
import type { ModelSetup } from '../train/training-backend.ts';
import { gatherRows, lossForward } from './loss.ts';
import { optimizerState, optimizerStep, type OptimizerState } from './optimizer.ts';
import { stackBackward, stackForward } from './stack.ts';

/** Rows per forward chunk of an evaluation, between which the reference yields. */
export const EVAL_CHUNK_ROWS = 256;

/** Loss sum, correct count and outputs of a forward pass over some rows. */
export interface ForwardTotals {
  lossSum: number;
  correct: number;
  outputs: Float32Array;
}

/**
 * One model of the float64 reference: its parameters, optimizer state and settings, and the
 * straight loops that are the spec of every kernel. Synchronous: the batch backend around it
 * decides when to yield.
 */
export class ReferenceModel {
  readonly layout: ArenaLayout;
  private readonly layers;
  /** The live float64 parameter arena; gradient checks perturb it in place. */
  params: Float64Array;
  state: OptimizerState;
  optimizer: OptimizerConfig;

  constructor(
    private readonly spec: ModelSpec,
    private readonly data: TensorDataset,
    private readonly setup: ModelSetup,
    private readonly augment: AugmentSetup | null,
  ) {
    this.layout = arenaLayout(spec);
    this.layers = denseLayers(spec);
    this.params = Float64Array.from(setup.params);
    this.state = optimizerState(this.layout.totalFloats);
    this.optimizer = { ...setup.optimizer };
  }

  /** The features this model trains on (its own standardized copy, or the shared one). */
  private get features(): Float32Array {
    return this.setup.features ?? this.data.features;
  }

  /** Layer outputs for a batch: outputs[0] is the input, outputs[L] the logits. */
  forward(x: Float64Array, rows: number): Float64Array[] {
    return stackForward(this.layers, this.layout, this.params, x, rows);
  }

  /** Gradient arena of the mean (class- and row-weighted) loss over `indices` and the loss result itself. */
  gradients(indices: ArrayLike<number>, rows: number): { grads: Float64Array; lossSum: number; correct: number } {
    const { data, spec, setup } = this;
    const gathered = gatherRows(this.features, data.inputSize, indices, rows);
    const augment = this.augment ? { ...this.augment, seed: setup.seeds.augment } : null;
    const x = augment ? augmentBatch(gathered, rows, data.inputSize, augment, this.state.t) : gathered;
    const targets = gatherRows(data.targets, data.targetWidth, indices, rows);
    const rates = setup.dropout;
    const dropout = rates?.some((p) => p > 0) ? { rates, seed: setup.seeds.dropout, step: this.state.t } : null;
    const outs = stackForward(this.layers, this.layout, this.params, x, rows, dropout);
    const rowWeights = setup.rowWeights ? gatherRows(setup.rowWeights, 1, indices, rows) : null;
    const loss = lossForward(spec.loss, outs[outs.length - 1]!, targets, rows, spec.outputSize, setup.classWeights, rowWeights);
    const { grads } = stackBackward(this.layers, this.layout, this.params, outs, loss.grad, rows, null, dropout);
    return { grads, lossSum: loss.lossSum, correct: loss.correct };
  }

  /** One training step on `rows` rows; `learningRate` overrides the configured rate (a schedule). */
  trainStep(indices: ArrayLike<number>, rows: number, learningRate?: number): { lossSum: number; correct: number } {
    const { grads, lossSum, correct } = this.gradients(indices, rows);
    const cfg = learningRate === undefined ? this.optimizer : { ...this.optimizer, learningRate };
    optimizerStep(cfg, this.params, grads, this.state, this.layout.weightsEnd);
    return { lossSum, correct };
  }

  /** Forward pass and loss over dataset rows `indices[start .. start + count)`. */
  evaluateChunk(indices: Uint32Array, start: number, count: number): ForwardTotals {
    const { data } = this;
    const part = indices.subarray(start, start + count);
    const x = gatherRows(this.features, data.inputSize, part);
    const targets = gatherRows(data.targets, data.targetWidth, part);
    return this.score(x, targets, count, this.setup.classWeights);
  }

  /** Head outputs for raw feature rows `start .. start + count)` of `features`. */
  predictChunk(features: Float32Array, start: number, count: number): Float32Array {
    const width = this.spec.inputSize;
    const x = Float64Array.from(features.subarray(start * width, (start + count) * width));
    const targetWidth = this.spec.loss === 'mse' ? this.spec.outputSize : 1;
    return this.score(x, new Float64Array(count * targetWidth), count, null).outputs;
  }

  private score(x: Float64Array, targets: Float64Array, count: number, weights: ArrayLike<number> | null): ForwardTotals {
    const outs = this.forward(x, count);
    const loss = lossForward(this.spec.loss, outs[outs.length - 1]!, targets, count, this.spec.outputSize, weights);
    return { lossSum: loss.lossSum, correct: loss.correct, outputs: Float32Array.from(loss.outputs) };
  }

  /** Replaces the parameters and restarts the optimizer state. */
  load(params: Float32Array): void {
    this.params = Float64Array.from(params);
    this.state = optimizerState(this.layout.totalFloats);
  }
}
