import type { ExperimentConfig } from '../config/experiment.ts';
import type { DataSplits } from '../data/dataset.ts';
import type { LoadedData } from '../data/load.ts';
import { applyStandardizer, fitStandardizer } from '../data/standardize.ts';
import type { GpuContext } from '../gpu/device.ts';
import { confusionMatrix, predictedClasses } from '../metrics/confusion.ts';
import { classificationReport } from '../metrics/report.ts';
import { OPTIMIZERS, type OptimizerKind } from '../nn/optimizer.ts';
import { Rng } from '../nn/rng.ts';
import { stratifiedKFold, summarize, type Summary } from './crossval.ts';
import { averageProbabilities, bootstrapSample, majorityVote } from './ensemble.ts';
import { boundaryFeatures, boundaryFromProbabilities, type BoundaryGrid, type PlotBounds } from './boundary.ts';
import { Session } from './session.ts';
import type { EpochRecord } from './trainer.ts';

/** Scores of one trained model on one split. */
export interface RunScores {
  loss: number;
  accuracy: number;
  macroF1: number;
  /** Epochs trained (fewer than configured when early stopping ended the run). */
  epochs: number;
}

/** Per-fold scores and their mean ± sample std. */
export interface CrossValidationResult {
  k: number;
  balanced: boolean;
  folds: RunScores[];
  summary: { loss: Summary; accuracy: Summary; macroF1: Summary };
}

/** One ensemble member: its seed and its scores on the evaluation split. */
export interface EnsembleMember {
  seed: number;
  accuracy: number;
  loss: number;
}

/** How ensemble members differ: only their seeds, or also their bootstrap samples (bagging). */
export type EnsembleMode = 'seeds' | 'bootstrap';

/** Members' and ensemble's scores, and the outputs they came from. */
export interface EnsembleResult {
  mode: EnsembleMode;
  split: 'test' | 'validation';
  members: EnsembleMember[];
  /** Accuracy of the averaged probabilities. */
  accuracy: number;
  /** Accuracy of the members' majority vote. */
  voteAccuracy: number;
  classes: number;
  labels: Uint32Array;
  /** Each member's probabilities on the split (rows × classes). */
  outputs: Float32Array[];
  averaged: Float32Array;
  /** For 2-D data, each member's decision boundary and the ensemble's (averaged probabilities); else null. */
  boundaries: { members: BoundaryGrid[]; ensemble: BoundaryGrid } | null;
}

/** Cells per side of the ensemble's decision-boundary grids. */
export const ENSEMBLE_BOUNDARY_RESOLUTION = 48;

/** One optimizer's run in a race: its loss curve. */
export interface RaceEntry {
  optimizer: OptimizerKind;
  history: EpochRecord[];
}

/** Called after each finished run of a multi-run job: `done` of `total`. */
export type RunProgress = (done: number, total: number) => void;

/** Bounds of multi-run jobs. */
export const MULTI_RUN_LIMITS = { maxMembers: 10 } as const;

type Gpu = () => Promise<GpuContext>;

/** What a multi-run job reports and how it is cancelled (`shouldStop` is polled between submits). */
export interface MultiRunHooks {
  onProgress?: RunProgress;
  shouldStop?: () => boolean;
}

/** Thrown when a job was cancelled before it finished. */
export class JobCancelledError extends Error {
  constructor(what: string) {
    super(`${what} was cancelled`);
    this.name = 'JobCancelledError';
  }
}

/**
 * Builds one run's session, trains it `epochs` epochs unless the job is cancelled, and disposes
 * of it after `use`; a cancelled job throws between submits, never waiting for a whole run.
 */
async function withRun<T>(what: string, create: () => Promise<Session>, hooks: MultiRunHooks, use: (session: Session, history: EpochRecord[]) => Promise<T>): Promise<T> {
  const stop = hooks.shouldStop ?? (() => false);
  if (stop()) throw new JobCancelledError(what);
  const session = await create();
  try {
    const history = await session.trainer.trainEpochs(session.config.epochs, undefined, stop);
    if (stop()) throw new JobCancelledError(what);
    return await use(session, history);
  } finally {
    session.dispose();
  }
}

/**
 * Stratified k-fold cross-validation over the development rows (training ∪ validation; the test
 * split stays untouched). Each fold trains a fresh model for `config.epochs` epochs on the other
 * folds, standardized on its own training rows, and is scored on its held-out fold.
 */
export async function crossValidate(config: ExperimentConfig, gpu: Gpu, data: LoadedData, k: number, balanced: boolean, hooks: MultiRunHooks = {}): Promise<CrossValidationResult> {
  const dev = Uint32Array.from([...data.splits.train, ...data.splits.validation]).sort();
  const labels = dev.map((r) => data.table.labels[r]!);
  const folds = stratifiedKFold(labels, k, config.seed, { balanced });
  const scores: RunScores[] = [];
  for (const fold of folds) {
    const splits: DataSplits = { train: fold.train.map((i) => dev[i]!), validation: fold.validation.map((i) => dev[i]!), test: data.splits.test };
    const scored = await withRun('Cross-validation', () => Session.fromData(config, gpu, restandardized(data, splits)), hooks, async (session) => ({
      ...(await score(session, 'validation')),
      epochs: session.trainer.epoch,
    }));
    scores.push(scored);
    hooks.onProgress?.(scores.length, k);
  }
  const pick = (f: keyof RunScores) => summarize(scores.map((s) => s[f]));
  return { k, balanced, folds: scores, summary: { loss: pick('loss'), accuracy: pick('accuracy'), macroF1: pick('macroF1') } };
}

