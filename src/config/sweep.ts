import { OPTIMIZERS, type OptimizerKind } from '../nn/optimizer.ts';
import { ConfigError } from './errors.ts';
import { EXPERIMENT_LIMITS, REMEDY_LIMITS } from './experiment.ts';

/** The hyperparameters a sweep can vary: the article's, plus optimizer and seed replicates. */
export const SWEEP_PARAMS = ['lr', 'batch', 'epochs', 'l2', 'l1', 'dropout', 'optimizer', 'seed'] as const;
/** One sweepable hyperparameter, named by its link key. */
export type SweepParam = (typeof SWEEP_PARAMS)[number];

/** A numeric range: `steps` grid points from min to max (both included), or the bounds of random draws. */
export interface SweepRange {
  min: number;
  max: number;
  steps: number;
}

/** How a sweep searches: every grid point, random draws, or the grid pruned by successive halving. */
export const SWEEP_MODES = ['grid', 'random', 'halving'] as const;

/** Which way a sweep searches and what it varies. Absent fields keep the experiment's value. */
export interface SweepConfig {
  mode: (typeof SWEEP_MODES)[number];
  /** Largest number of models it may train (grid size × replicates, or random draws × replicates). */
  budget: number;
  /** Seed of random search (the experiment's seed still seeds each model). */
  seed: number;
  /** The validation metric that picks the best configuration. */
  metric: 'accuracy' | 'loss';
  /** Learning rate, log-spaced (log-uniform when random). */
  lr?: SweepRange;
  /** Batch sizes to try, e.g. [8, 32, 128]. */
  batch?: number[];
  /** Epochs, linearly spaced whole numbers. */
  epochs?: SweepRange;
  /** L2 and L1 strength: log-spaced when min > 0, linear from 0. */
  l2?: SweepRange;
  l1?: SweepRange;
  /** Dropout rate of every hidden layer, linearly spaced. */
  dropout?: SweepRange;
  optimizer?: OptimizerKind[];
  /** Seed replicates of each configuration: seeds seed, seed + 1, ... */
  replicates: number;
  /** Successive halving only: each rung keeps the best ⌈n/η⌉ and multiplies their epochs by η. */
  eta?: number;
  /** Successive halving only: the epochs every configuration trains before the first cut. */
  minEpochs?: number;
}

/** Bounds of a sweep: 256 models at most (the GPU trains them in the same dispatches). */
export const SWEEP_LIMITS = { maxModels: 256, maxSteps: 64, maxReplicates: 16, maxBatchSizes: 12, maxEta: 16 } as const;

/** A grid over log-spaced learning rates, 1e-4 to 1, four seeds each: 64 models. */
export const DEFAULT_SWEEP: SweepConfig = { mode: 'grid', budget: 64, seed: 1, metric: 'accuracy', lr: { min: 1e-4, max: 1, steps: 16 }, replicates: 4 };

/** The parameters a sweep varies, in SWEEP_PARAMS order (seed when it has replicates). */
export function variedParams(s: SweepConfig): SweepParam[] {
  return SWEEP_PARAMS.filter((p) => (p === 'seed' ? s.replicates > 1 : s[p] !== undefined));
}

const BOUNDS: Record<'lr' | 'epochs' | 'l2' | 'l1' | 'dropout', [number, number]> = {
  lr: [0, 1e6],
  epochs: [1, EXPERIMENT_LIMITS.maxEpochs],
  l2: [0, 10],
  l1: [0, 10],
  dropout: [0, REMEDY_LIMITS.maxDropout],
};

function checkRange(field: keyof typeof BOUNDS, r: SweepRange): SweepRange {
  const [lo, hi] = BOUNDS[field];
  const where = `sweep.${field}`;
  if (field === 'lr' && r.min <= 0) throw new ConfigError(where, 'learning rates are searched on a log scale: min must be above 0');
  for (const [k, v] of Object.entries(r))
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ConfigError(where, `${k} must be a number, got ${String(v)}`);
  if (r.min < lo || r.max > hi) throw new ConfigError(where, `must lie within ${lo}..${hi}, got ${r.min}..${r.max}`);
  if (r.min > r.max) throw new ConfigError(where, `the range is inverted: min ${r.min} is above max ${r.max}`);
  if (!Number.isInteger(r.steps) || r.steps < 1 || r.steps > SWEEP_LIMITS.maxSteps)
    throw new ConfigError(where, `needs 1 to ${SWEEP_LIMITS.maxSteps} steps, got ${r.steps}`);
  if (r.steps > 1 && r.min === r.max) throw new ConfigError(where, `an empty range (${r.min}..${r.max}) cannot hold ${r.steps} values`);
  return r;
}

