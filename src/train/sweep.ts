import { remediesOf, taskOf, validateExperiment, type ExperimentConfig } from '../config/experiment.ts';
import { REGRESSION_OFF } from '../config/task.ts';
import { sweepSize, validateSweep, variedParams, type SweepConfig, type SweepParam, type SweepRange } from '../config/sweep.ts';
import { encodeHash } from '../config/url.ts';
import type { LoadedData } from '../data/load.ts';
import type { GpuContext } from '../gpu/device.ts';
import { confusionMatrix, predictedClasses } from '../metrics/confusion.ts';
import { classificationReport } from '../metrics/report.ts';
import { Rng } from '../nn/rng.ts';
import { ConfigError } from '../config/errors.ts';
import { BatchJob } from './batch-job.ts';
import { lostSentence } from './lost-runs.ts';
import type { ModelRun } from './model-run.ts';
import type { EpochRecord } from './records.ts';
import type { EvalResult } from './training-backend.ts';

/** One configuration of a sweep: the values it sets and the experiment it trains. */
export interface SweepPoint {
  values: Partial<Record<SweepParam, number | string>>;
  config: ExperimentConfig;
}

/** How one configuration ended, scored on the validation split only. */
export interface SweepRow {
  index: number;
  values: Partial<Record<SweepParam, number | string>>;
  /** The configuration as a playground link hash. */
  hash: string;
  validationLoss: number;
  validationAccuracy: number;
  macroF1: number;
  epochs: number;
  status: 'done' | 'early-stopped' | 'diverged' | 'cancelled' | 'lost';
  /** The step whose loss or weights turned NaN or infinite, for a diverged run. */
  divergedAt: number | null;
  /** Why a lost run was lost (its CPU pool workers kept dying); it has no scores and is never ranked. */
  lost?: string;
}

/** Everything a sweep measured. The test split is evaluated once, for the chosen row only. */
export interface SweepResult {
  varied: SweepParam[];
  metric: SweepConfig['metric'];
  rows: SweepRow[];
  /** Index of the best row by the validation metric, or null when none finished with a finite score. */
  best: number | null;
  /** The chosen configuration on the test split (null when cancelled or without test rows). */
  test: { accuracy: number; loss: number; rows: number } | null;
  /** Per-epoch records of the best few rows, best first. */
  curves: { index: number; history: EpochRecord[] }[];
  cancelled: boolean;
  backend: { kind: 'webgpu' | 'cpu'; label: string; fallbackReason: string | null };
  /** The message naming the configurations that were lost and why (the rest is whole), when any were. */
  lost?: string;
}

/** Progress of a sweep: models finished of all, and epochs trained of all. */
export interface SweepProgress {
  done: number;
  total: number;
  epochs: number;
  totalEpochs: number;
}

/**
 * What <sp-sweep> needs to run a sweep; the page implements it over the worker (runSweep +
 * cancelJob). `run` resolves with a cancelled result after `cancel`, and rejects on failure.
 */
export interface SweepRunner {
  run(config: ExperimentConfig, sweep: SweepConfig, onProgress: (p: SweepProgress) => void): Promise<SweepResult>;
  cancel(): void;
}

/** Rows whose curves a result keeps. */
export const SWEEP_CURVES = 3;

/** The values of a numeric range: log-spaced for `log`, else linear; whole numbers for `integer`. */
function gridValues(r: SweepRange, log: boolean, integer: boolean): number[] {
  const at = (t: number) => (log ? Math.exp(Math.log(r.min) + t * (Math.log(r.max) - Math.log(r.min))) : r.min + t * (r.max - r.min));
  const values = Array.from({ length: r.steps }, (_, i) => at(r.steps === 1 ? 0 : i / (r.steps - 1)));
  const rounded = values.map((v) => (integer ? Math.round(v) : Number(v.toPrecision(4))));
  return [...new Set(rounded)];
}

/** A random draw from a range: log-uniform for `log`, else uniform; whole numbers for `integer`. */
function drawValue(r: SweepRange, log: boolean, integer: boolean, rng: Rng): number {
  const u = rng.uniform();
  const v = log ? Math.exp(Math.log(r.min) + u * (Math.log(r.max) - Math.log(r.min))) : r.min + u * (r.max - r.min);
  return integer ? Math.round(v) : Number(v.toPrecision(4));
}

/** Each varied parameter's grid values (seed aside). */
function axes(s: SweepConfig): [SweepParam, (number | string)[]][] {
  const out: [SweepParam, (number | string)[]][] = [];
  if (s.lr) out.push(['lr', gridValues(s.lr, true, false)]);
  if (s.batch) out.push(['batch', [...new Set(s.batch)]]);
  if (s.epochs) out.push(['epochs', gridValues(s.epochs, false, true)]);
  if (s.l2) out.push(['l2', gridValues(s.l2, s.l2.min > 0, false)]);
  if (s.l1) out.push(['l1', gridValues(s.l1, s.l1.min > 0, false)]);
  if (s.dropout) out.push(['dropout', gridValues(s.dropout, false, false)]);
  if (s.optimizer) out.push(['optimizer', [...new Set(s.optimizer)]]);
  return out;
}

