import { AUGMENT_LIMITS, type AugmentRanges } from '../data/augment.ts';
import { validateDrawnPoints, type DrawnPoint } from '../data/drawn.ts';
import { validateFeatures, type InputFeature } from '../data/features.ts';
import { DEFAULT_OPTIMIZER, validateOptimizer, type OptimizerConfig } from '../nn/optimizer.ts';
import { MODEL_LIMITS, validateModelSpec, type LayerSpec } from '../nn/spec.ts';
import { ConfigError } from './errors.ts';
import { validateRegressionRemedies, validateTask, type Task } from './task.ts';
import { validateEarlyStopping, type EarlyStoppingMonitor } from '../train/early-stopping.ts';
import { validateLrSchedule, type LrSchedule } from '../train/lr-schedule.ts';
import { RESAMPLE_MODES, type ResampleMode } from '../train/sampling.ts';

/**
 * Datasets the engine can load by name; `csv` is the user's own file, sent with the config;
 * `drawn` is the points the reader drew, carried in the config (`dataset.drawn`); `plane` and
 * `gaussmix` are regression sets.
 */
export const DATASETS = ['iris', 'spiral', 'circles', 'xor', 'gaussians', 'moons', 'mnist', 'plane', 'gaussmix', 'drawn', 'csv'] as const;
/** Name of a dataset. */
export type DatasetName = (typeof DATASETS)[number];

/**
 * Which data and how it is generated. `size`, `noise` and `classes` shape the 2-D toy sets;
 * `imbalance` (the smallest class's size relative to the largest, 1 = balanced) applies to every
 * built-in dataset by subsampling.
 */
export interface DatasetConfig {
  name: DatasetName;
  size: number;
  noise: number;
  imbalance: number;
  classes: number;
  /** The reader's points when `name` is `drawn` (see src/data/drawn.ts). */
  drawn?: DrawnPoint[];
}

/** Bounds of the dataset fields. */
/** `size` is the number of rows of a toy set, or of MNIST's 60,000 training images used. */
export const DATASET_LIMITS = { minSize: 20, maxSize: 60000, maxNoise: 1, minImbalance: 0.02, minClasses: 2, maxClasses: 8 } as const;

/** Most CPU workers an experiment may ask for (`cpuWorkers`). */
export const MAX_CPU_WORKERS = 8;

/** Defaults of the dataset fields. */
export const DEFAULT_DATASET: DatasetConfig = { name: 'iris', size: 400, noise: 0.1, imbalance: 1, classes: 2 };

/** Which compute backend runs the experiment; `auto` prefers WebGPU and falls back to the CPU. */
/**
 * Where a model trains: `auto` (a timed trial picks), `webgpu`, `cpu` (the fast float32 WebAssembly
 * kernels), or `reference` (the float64 reference, the spec every kernel is checked against: slow,
 * for comparing float32 against exact arithmetic and for the exported scripts' checks).
 */
export type BackendChoice = 'auto' | 'webgpu' | 'cpu' | 'reference';

/** One experiment, everything needed to replay it: data, network, optimizer, schedule, seed. */
export interface ExperimentConfig {
  dataset: DatasetConfig;
  hidden: LayerSpec[];
  optimizer: OptimizerConfig;
  /** Rows per step, or 'full' for full-batch gradient descent. */
  batchSize: number | 'full';
  epochs: number;
  /** Fraction of the non-test rows held out for validation. */
  validationSplit: number;
  /** Fraction of all rows held out for the final test. */
  testSplit: number;
  seed: number;
  backend: BackendChoice;
  /**
   * Threads the CPU backend spreads a job of several models over (sweeps, ensembles, k-fold):
   * the engine's worker and cpuWorkers − 1 pool workers; 1 trains every model on the engine's worker; absent: one per logical core, at most
   * MAX_CPU_WORKERS (src/cpu/cpu-pool.ts). Results are the same bits whatever the count.
   */
  cpuWorkers?: number;
  /** Remedies against overfitting and class imbalance; absent means all off (`DEFAULT_REMEDIES`). */
  remedies?: RemediesConfig;
  /** Input features of 2-D data (see src/data/features.ts); absent means x1 and x2. */
  features?: InputFeature[];
  /** What the model predicts (see src/config/task.ts); absent means classification. */
  task?: Task;
}

