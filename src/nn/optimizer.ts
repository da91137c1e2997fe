import { ConfigError } from '../config/errors.ts';

/** The optimizers the engine implements, each as one dispatch over the parameter arena. */
export const OPTIMIZERS = ['sgd', 'momentum', 'adam', 'adamw'] as const;
/** Name of an optimizer. */
export type OptimizerKind = (typeof OPTIMIZERS)[number];

/**
 * Optimizer hyperparameters. `l2` adds l2·w to a weight's gradient (the gradient of
 * (l2/2)·Σw²) and `l1` adds l1·sign(w); both touch weights only, never biases. `weightDecay` is
 * AdamW's decoupled decay, applied as w -= lr·weightDecay·w.
 */
export interface OptimizerConfig {
  kind: OptimizerKind;
  learningRate: number;
  /** Momentum coefficient μ for `momentum` (velocity v = μv + g). */
  momentum: number;
  nesterov: boolean;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  l1: number;
  l2: number;
}

/** Defaults: Keras' Adam (lr 1e-3, β1 0.9, β2 0.999, ε 1e-7), no regularization. */
export const DEFAULT_OPTIMIZER: OptimizerConfig = {
  kind: 'adam',
  learningRate: 1e-3,
  momentum: 0.9,
  nesterov: false,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-7,
  weightDecay: 0,
  l1: 0,
  l2: 0,
};

const BOUNDS: Record<Exclude<keyof OptimizerConfig, 'kind' | 'nesterov'>, [number, number]> = {
  learningRate: [0, 1e6],
  momentum: [0, 0.9999],
  beta1: [0, 0.9999],
  beta2: [0, 0.999999],
  epsilon: [1e-12, 1],
  weightDecay: [0, 10],
  l1: [0, 10],
  l2: [0, 10],
};

/** Throws a ConfigError naming the first out-of-bounds or non-finite field. */
export function validateOptimizer(cfg: OptimizerConfig): OptimizerConfig {
  if (!(OPTIMIZERS as readonly string[]).includes(cfg.kind)) {
    throw new ConfigError('optimizer.kind', `unknown optimizer "${String(cfg.kind)}"; expected one of ${OPTIMIZERS.join(', ')}`);
  }
  for (const [field, [lo, hi]] of Object.entries(BOUNDS)) {
    const v = cfg[field as keyof typeof BOUNDS];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ConfigError(`optimizer.${field}`, `must be a finite number, got ${String(v)}`);
    }
    if (v < lo || v > hi) throw new ConfigError(`optimizer.${field}`, `must be between ${lo} and ${hi}, got ${v}`);
  }
  if (typeof cfg.nesterov !== 'boolean') throw new ConfigError('optimizer.nesterov', 'must be true or false');
  return cfg;
}
