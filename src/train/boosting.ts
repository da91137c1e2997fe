// Boosting's driver, without UI: SAMME rounds (samme.ts), each a fresh network trained as a job of
// one member on the training rows weighted by the earlier rounds' mistakes (per-row loss weights).
// Rounds depend on each other, so they run one after another.
import { taskOf, type ExperimentConfig } from '../config/experiment.ts';
import { ConfigError } from '../config/errors.ts';
import type { LoadedData } from '../data/load.ts';
import type { GpuContext } from '../gpu/device.ts';
import { predictedClasses } from '../metrics/confusion.ts';
import { BatchJob } from './batch-job.ts';
import { BoostingGrid, type BoostingBoundaries } from './boosting-view.ts';
import { labelsAt } from './sampling.ts';
import { rowWeightTable, sammePredict, sammeRound, uniformWeights, type SammeOutcome } from './samme.ts';

/** Bounds of a boosting run. */
export const BOOSTING_LIMITS = { maxRounds: 50 } as const;

/** Settings of a boosting run; the weak learner is the experiment's network, optimizer and epochs. */
export interface BoostingOptions {
  /** Rounds at most (1 .. 50); boosting may stop earlier (see sammeRound). */
  rounds: number;
  /** The learning rate η on every vote α. */
  shrinkage: number;
}

/** One trained round. */
export interface BoostingRound {
  /** 0-based round; its network's seed is the experiment's seed + round. */
  round: number;
  outcome: SammeOutcome | 'diverged';
  /** The network's weighted error on the training rows (NaN when it diverged). */
  error: number;
  /** Its vote (0 when discarded). */
  alpha: number;
  message: string;
  /** The ensemble's accuracy after this round on each split; NaN for an empty split or no ensemble. */
  accuracy: { train: number; validation: number; test: number };
  /**
   * 2-D data only: the row weights this round's network trained with, one per dataset row (mean 1
   * over the training rows, 0 elsewhere), and its boundary beside the ensemble's after the round.
   */
  view?: { weights: Float32Array; boundaries: BoostingBoundaries | null };
}

/** A finished (or cancelled) boosting run. */
export interface BoostingResult {
  rounds: BoostingRound[];
  /** The kept members' votes, in round order. */
  alphas: number[];
  /** The kept members' classes for every dataset row, in round order. */
  predictions: Uint32Array[];
  /** The training rows' weights after the last round (aligned with `data.splits.train`, sum 1). */
  weights: Float64Array;
  /** Why boosting stopped before its last round, or empty. */
  message: string;
  /** Cancelled between or during rounds: a round cut short is dropped, the rounds before it kept. */
  cancelled: boolean;
  /** The network's inputs per row and the classes: what an exported script needs to rebuild it. */
  inputs: number;
  classes: number;
}

/** How a boosting run reports and is cancelled (polled between submits and rounds). */
export interface BoostingHooks {
  onRound?: (round: BoostingRound) => void;
  /** Epochs trained so far over all rounds, of `rounds` × epochs (a run that stops early never reaches it). */
  onProgress?: (done: number, total: number) => void;
  shouldStop?: () => boolean;
}

/**
 * Runs SAMME: round m trains a fresh network (seed config.seed + m) for config.epochs epochs on the
 * training rows with the current row weights, predicts every row, and takes its vote and the next
 * weights from sammeRound. A network that diverges is left out and stops boosting, like one no
 * better than chance.
 */
