import type { AugmentSetup } from '../data/augment.ts';
import type { TensorDataset } from '../data/dataset.ts';
import type { OptimizerConfig } from '../nn/optimizer.ts';
import type { ModelSpec } from '../nn/spec.ts';

/**
 * K training steps submitted together. Step s trains on rows
 * `batchIndices[s*capacity .. s*capacity + rows[s])` of the dataset; the rest of each slot is
 * padding that the kernels ignore.
 */
export interface StepChunk {
  batchIndices: Uint32Array;
  rows: Uint32Array;
}

/** What one training step measured on its batch (before the update). */
export interface StepMetric {
  /** Mean (class-weighted) loss over the batch rows. */
  loss: number;
  correct: number;
  rows: number;
}

/** Loss, correct count and head outputs over a list of rows. */
export interface EvalResult {
  loss: number;
  correct: number;
  rows: number;
  /** rows × outputSize head outputs (probabilities for classification), in index order. */
  outputs: Float32Array;
}

/** Everything a backend needs to build a model and hold its data. */
export interface BackendSetup {
  spec: ModelSpec;
  data: TensorDataset;
  /** Rows per training step the backend must hold (the batch size, or the train size for full batch). */
  batchCapacity: number;
  optimizer: OptimizerConfig;
  /** Per-class loss weights (2 entries for binary cross-entropy) or null for all ones. */
  classWeights: Float32Array | null;
  /** Initial arena, from initParams(). */
  params: Float32Array;
  /**
   * Inverted-dropout rate per hidden layer during training (0 = off; off at evaluation), from
   * the experiment's remedies. Absent or empty: no dropout.
   */
  dropout?: number[];
  /** Seed of the dropout masks (the experiment's seed); masks also depend on layer, step and element. */
  dropoutSeed?: number;
  /**
   * Augmentation of every training batch with fresh draws per step (off at evaluation): jitter
   * of the features, or shifts, rotations and zoom of 28×28 images. Absent or null: none.
   */
  augment?: AugmentSetup | null;
}

/**
 * The one interface the trainer drives: the WebGPU kernels and the float64 CPU reference both
 * implement it, so the same trainer, tests and UI run on either.
 */
export interface TrainingBackend {
  readonly kind: 'webgpu' | 'cpu';
  /** Human-readable name: the GPU adapter, or "CPU reference (float64)". */
  readonly label: string;
  /** Runs the steps of a chunk; resolves with one metric per step. At most two may be pending. */
  runSteps(chunk: StepChunk): Promise<StepMetric[]>;
  /** Forward pass over dataset rows, without touching parameters. */
  evaluate(indices: Uint32Array): Promise<EvalResult>;
  /** Head outputs for arbitrary feature rows (e.g. a decision-boundary grid). */
  predict(features: Float32Array, rows: number): Promise<Float32Array>;
  /** Changes hyperparameters live; optimizer state (m, v, t) is kept. */
  setOptimizer(cfg: OptimizerConfig): void;
  readParams(): Promise<Float32Array>;
  /** Replaces the parameters and resets optimizer state. */
  writeParams(params: Float32Array): Promise<void>;
  /** Releases every resource; the backend is unusable afterwards. */
  dispose(): void;
}