/**
 * Trains `members` models of the same architecture one after another, member m with seed
 * `config.seed + m` and, for bagging, on a bootstrap sample of the training rows; then averages
 * their probabilities on the test split (the validation split when there is no test split).
 */
export async function trainEnsemble(config: ExperimentConfig, gpu: Gpu, data: LoadedData, members: number, mode: EnsembleMode, hooks: MultiRunHooks = {}): Promise<EnsembleResult> {
  if (!Number.isInteger(members) || members < 1 || members > MULTI_RUN_LIMITS.maxMembers) {
    throw new Error(`an ensemble needs 1 to ${MULTI_RUN_LIMITS.maxMembers} members, got ${members}`);
  }
  if (mode !== 'seeds' && mode !== 'bootstrap') throw new Error(`ensemble mode must be seeds or bootstrap, got ${String(mode)}`);
  const split = data.splits.test.length > 0 ? 'test' : 'validation';
  if (data.splits[split].length === 0) throw new Error('an ensemble is scored on the test or validation split: set one above 0');
  const labels = data.splits[split].map((r) => data.table.labels[r]!);
  const classes = data.classNames.length;
  const rng = new Rng(config.seed ^ 0xb0075);
  const results: EnsembleMember[] = [];
  const outputs: Float32Array[] = [];
  const gridProbs: Float32Array[] = [];
  let bounds: PlotBounds | null = null;
  const res = ENSEMBLE_BOUNDARY_RESOLUTION;
  for (let m = 0; m < members; m++) {
    const seed = (config.seed + m) >>> 0;
    const train = mode === 'bootstrap' ? bootstrapSample(data.splits.train, rng) : data.splits.train;
    await withRun('The ensemble', () => Session.fromData({ ...config, seed }, gpu, { ...data, splits: { ...data.splits, train } }), hooks, async (session) => {
      const r = await session.evaluate(split);
      outputs.push(r.outputs);
      results.push({ seed, accuracy: accuracyOf(r.outputs, labels, classes), loss: r.loss });
      bounds = session.info.points?.bounds ?? null;
      if (bounds) gridProbs.push(await session.backend.predict(boundaryFeatures(bounds, data.standardizer, res), res * res));
    });
    hooks.onProgress?.(m + 1, members);
  }
  const averaged = averageProbabilities(outputs, labels.length, classes);
  const vote = majorityVote(outputs, labels.length, classes);
  const b = bounds;
  const boundaries = b
    ? {
        members: gridProbs.map((p) => boundaryFromProbabilities(p, res, b, classes)),
        ensemble: boundaryFromProbabilities(averageProbabilities(gridProbs, res * res, classes), res, b, classes),
      }
    : null;
  return {
    mode, split, members: results, classes, labels, outputs, averaged, boundaries,
    accuracy: accuracyOf(averaged, labels, classes),
    voteAccuracy: vote.filter((p, i) => p === labels[i]).length / labels.length,
  };
}

/**
 * The same network and seed trained with each optimizer in turn (its own hyperparameters from
 * `config.optimizer`), for overlaying their loss curves.
 */
export async function raceOptimizers(config: ExperimentConfig, gpu: Gpu, data: LoadedData, kinds: OptimizerKind[], hooks: MultiRunHooks = {}): Promise<RaceEntry[]> {
  if (kinds.length === 0 || kinds.some((k) => !OPTIMIZERS.includes(k))) throw new Error(`a race needs optimizers from ${OPTIMIZERS.join(', ')}`);
  const entries: RaceEntry[] = [];
  for (const kind of kinds) {
    const history = await withRun('The optimizer race', () => Session.fromData({ ...config, optimizer: { ...config.optimizer, kind } }, gpu, data), hooks, async (_, h) => h);
    entries.push({ optimizer: kind, history });
    hooks.onProgress?.(entries.length, kinds.length);
  }
  return entries;
}

/** The data with features standardized on `splits.train` only (no leak from held-out rows). */
function restandardized(data: LoadedData, splits: DataSplits): LoadedData {
  const { table } = data;
  const standardizer = fitStandardizer(table.features, table.inputSize, splits.train);
  const features = applyStandardizer(table.features, table.inputSize, standardizer);
  return { ...data, splits, standardizer, dataset: { ...data.dataset, features } };
}

async function score(session: Session, split: keyof DataSplits): Promise<Omit<RunScores, 'epochs'>> {
  const r = await session.evaluate(split);
  const classes = session.info.classNames.length;
  const labels = session.data.splits[split].map((row) => session.data.table.labels[row]!);
  const pred = predictedClasses(r.outputs, labels.length, classes);
  const report = classificationReport(confusionMatrix(labels, pred, classes));
  return { loss: r.loss, accuracy: report.accuracy, macroF1: report.macro.f1 };
}

function accuracyOf(outputs: Float32Array, labels: Uint32Array, classes: number): number {
  const pred = predictedClasses(outputs, labels.length, classes);
  return pred.filter((p, i) => p === labels[i]).length / labels.length;
}
