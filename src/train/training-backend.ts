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
  /** The model's validation score right after this step, when the chunk asked for it (an epoch ended). */
  validation?: ValidationScore;
}

/** Loss and correct count of a model on its validation rows. */
export interface ValidationScore {
  /** Mean (class-weighted) loss over the rows; NaN for no rows. */
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
 * One model of a batch: everything that may differ between models of one shape (a sweep's
 * settings, an ensemble member's seed, a fold's standardized features).
 */
export interface ModelSetup {
  optimizer: OptimizerConfig;
  /** Per-class loss weights (2 entries for binary cross-entropy) or null for all ones. */
  classWeights: Float32Array | null;
  /**
   * Per-row loss weights, one per dataset row (a boosting round's, from rowWeightTable in
   * src/train/samme.ts): a training row's loss and gradient are multiplied by its row weight and
   * its class weight, and the batch mean still divides by the row count. Training steps only:
   * validation and evaluation losses stay unweighted by rows, so they compare across rounds.
   * Absent: all ones.
   */
  rowWeights?: Float32Array;
  /** Initial arena, from initParams(). */
  params: Float32Array;
  /** Inverted-dropout rate per hidden layer during training; absent or empty: none. */
  dropout?: number[];
  /** Seeds of the dropout masks and the augmentation draws (the experiment's seed, as a rule). */
  seeds: { dropout: number; augment: number };
  /**
   * The model's own copy of the dataset's features (same rows and width), e.g. standardized with
   * its own fold's statistics; absent: the shared `data.features`.
   */
  features?: Float32Array;
}

/** N models of one shape, loss and batch capacity, trained in the same dispatches. */
export interface BatchSetup {
  spec: ModelSpec;
  /** The dataset every model indexes into (features may be overridden per model). */
  data: TensorDataset;
  /** Rows per training step every model's slot holds (the largest batch size). */
  batchCapacity: number;
  /** Kind and ranges of the augmentation all models share (each draws with its own seed), or null. */
  augment?: AugmentSetup | null;
  models: ModelSetup[];
}

/**
 * K training steps of N models, submitted together. Model z's step s trains on rows
 * `batchIndices[(z·steps + s)·capacity ..][0 .. rows[z·steps + s])`; a step with 0 rows is one the
 * model sits out (it stopped, diverged or finished its epochs): nothing about it changes.
 */
export interface BatchChunk {
  steps: number;
  /** [models, steps, capacity] dataset rows. */
  batchIndices: Uint32Array;
  /** [models, steps] rows of each step. */
  rows: Uint32Array;
  /**
   * [models, steps] learning rate of each step (a schedule); absent or NaN: the model's configured
   * rate. Float64, so the reference trains with exactly the rate the schedule computes.
   */
  learningRates?: Float64Array;
  /** [models, steps] 1 where the model's validation rows are scored right after that step (its epoch ended). */
  validateAfter?: Uint8Array;
}

/**
 * Everything one model's training depends on besides its data and schedule: the parameter arena,
 * the optimizer's moments (`m` for momentum and Adam's first moment, `v` Adam's second, both in
 * the arena's layout), its step count (which also seeds dropout masks and augmentation draws), and
 * its live hyperparameters. Moving it to another backend continues the run exactly where it was.
 */
export interface ModelState {
  params: Float32Array;
  m: Float32Array;
  v: Float32Array;
  t: number;
  optimizer: OptimizerConfig;
}

/**
 * The backend interface of the engine: N models of one shape trained in the same dispatches.
 * The WebGPU kernels and the float64 reference both implement it, so one trainer, the tests and
 * the UI run on either; a single model is the case N = 1.
 */
export interface BatchBackend {
  readonly kind: 'webgpu' | 'cpu';
  /** Human-readable name: the GPU adapter, or "CPU reference (float64)". */
  readonly label: string;
  /** Number of models N. */
  readonly models: number;
  /** Runs a chunk; resolves with `[model][step]` metrics (rows 0 where the model sat out). */
  runSteps(chunk: BatchChunk): Promise<StepMetric[][]>;
  /** Forward passes over each model's own list of dataset rows (a list per model). */
  evaluate(indices: readonly Uint32Array[]): Promise<EvalResult[]>;
  /** Every model's head outputs for the same feature rows. */
  predict(features: Float32Array, rows: number): Promise<Float32Array[]>;
  /**
   * Sets each model's validation rows, which a chunk's `validateAfter` scores inside its submit
   * (so an epoch needs no submit or readback of its own). The trainer calls it before training.
   */
  setValidation(lists: readonly Uint32Array[]): Promise<void>;
  /** Changes model z's hyperparameters live (same kind); its optimizer state is kept. */
  setOptimizer(model: number, cfg: OptimizerConfig): void;
  /** Model z's arena, or with no argument all N arenas back to back. */
  readParams(model?: number): Promise<Float32Array>;
  /** Replaces model z's parameters and restarts its optimizer state (moments and step count). */
  writeParams(model: number, params: Float32Array): Promise<void>;
  /** Sets one value of model z's arena (a weight a person typed), keeping its optimizer state; ordered like the other operations. */
  writeParam(model: number, index: number, value: number): Promise<void>;
  /** Model z's whole training state, after every operation asked for before it. */
  readState(model: number): Promise<ModelState>;
  /** Puts model z in `state` (from any backend's readState of the same model shape), before any later operation. */
  writeState(model: number, state: ModelState): Promise<void>;
  /**
   * Models the backend gave up, each with the reason (the CPU pool's, when their workers kept
   * dying); absent or empty: none. Batch-wide answers hold NaN placeholders for them.
   */
  readonly lost?: ReadonlyMap<number, string>;
  /** Releases every resource; the backend is unusable afterwards. */
  dispose(): void;
}

/** Why `state` does not fit an arena of `floats` values (arrays of another length, a bad step count), or null when it does. */
export function stateError(state: ModelState, floats: number): Error | null {
  for (const name of ['params', 'm', 'v'] as const) {
    if (state[name].length !== floats) return new Error(`the state's ${name} has ${state[name].length} values but this network's arena holds ${floats}`);
  }
  if (!Number.isInteger(state.t) || state.t < 0) return new Error(`the state's step count must be a whole number ≥ 0, got ${state.t}`);
  return null;
}

/** Throws unless every model's row weights hold one finite value ≥ 0 per dataset row. */
export function checkRowWeights(setup: BatchSetup): void {
  setup.models.forEach((m, z) => {
    const w = m.rowWeights;
    if (!w) return;
    if (w.length !== setup.data.rows) throw new Error(`model ${z} has ${w.length} row weights for ${setup.data.rows} dataset rows`);
    const bad = w.findIndex((x) => !(x >= 0) || !Number.isFinite(x));
    if (bad >= 0) throw new Error(`model ${z}'s row weight ${bad} must be a finite number ≥ 0, got ${w[bad]}`);
  });
}

/** The batch of one model that a single-model setup describes. */
export function batchOfOne(setup: BackendSetup): BatchSetup {
  const model: ModelSetup = {
    optimizer: setup.optimizer,
    classWeights: setup.classWeights,
    params: setup.params,
    seeds: { dropout: setup.dropoutSeed ?? 0, augment: setup.augment?.seed ?? 0 },
  };
  if (setup.dropout) model.dropout = setup.dropout;
  return { spec: setup.spec, data: setup.data, batchCapacity: setup.batchCapacity, augment: setup.augment ?? null, models: [model] };
}

/**
 * One model as the single-model trainer, the explorer and the tests drive it: a view of a
 * BatchBackend with N = 1 (see src/train/model-view.ts).
 */
export interface TrainingBackend {
  readonly kind: 'webgpu' | 'cpu';
  /** Human-readable name: the GPU adapter, or "CPU reference (float64)". */
  readonly label: string;
  /** The batch of one model behind this view. */
  readonly batch: BatchBackend;
  /** Runs the steps of a chunk; resolves with one metric per step. */
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