/** The experiment's task, classification when it names none. */
export function taskOf(cfg: ExperimentConfig): Task {
  return cfg.task ?? 'classification';
}

/** Early stopping as configured: Keras's settings, always restoring the best epoch's weights. */
export interface EarlyStoppingConfig {
  monitor: EarlyStoppingMonitor;
  patience: number;
  minDelta: number;
  /** Restore the best epoch's weights (bit for bit) when training stops. */
  restoreBest: true;
}

/**
 * Switchable remedies. Each one off is the plain experiment:
 * - `classWeights`: per-class loss weights, `'balanced'` from the training split's labels only,
 *   or one weight per class by hand.
 * - `resample`: random over- or undersampling of each epoch's training rows.
 * - `earlyStopping`: stop when the monitored validation metric stops improving.
 * - `lrSchedule`: multiplies the (live) base learning rate per epoch.
 * - `jitter`: σ of Gaussian noise added to the standardized training features, fresh every
 *   batch on the GPU (0 = off); meant for 2-D and small tabular sets.
 * - `imageAugment`: random shifts, rotations and zoom of every training image, fresh every batch
 *   on the GPU (null = off); for 28×28 images (MNIST).
 * - `ganOversample`: fill the minority class up to the largest with images from a GAN trained
 *   for `iterations` on that class's training images (null = off); MNIST only.
 * - `dropout`: rate per hidden layer (0 = off); empty means no dropout anywhere.
 */
export interface RemediesConfig {
  classWeights: 'none' | 'balanced' | number[];
  resample: ResampleMode;
  earlyStopping: EarlyStoppingConfig | null;
  lrSchedule: LrSchedule;
  jitter: number;
  imageAugment: AugmentRanges | null;
  ganOversample: { iterations: number } | null;
  dropout: number[];
}

/** Every remedy off. */
export const DEFAULT_REMEDIES: RemediesConfig = {
  classWeights: 'none',
  resample: 'none',
  earlyStopping: null,
  lrSchedule: { kind: 'constant' },
  jitter: 0,
  imageAugment: null,
  ganOversample: null,
  dropout: [],
};

/** Bounds of the remedy fields. */
export const REMEDY_LIMITS = { maxClassWeight: 1000, maxClasses: 256, maxJitter: 1, maxDropout: 0.95, maxMinDelta: 1, maxGanIterations: 20000 } as const;

/** The remedies of an experiment, the defaults (all off) when it names none. */
export function remediesOf(cfg: ExperimentConfig): RemediesConfig {
  return cfg.remedies ?? DEFAULT_REMEDIES;
}

/** True when every remedy is off, i.e. the experiment trains exactly as without remedies. */
export function remediesOff(r: RemediesConfig): boolean {
  return (
    r.classWeights === 'none' &&
    r.resample === 'none' &&
    r.earlyStopping === null &&
    r.lrSchedule.kind === 'constant' &&
    r.jitter === 0 &&
    r.imageAugment === null &&
    r.ganOversample === null &&
    r.dropout.every((p) => p === 0)
  );
}

/** `dropout` fitted to `layers` hidden layers: cut or padded with 0, and [] when all are 0. */
export function fitDropout(dropout: number[], layers: number): number[] {
  const fitted = Array.from({ length: layers }, (_, i) => dropout[i] ?? 0);
  return fitted.some((p) => p > 0) ? fitted : [];
}

/**
 * Checks the remedies field by field (throwing a ConfigError naming the first bad one) against
 * the experiment's `hiddenLayers`. Manual class weights are checked against the class count
 * when the data is built, since a CSV file's classes are only known then.
 */