/** Checks a sweep field by field, naming the first bad one; returns it unchanged when valid. */
export function validateSweep(s: SweepConfig): SweepConfig {
  if (!SWEEP_MODES.includes(s.mode)) throw new ConfigError('sweep.mode', `must be grid, random or halving, got ${String(s.mode)}`);
  checkHalving(s);
  if (s.metric !== 'accuracy' && s.metric !== 'loss') throw new ConfigError('sweep.metric', `must be accuracy or loss, got ${String(s.metric)}`);
  if (!Number.isInteger(s.budget) || s.budget < 1 || s.budget > SWEEP_LIMITS.maxModels)
    throw new ConfigError('sweep.budget', `must be 1 to ${SWEEP_LIMITS.maxModels} models, got ${s.budget}`);
  if (!Number.isInteger(s.seed) || s.seed < 0 || s.seed > 0xffffffff)
    throw new ConfigError('sweep.seed', `must be a whole number 0..4294967295, got ${s.seed}`);
  if (!Number.isInteger(s.replicates) || s.replicates < 1 || s.replicates > SWEEP_LIMITS.maxReplicates)
    throw new ConfigError('sweep.replicates', `must be 1 to ${SWEEP_LIMITS.maxReplicates}, got ${s.replicates}`);
  for (const field of ['lr', 'epochs', 'l2', 'l1', 'dropout'] as const) if (s[field]) checkRange(field, s[field]!);
  if (s.batch) {
    if (s.batch.length === 0 || s.batch.length > SWEEP_LIMITS.maxBatchSizes)
      throw new ConfigError('sweep.batch', `needs 1 to ${SWEEP_LIMITS.maxBatchSizes} batch sizes, got ${s.batch.length}`);
    for (const b of s.batch)
      if (!Number.isInteger(b) || b < 1 || b > EXPERIMENT_LIMITS.maxBatchSize)
        throw new ConfigError('sweep.batch', `batch sizes are whole numbers 1..${EXPERIMENT_LIMITS.maxBatchSize}, got ${b}`);
  }
  if (s.optimizer) {
    if (s.optimizer.length === 0) throw new ConfigError('sweep.optimizer', 'needs at least one optimizer');
    for (const o of s.optimizer)
      if (!OPTIMIZERS.includes(o)) throw new ConfigError('sweep.optimizer', `unknown optimizer "${String(o)}"; expected ${OPTIMIZERS.join(', ')}`);
  }
  if (variedParams(s).length === 0) throw new ConfigError('sweep', 'varies nothing: choose at least one hyperparameter, or replicates above 1');
  const size = sweepSize(s);
  if (size > s.budget)
    throw new ConfigError(
      'sweep.budget',
      `the grid holds ${size} models (configurations × ${s.replicates} replicates), more than the budget of ${s.budget}; use fewer steps or values, or raise the budget (at most ${SWEEP_LIMITS.maxModels})`,
    );
  return s;
}

/** Checks successive halving's η and minimum epochs; the rungs against the experiment's epochs are checked by halvingRungs. */
function checkHalving(s: SweepConfig): void {
  if (s.mode !== 'halving') {
    if (s.eta !== undefined) throw new ConfigError('sweep.eta', 'only successive halving (mode halving) uses η');
    if (s.minEpochs !== undefined) throw new ConfigError('sweep.minEpochs', 'only successive halving (mode halving) uses a minimum budget');
    return;
  }
  const eta = s.eta;
  if (typeof eta !== 'number' || !Number.isInteger(eta) || eta < 2 || eta > SWEEP_LIMITS.maxEta)
    throw new ConfigError('sweep.eta', `η must be a whole number from 2 to ${SWEEP_LIMITS.maxEta} (each rung keeps 1/η), got ${String(eta)}`);
  const min = s.minEpochs;
  if (typeof min !== 'number' || !Number.isInteger(min) || min < 1 || min > EXPERIMENT_LIMITS.maxEpochs)
    throw new ConfigError('sweep.minEpochs', `the minimum budget must be 1 to ${EXPERIMENT_LIMITS.maxEpochs} epochs, got ${String(min)}`);
  // Halving sets each configuration's epochs itself: a swept epoch count would fight it.
  if (s.epochs) throw new ConfigError('sweep.epochs', 'successive halving decides how long each configuration trains; sweep something other than epochs');
}