/** The experiment `base` with one configuration's values set. */
function applyValues(base: ExperimentConfig, v: SweepPoint['values']): ExperimentConfig {
  const o = { ...base.optimizer };
  if (v.lr !== undefined) o.learningRate = v.lr as number;
  if (v.l2 !== undefined) o.l2 = v.l2 as number;
  if (v.l1 !== undefined) o.l1 = v.l1 as number;
  if (v.optimizer !== undefined) o.kind = v.optimizer as ExperimentConfig['optimizer']['kind'];
  const c: ExperimentConfig = { ...base, optimizer: o };
  if (v.batch !== undefined) c.batchSize = v.batch as number;
  if (v.epochs !== undefined) c.epochs = v.epochs as number;
  if (v.seed !== undefined) c.seed = v.seed as number;
  if (v.dropout !== undefined) {
    if (base.hidden.length === 0) throw new ConfigError('sweep.dropout', 'dropout needs hidden layers; add a layer or sweep something else');
    c.remedies = { ...remediesOf(base), dropout: base.hidden.map(() => v.dropout as number) };
  }
  return validateExperiment(c);
}

/**
 * The configurations of a sweep over `base`: the grid's every combination, or `budget` seeded
 * random draws, each with its seed replicates (seeds base.seed, base.seed + 1, ...).
 */
export function sweepPoints(base: ExperimentConfig, sweep: SweepConfig): SweepPoint[] {
  const s = validateSweep(sweep);
  const grid = axes(s);
  let combos: SweepPoint['values'][] = [{}];
  if (s.mode !== 'random') {
    for (const [param, values] of grid) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [param]: v })));
  } else {
    const rng = new Rng(s.seed);
    combos = Array.from({ length: sweepSize(s) / s.replicates }, () => {
      const v: SweepPoint['values'] = {};
      if (s.lr) v.lr = drawValue(s.lr, true, false, rng);
      if (s.batch) v.batch = s.batch[rng.int(s.batch.length)]!;
      if (s.epochs) v.epochs = drawValue(s.epochs, false, true, rng);
      if (s.l2) v.l2 = drawValue(s.l2, s.l2.min > 0, false, rng);
      if (s.l1) v.l1 = drawValue(s.l1, s.l1.min > 0, false, rng);
      if (s.dropout) v.dropout = drawValue(s.dropout, false, false, rng);
      if (s.optimizer) v.optimizer = s.optimizer[rng.int(s.optimizer.length)]!;
      return v;
    });
  }
  const points: SweepPoint[] = [];
  for (const c of combos) {
    for (let r = 0; r < s.replicates; r++) {
      const values = s.replicates > 1 ? { ...c, seed: (base.seed + r) >>> 0 } : c;
      points.push({ values, config: applyValues(base, values) });
    }
  }
  return points;
}

/**
 * Trains every configuration of a sweep together (batched by batch size), scores each on the
 * validation split, picks the best by the sweep's metric, and evaluates only that one on the test
 * split. A cancelled sweep resolves with what it trained, marked cancelled, without a test score.
 */
export async function runSweep(
  base: ExperimentConfig,
  sweep: SweepConfig,
  data: LoadedData,
  gpu: () => Promise<GpuContext>,
  hooks: { onProgress?: (p: SweepProgress) => void; shouldStop?: () => boolean } = {},
): Promise<SweepResult> {
  // Halving trains the same grid for far fewer epochs: never run its grid to the end by mistake.
  if (sweep.mode === 'halving') throw new ConfigError('sweep.mode', 'successive halving runs through runHalving (src/train/halving.ts), not runSweep');
  const regression = taskOf(base) === 'regression';
  if (regression && sweep.metric === 'accuracy') throw new ConfigError('sweep.metric', REGRESSION_OFF.accuracy);
  const points = sweepPoints(base, sweep);
  if (data.splits.validation.length === 0) throw new ConfigError('val', 'a sweep picks its best configuration on the validation split: set one above 0');
  const job = await BatchJob.create(
    points.map((p) => ({ config: p.config, data })),
    gpu,
  );
  try {
    const jobHooks = {
      onProgress: (p: { epochs: number; totalEpochs: number; finished: number; members: number }) =>
        hooks.onProgress?.({ done: p.finished, total: p.members, epochs: p.epochs, totalEpochs: p.totalEpochs }),
      ...(hooks.shouldStop ? { shouldStop: hooks.shouldStop } : {}),
    };
    await job.train(jobHooks);
    const cancelled = hooks.shouldStop?.() ?? false;
    const validation = await job.evaluate(() => data.splits.validation);
    const rows: SweepRow[] = points.map((p, i) => scoreRow(i, p, job.run(i), validation[i]!, data, regression));
    return await sweepResult(job, sweep, rows, rankRows(rows, sweep.metric), cancelled, data, regression);
  } finally {
    job.dispose();
  }
}