export async function boost(
  config: ExperimentConfig,
  gpu: () => Promise<GpuContext>,
  data: LoadedData,
  options: BoostingOptions,
  hooks: BoostingHooks = {},
): Promise<BoostingResult> {
  checkOptions(config, data, options);
  const { train } = data.splits;
  const classes = data.classNames.length;
  const rows = data.dataset.rows;
  const trainLabels = labelsAt(train, data.table.labels);
  const all = Uint32Array.from({ length: rows }, (_, i) => i);
  const result: BoostingResult = {
    rounds: [],
    alphas: [],
    predictions: [],
    weights: uniformWeights(train.length),
    message: '',
    cancelled: false,
    inputs: data.dataset.inputSize,
    classes,
  };
  const stop = () => hooks.shouldStop?.() === true;
  const grid = BoostingGrid.for(data);
  const total = options.rounds * config.epochs;
  for (let round = 0; round < options.rounds; round++) {
    if (stop()) return { ...result, cancelled: true };
    const rowWeights = rowWeightTable(result.weights, train, rows);
    const member = { config: { ...config, seed: (config.seed + round) >>> 0 }, data, rowWeights };
    const job = await BatchJob.create([member], gpu);
    let pred: Uint32Array | null = null;
    let gridProbs: Float32Array | null = null;
    try {
      const onProgress = (p: { epochs: number }) => hooks.onProgress?.(round * config.epochs + p.epochs, total);
      await job.train({ onProgress, ...(hooks.shouldStop ? { shouldStop: hooks.shouldStop } : {}) });
      if (stop()) return { ...result, cancelled: true };
      if (job.run(0).status !== 'diverged') {
        pred = predictedClasses((await job.evaluate(() => all))[0]!.outputs, rows, job.info.spec.outputSize);
        if (grid) gridProbs = await grid.predict(job);
      }
    } finally {
      job.dispose();
    }
    const p = pred;
    const r = p
      ? sammeRound(
          result.weights,
          train.map((i) => p[i]!),
          trainLabels,
          classes,
          options.shrinkage,
          round,
        )
      : {
          outcome: 'diverged' as const,
          error: NaN,
          alpha: 0,
          weights: result.weights,
          continue: false,
          message: `Round ${round + 1}'s network diverged, so it is left out and boosting stops here.`,
        };
    if (p && r.outcome !== 'chance') {
      result.alphas.push(r.alpha);
      result.predictions.push(p);
    }
    result.weights = r.weights;
    const done: BoostingRound = {
      round,
      outcome: r.outcome,
      error: r.error,
      alpha: r.outcome === 'chance' ? 0 : r.alpha,
      message: r.message,
      accuracy: ensembleAccuracy(result, data, classes),
    };
    if (grid) done.view = { weights: rowWeights, boundaries: gridProbs ? grid.round(gridProbs, p && r.outcome !== 'chance' ? r.alpha : 0) : null };
    result.rounds.push(done);
    hooks.onRound?.(done);
    if (!r.continue) return { ...result, message: r.message };
  }
  return result;
}

function checkOptions(config: ExperimentConfig, data: LoadedData, options: BoostingOptions): void {
  if (taskOf(config) === 'regression') throw new ConfigError('task', 'Boosting votes on classes; a regression target has none.');
  const { rounds, shrinkage } = options;
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > BOOSTING_LIMITS.maxRounds) {
    throw new Error(`boosting needs 1 to ${BOOSTING_LIMITS.maxRounds} rounds, got ${rounds}`);
  }
  if (!(shrinkage > 0) || !Number.isFinite(shrinkage)) throw new Error(`the shrinkage (learning rate on α) must be > 0, got ${shrinkage}`);
  if (data.splits.train.length === 0) throw new Error('boosting needs training rows');
}

/** The ensemble's accuracy so far on each split. */
function ensembleAccuracy(result: BoostingResult, data: LoadedData, classes: number): BoostingRound['accuracy'] {
  const rows = data.dataset.rows;
  const votes = result.alphas.length ? sammePredict(result.predictions, result.alphas, rows, classes) : null;
  const on = (split: Uint32Array) => (votes && split.length ? split.filter((i) => votes[i] === data.table.labels[i]).length / split.length : NaN);
  return { train: on(data.splits.train), validation: on(data.splits.validation), test: on(data.splits.test) };
}