export function validateRemedies(r: RemediesConfig, hiddenLayers: number): RemediesConfig {
  if (typeof r !== 'object' || r === null) throw new ConfigError('remedies', 'must be an object');
  const L = REMEDY_LIMITS;
  const cw = r.classWeights;
  if (Array.isArray(cw)) {
    if (cw.length < 2 || cw.length > L.maxClasses)
      throw new ConfigError('remedies.classWeights', `needs one weight per class (2 to ${L.maxClasses}), got ${cw.length}`);
    cw.forEach((w, i) => checkNumber(`remedies.classWeights[${i}]`, w, 0, L.maxClassWeight));
    if (!cw.some((w) => w > 0)) throw new ConfigError('remedies.classWeights', 'at least one class weight must be positive');
  } else if (cw !== 'none' && cw !== 'balanced') {
    throw new ConfigError('remedies.classWeights', `must be none, balanced or a list of weights, got ${String(cw)}`);
  }
  if (!RESAMPLE_MODES.includes(r.resample))
    throw new ConfigError('remedies.resample', `must be one of ${RESAMPLE_MODES.join(', ')}, got ${String(r.resample)}`);
  if (r.earlyStopping !== null) {
    const es = r.earlyStopping;
    if (typeof es !== 'object') throw new ConfigError('remedies.earlyStopping', 'must be off or an object');
    try {
      validateEarlyStopping(es);
    } catch (e) {
      throw new ConfigError('remedies.earlyStopping', (e as Error).message);
    }
    checkNumber('remedies.earlyStopping.minDelta', es.minDelta, 0, L.maxMinDelta);
    if (es.restoreBest !== true) throw new ConfigError('remedies.earlyStopping.restoreBest', 'must be true');
  }
  try {
    validateLrSchedule(r.lrSchedule);
  } catch (e) {
    throw new ConfigError('remedies.lrSchedule', (e as Error).message);
  }
  checkNumber('remedies.jitter', r.jitter, 0, L.maxJitter);
  if (r.imageAugment !== null) {
    const a = r.imageAugment;
    if (typeof a !== 'object') throw new ConfigError('remedies.imageAugment', 'must be off or an object');
    for (const field of ['maxShift', 'maxAngleDeg', 'maxZoom'] as const) checkNumber(`remedies.imageAugment.${field}`, a[field], 0, AUGMENT_LIMITS[field]);
  }
  if (r.ganOversample !== null) {
    if (typeof r.ganOversample !== 'object') throw new ConfigError('remedies.ganOversample', 'must be off or an object');
    const it = r.ganOversample.iterations;
    if (!Number.isInteger(it) || it < 1 || it > L.maxGanIterations)
      throw new ConfigError('remedies.ganOversample.iterations', `must be a whole number from 1 to ${L.maxGanIterations}, got ${it}`);
  }
  if (!Array.isArray(r.dropout)) throw new ConfigError('remedies.dropout', 'must be a list of rates');
  if (r.dropout.length !== 0 && r.dropout.length !== hiddenLayers) {
    throw new ConfigError('remedies.dropout', `gives ${r.dropout.length} rates for ${hiddenLayers} hidden layers`);
  }
  r.dropout.forEach((p, i) => checkNumber(`remedies.dropout[${i}]`, p, 0, L.maxDropout));
  return r;
}

/** Bounds of the schedule fields, documented in docs/playground.md#limits. */
export const EXPERIMENT_LIMITS = { maxBatchSize: 65536, maxEpochs: 10000, maxSplit: 0.9 } as const;

/** The article's Iris classifier: 4→64 relu→64 relu→3 softmax, Adam 1e-3, batch 32. */
export const DEFAULT_EXPERIMENT: ExperimentConfig = {
  dataset: DEFAULT_DATASET,
  hidden: [
    { units: 64, activation: 'relu' },
    { units: 64, activation: 'relu' },
  ],
  optimizer: DEFAULT_OPTIMIZER,
  batchSize: 32,
  epochs: 200,
  validationSplit: 0.2,
  testSplit: 0.2,
  seed: 42,
  backend: 'auto',
};