/**
 * Row `index` of a sweep: point `p`'s run scored by its validation evaluation `v`. A regression
 * model has no classes: its accuracy and F1 are NaN, and it is ranked by loss alone.
 */
export function scoreRow(index: number, p: SweepPoint, run: ModelRun, v: EvalResult, data: LoadedData, regression: boolean): SweepRow {
  const labels = data.splits.validation.map((r) => data.table.labels[r]!);
  const classes = data.classNames.length;
  const report = regression ? null : classificationReport(confusionMatrix(labels, predictedClasses(v.outputs, labels.length, classes), classes));
  const lost = run.status === 'lost';
  const diverged = !lost && (run.status === 'diverged' || !Number.isFinite(v.loss));
  const status = lost ? 'lost' : diverged ? 'diverged' : run.status === 'early-stopped' ? 'early-stopped' : run.epoch < run.target ? 'cancelled' : 'done';
  // A lost run's evaluation is a placeholder: no scores, like a diverged one's.
  const unscored = lost || diverged;
  return {
    index,
    values: p.values,
    hash: encodeHash(p.config),
    validationLoss: unscored ? NaN : v.loss,
    validationAccuracy: unscored || !report ? NaN : report.accuracy,
    macroF1: unscored || !report ? NaN : report.macro.f1,
    epochs: run.epoch,
    status,
    divergedAt: run.divergence?.step ?? null,
    ...(lost ? { lost: run.lost! } : {}),
  };
}

/** Member `best` of `job` on the test split alone (null without test rows). */
/**
 * A search's result from its scored rows and their ranking (best first): the best one tested on
 * the test split unless cancelled, and the learning curves of the best few. Shared by the grid
 * and random sweep and by successive halving.
 */
export async function sweepResult<R extends SweepRow>(
  job: BatchJob,
  sweep: SweepConfig,
  rows: R[],
  ranked: number[],
  cancelled: boolean,
  data: LoadedData,
  regression: boolean,
): Promise<Omit<SweepResult, 'rows'> & { rows: R[] }> {
  const best = ranked[0] ?? null;
  // Named from the rows: a configuration halving pruned before its worker died keeps its scores.
  const gone = rows.filter((r) => r.status === 'lost');
  const lost = gone.length
    ? lostSentence(
        gone.map((r) => r.index + 1),
        ['Configuration', 'Configurations'],
        gone.map((r) => r.lost!),
      )
    : null;
  return {
    varied: variedParams(sweep),
    metric: sweep.metric,
    rows,
    best,
    test: best !== null && !cancelled ? await testScore(job, best, data, regression) : null,
    cancelled,
    curves: ranked.slice(0, SWEEP_CURVES).map((index) => ({ index, history: [...job.run(index).history] })),
    backend: { kind: job.info.backend, label: job.info.label, fallbackReason: job.info.fallbackReason },
    ...(lost ? { lost } : {}),
  };
}

export async function testScore(job: BatchJob, best: number, data: LoadedData, regression: boolean): Promise<SweepResult['test']> {
  if (data.splits.test.length === 0) return null;
  const t = (await job.evaluate((i) => (i === best ? data.splits.test : new Uint32Array(0))))[best]!;
  const testLabels = data.splits.test.map((r) => data.table.labels[r]!);
  const pred = predictedClasses(t.outputs, testLabels.length, data.classNames.length);
  const accuracy = regression ? NaN : pred.filter((p, k) => p === testLabels[k]).length / testLabels.length;
  return { accuracy, loss: t.loss, rows: t.rows };
}

/** Indices of rows with a finite score (never a diverged or lost one), best first: highest accuracy (ties: lower loss), or lowest loss. */
export function rankRows(rows: SweepRow[], metric: SweepConfig['metric']): number[] {
  const scored = rows.filter((r) => r.status !== 'diverged' && r.status !== 'lost' && Number.isFinite(r.validationLoss));
  const key = (r: SweepRow): [number, number] =>
    metric === 'accuracy' ? [-r.validationAccuracy, r.validationLoss] : [r.validationLoss, -r.validationAccuracy];
  return scored
    .sort((a, b) => {
      const [ka, kb] = [key(a), key(b)];
      return ka[0] - kb[0] || ka[1] - kb[1] || a.index - b.index;
    })
    .map((r) => r.index);
}