/** Models a sweep trains: the grid's size times replicates, or the budget for random search. */
export function sweepSize(s: SweepConfig): number {
  if (s.mode === 'random') return Math.floor(s.budget / s.replicates) * s.replicates;
  const counts = [s.lr?.steps, s.batch?.length, s.epochs?.steps, s.l2?.steps, s.l1?.steps, s.dropout?.steps, s.optimizer?.length];
  return counts.reduce<number>((n, c) => n * (c ?? 1), 1) * s.replicates;
}

/**
 * `sweep=` link value: `grid;budget:64;seed:1;metric:accuracy;lr:0.0001~1x16;batch:8,32;rep:4`;
 * successive halving adds `eta:3;min:2` after the metric (links without them read as before).
 */
export function encodeSweep(s: SweepConfig): string {
  const range = (r: SweepRange) => `${r.min}~${r.max}x${r.steps}`;
  const parts = [s.mode, `budget:${s.budget}`, `seed:${s.seed}`, `metric:${s.metric}`];
  if (s.eta !== undefined) parts.push(`eta:${s.eta}`);
  if (s.minEpochs !== undefined) parts.push(`min:${s.minEpochs}`);
  for (const f of ['lr', 'epochs', 'l2', 'l1', 'dropout'] as const) if (s[f]) parts.push(`${f}:${range(s[f]!)}`);
  if (s.batch) parts.push(`batch:${s.batch.join(',')}`);
  if (s.optimizer) parts.push(`opt:${s.optimizer.join(',')}`);
  parts.push(`rep:${s.replicates}`);
  return parts.join(';');
}

/** Reads a `sweep=` value; throws a ConfigError naming the part that is wrong. */
export function decodeSweep(raw: string): SweepConfig {
  if (raw.length > 1000) throw new ConfigError('sweep', 'the sweep setting is longer than 1,000 characters');
  const [mode, ...parts] = raw.split(';');
  const s: SweepConfig = { mode: mode as SweepConfig['mode'], budget: DEFAULT_SWEEP.budget, seed: DEFAULT_SWEEP.seed, metric: 'accuracy', replicates: 1 };
  const num = (v: string) => (v.trim() === '' ? NaN : Number(v));
  const range = (v: string): SweepRange => {
    const m = /^([^~]+)~([^x]+)x(\d+)$/.exec(v);
    if (!m) throw new ConfigError('sweep', `"${v.slice(0, 40)}" is not a range min~maxxsteps`);
    return { min: num(m[1]!), max: num(m[2]!), steps: num(m[3]!) };
  };
  const seen = new Set<string>();
  for (const part of parts) {
    const at = part.indexOf(':');
    const [key, value] = at < 0 ? [part, ''] : [part.slice(0, at), part.slice(at + 1)];
    if (seen.has(key)) throw new ConfigError('sweep', `"${key.slice(0, 20)}" is given twice`);
    seen.add(key);
    if (key === 'budget') s.budget = num(value);
    else if (key === 'seed') s.seed = num(value);
    else if (key === 'metric') s.metric = value as SweepConfig['metric'];
    else if (key === 'rep') s.replicates = num(value);
    else if (key === 'eta') s.eta = num(value);
    else if (key === 'min') s.minEpochs = num(value);
    else if (key === 'lr' || key === 'epochs' || key === 'l2' || key === 'l1' || key === 'dropout') s[key] = range(value);
    else if (key === 'batch') s.batch = value.split(',').map(num);
    else if (key === 'opt') s.optimizer = value.split(',') as OptimizerKind[];
    else throw new ConfigError('sweep', `unknown part "${key.slice(0, 20)}"`);
  }
  return validateSweep(s);
}