function checkNumber(field: string, v: unknown, lo: number, hi: number, integer = false): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v))) {
    throw new ConfigError(field, `must be ${integer ? 'a whole number' : 'a number'} from ${lo} to ${hi}, got ${String(v)}`);
  }
}

/** Throws a ConfigError naming the first bad dataset field. */
export function validateDataset(d: DatasetConfig): DatasetConfig {
  if (typeof d !== 'object' || d === null) throw new ConfigError('dataset', 'must be an object');
  if (!(DATASETS as readonly string[]).includes(d.name)) {
    throw new ConfigError('dataset.name', `unknown dataset "${String(d.name)}"; expected one of ${DATASETS.join(', ')}`);
  }
  const L = DATASET_LIMITS;
  checkNumber('dataset.size', d.size, L.minSize, L.maxSize, true);
  checkNumber('dataset.noise', d.noise, 0, L.maxNoise);
  checkNumber('dataset.imbalance', d.imbalance, L.minImbalance, 1);
  checkNumber('dataset.classes', d.classes, L.minClasses, L.maxClasses, true);
  if (d.drawn !== undefined) validateDrawnPoints(d.drawn);
  return d;
}

function checkFraction(field: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > EXPERIMENT_LIMITS.maxSplit) {
    throw new ConfigError(field, `must be a number from 0 to ${EXPERIMENT_LIMITS.maxSplit}, got ${String(v)}`);
  }
}

/**
 * Checks every field against its bounds and throws a ConfigError naming the first bad one.
 * The model's input and output sizes come from the dataset, so they are checked at build time.
 */
export function validateExperiment(cfg: ExperimentConfig): ExperimentConfig {
  validateDataset(cfg.dataset);
  validateModelSpec({ inputSize: 1, hidden: cfg.hidden, outputSize: 2, loss: 'softmax_ce' });
  validateOptimizer(cfg.optimizer);
  if (cfg.batchSize !== 'full') {
    const b = cfg.batchSize;
    if (typeof b !== 'number' || !Number.isInteger(b) || b < 1 || b > EXPERIMENT_LIMITS.maxBatchSize) {
      throw new ConfigError('batchSize', `must be a whole number from 1 to ${EXPERIMENT_LIMITS.maxBatchSize}, or "full"; got ${String(b)}`);
    }
  }
  if (typeof cfg.epochs !== 'number' || !Number.isInteger(cfg.epochs) || cfg.epochs < 1 || cfg.epochs > EXPERIMENT_LIMITS.maxEpochs) {
    throw new ConfigError('epochs', `must be a whole number from 1 to ${EXPERIMENT_LIMITS.maxEpochs}, got ${String(cfg.epochs)}`);
  }
  checkFraction('validationSplit', cfg.validationSplit);
  checkFraction('testSplit', cfg.testSplit);
  if (cfg.validationSplit + cfg.testSplit >= 1) {
    throw new ConfigError('validationSplit', 'validation and test splits together must leave rows for training');
  }
  if (typeof cfg.seed !== 'number' || !Number.isInteger(cfg.seed) || cfg.seed < 0 || cfg.seed > 0xffffffff) {
    throw new ConfigError('seed', `must be a whole number from 0 to 4294967295, got ${String(cfg.seed)}`);
  }
  if (!['auto', 'webgpu', 'cpu', 'reference'].includes(cfg.backend)) {
    throw new ConfigError('backend', `must be auto, webgpu, cpu or reference, got ${String(cfg.backend)}`);
  }
  if (cfg.cpuWorkers !== undefined) checkNumber('cpuWorkers', cfg.cpuWorkers, 1, MAX_CPU_WORKERS, true);
  if (cfg.remedies !== undefined) validateRemedies(cfg.remedies, cfg.hidden.length);
  if (cfg.features !== undefined) validateFeatures(cfg.features);
  if (validateTask(taskOf(cfg), cfg.dataset.name) === 'regression') validateRegressionRemedies(remediesOf(cfg));
  return cfg;
}

/** Largest hidden width allowed, for UI hints. */
export const MAX_UNITS = MODEL_LIMITS.maxUnits;
