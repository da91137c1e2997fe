import { DEFAULT_OPTIMIZER, validateOptimizer, type OptimizerConfig } from '../nn/optimizer.ts';
import { ConfigError, MODEL_LIMITS, validateModelSpec, type LayerSpec } from '../nn/spec.ts';

/** Datasets the engine can load by name. */
export const DATASETS = ['iris'] as const;
/** Name of a built-in dataset. */
export type DatasetName = (typeof DATASETS)[number];

/** Which compute backend runs the experiment; `auto` prefers WebGPU and falls back to the CPU. */
export type BackendChoice = 'auto' | 'webgpu' | 'cpu';

/** One experiment, everything needed to replay it: data, network, optimizer, schedule, seed. */
export interface ExperimentConfig {
  dataset: DatasetName;
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
}

/** Bounds of the schedule fields, documented in the README. */
export const EXPERIMENT_LIMITS = { maxBatchSize: 65536, maxEpochs: 10000, maxSplit: 0.9 } as const;

/** The article's Iris classifier: 4→64 relu→64 relu→3 softmax, Adam 1e-3, batch 32. */
export const DEFAULT_EXPERIMENT: ExperimentConfig = {
  dataset: 'iris',
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
  if (!(DATASETS as readonly string[]).includes(cfg.dataset)) {
    throw new ConfigError('dataset', `unknown dataset "${String(cfg.dataset)}"; expected one of ${DATASETS.join(', ')}`);
  }
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
  if (!['auto', 'webgpu', 'cpu'].includes(cfg.backend)) {
    throw new ConfigError('backend', `must be auto, webgpu or cpu, got ${String(cfg.backend)}`);
  }
  return cfg;
}

/** Largest hidden width allowed, for UI hints. */
export const MAX_UNITS = MODEL_LIMITS.maxUnits;
