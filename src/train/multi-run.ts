import { taskOf, type ExperimentConfig } from '../config/experiment.ts';
import { ConfigError } from '../config/errors.ts';
import { REGRESSION_OFF } from '../config/task.ts';
import type { DataSplits } from '../data/dataset.ts';
import type { LoadedData } from '../data/load.ts';
import { applyStandardizer, fitStandardizer } from '../data/standardize.ts';
import { expandFeatures, isDefaultFeatures } from '../data/features.ts';
import type { GpuContext } from '../gpu/device.ts';
import { confusionMatrix, predictedClasses } from '../metrics/confusion.ts';
import { classificationReport } from '../metrics/report.ts';
import { OPTIMIZERS, type OptimizerKind } from '../nn/optimizer.ts';
import { Rng } from '../nn/rng.ts';
import { stratifiedKFold, summarize, type Summary } from './crossval.ts';
import { averageProbabilities, bootstrapSample, majorityVote } from './ensemble.ts';
import { boundaryFeatures, boundaryFromProbabilities, type BoundaryGrid } from './boundary.ts';
import { withJob } from './multi-run-job.ts';
import type { JobMember } from './batch-job.ts';
import { plotBounds } from './session.ts';
import type { EpochRecord } from './trainer.ts';

/** Scores of one trained model on one split. */
export interface RunScores {
  loss: number;
  accuracy: number;
  macroF1: number;
  /** Epochs trained (fewer than configured when early stopping ended the run). */
  epochs: number;
}

/** One fold's scores on its held-out rows. */
export interface FoldScores extends RunScores {
  /** Which fold (0-based): a lost fold leaves a gap. */
  fold: number;
}

/** Per-fold scores and their mean ± sample std. */
export interface CrossValidationResult {
  k: number;
  balanced: boolean;
  /** The folds that finished (every fold unless some were lost); the summary is over these. */
  folds: FoldScores[];
  summary: { loss: Summary; accuracy: Summary; macroF1: Summary };
  /** The message naming the folds that were lost and why, when any were. */
  lost?: string;
}

/** One ensemble member: its seed and its scores on the evaluation split. */
export interface EnsembleMember {
  /** Its place among the members asked for (0-based): a lost member leaves a gap. */
  member: number;
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
  /** Accuracy of the averaged probabilities (of the members that finished). */
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
  /** The message naming the members that were lost (left out of the ensemble) and why, when any were. */
  lost?: string;
}

/** Cells per side of the ensemble's decision-boundary grids. */
export const ENSEMBLE_BOUNDARY_RESOLUTION = 48;

/** One optimizer's run in a race: its loss curve. */
export interface RaceEntry {
  optimizer: OptimizerKind;
  /** Its epochs, up to where it was lost if it was. */
  history: EpochRecord[];
  /** Why its run was lost (its CPU pool workers kept dying), when it was. */
  lost?: string;
}

/**
 * Progress of a multi-run job: epochs trained so far summed over its models, of all of them.
 * Its models train together, so runs finish together rather than one after another.
 */
export type RunProgress = (done: number, total: number) => void;

/** Bounds of multi-run jobs. */
export const MULTI_RUN_LIMITS = { maxMembers: 10 } as const;

type Gpu = () => Promise<GpuContext>;

/** What a multi-run job reports and how it is cancelled (`shouldStop` is polled between submits). */
export interface MultiRunHooks {
  onProgress?: RunProgress;
  shouldStop?: () => boolean;
}

export { JobCancelledError } from './multi-run-job.ts';

/**
 * Stratified k-fold cross-validation over the development rows (training ∪ validation; the test
 * split stays untouched). The k folds train together as one batch, each a fresh model for
 * `config.epochs` epochs on the other folds, standardized on its own training rows, and each is
 * scored on its held-out fold.
 */
export async function crossValidate(
  config: ExperimentConfig,
  gpu: Gpu,
  data: LoadedData,
  k: number,
  balanced: boolean,
  hooks: MultiRunHooks = {},
): Promise<CrossValidationResult> {
  if (taskOf(config) === 'regression') throw new ConfigError('task', REGRESSION_OFF.crossValidation);
  const members = foldMembers(config, data, k, balanced);
  const { answer, lost } = await withJob('Cross-validation', members, gpu, hooks, { noun: ['Fold', 'Folds'] }, async (job, kept) => {
    const results = await job.evaluate((i) => members[i]!.data.splits.validation);
    const scores = kept.map((i) => ({ fold: i, ...scoreOf(results[i]!.loss, results[i]!.outputs, members[i]!.data, 'validation'), epochs: job.run(i).epoch }));
    const pick = (f: keyof RunScores) => summarize(scores.map((s) => s[f]));
    return { k, balanced, folds: scores, summary: { loss: pick('loss'), accuracy: pick('accuracy'), macroF1: pick('macroF1') } };
  });
  // A lost fold leaves the summary over fewer folds, and says which.
  return lost ? { ...answer, lost } : answer;
}

/**
 * Trains `members` models of the same architecture together, member m with seed
 * `config.seed + m` and, for bagging, on a bootstrap sample of the training rows; then averages
 * their probabilities on the test split (the validation split when there is no test split).
 */
export async function trainEnsemble(
  config: ExperimentConfig,
  gpu: Gpu,
  data: LoadedData,
  members: number,
  mode: EnsembleMode,
  hooks: MultiRunHooks = {},
): Promise<EnsembleResult> {
  if (taskOf(config) === 'regression') throw new ConfigError('task', REGRESSION_OFF.ensembles);
  if (!Number.isInteger(members) || members < 1 || members > MULTI_RUN_LIMITS.maxMembers) {
    throw new Error(`an ensemble needs 1 to ${MULTI_RUN_LIMITS.maxMembers} members, got ${members}`);
  }
  if (mode !== 'seeds' && mode !== 'bootstrap') throw new Error(`ensemble mode must be seeds or bootstrap, got ${String(mode)}`);
  const split = data.splits.test.length > 0 ? 'test' : 'validation';
  if (data.splits[split].length === 0) throw new Error('an ensemble is scored on the test or validation split: set one above 0');
  const labels = data.splits[split].map((r) => data.table.labels[r]!);
  const classes = data.classNames.length;
  const rng = new Rng(config.seed ^ 0xb0075);
  const jobMembers = Array.from({ length: members }, (_, m) => {
    const train = mode === 'bootstrap' ? bootstrapSample(data.splits.train, rng) : data.splits.train;
    return { config: { ...config, seed: (config.seed + m) >>> 0 }, data: { ...data, splits: { ...data.splits, train } } };
  });
  const seedOf = (m: number) => jobMembers[m]!.config.seed;
  const named = { noun: ['Member', 'Members'] as [string, string], label: (m: number) => `${m + 1} (seed ${seedOf(m)})` };
  const { answer, lost } = await withJob('The ensemble', jobMembers, gpu, hooks, named, async (job, kept): Promise<EnsembleResult> => {
    // A lost member is left out: the ensemble is the average and vote of the others.
    const results = (await job.evaluate(() => data.splits[split])).filter((_, m) => kept.includes(m));
    const outputs = results.map((r) => r.outputs);
    const bounds = data.table.inputSize === 2 ? plotBounds(data) : null;
    const res = ENSEMBLE_BOUNDARY_RESOLUTION;
    const grid = bounds ? await job.predict(boundaryFeatures(bounds, data.standardizer, res, data.features ?? undefined), res * res) : [];
    const gridProbs = grid.filter((_, m) => kept.includes(m));
    const averaged = averageProbabilities(outputs, labels.length, classes);
    const vote = majorityVote(outputs, labels.length, classes);
    const boundaries = bounds
      ? {
          members: gridProbs.map((p) => boundaryFromProbabilities(p, res, bounds, classes)),
          ensemble: boundaryFromProbabilities(averageProbabilities(gridProbs, res * res, classes), res, bounds, classes),
        }
      : null;
    return {
      mode,
      split,
      classes,
      labels,
      outputs,
      averaged,
      boundaries,
      members: results.map((r, j) => ({ member: kept[j]!, seed: seedOf(kept[j]!), accuracy: accuracyOf(r.outputs, labels, classes), loss: r.loss })),
      accuracy: accuracyOf(averaged, labels, classes),
      voteAccuracy: vote.filter((p, i) => p === labels[i]).length / labels.length,
    };
  });
  return lost ? { ...answer, lost } : answer;
}

/**
 * The same network and seed trained with each optimizer (its own hyperparameters from
 * `config.optimizer`), all together as one batch, for overlaying their loss curves.
 */
export async function raceOptimizers(
  config: ExperimentConfig,
  gpu: Gpu,
  data: LoadedData,
  kinds: OptimizerKind[],
  hooks: MultiRunHooks = {},
): Promise<RaceEntry[]> {
  if (kinds.length === 0 || kinds.some((k) => !OPTIMIZERS.includes(k))) throw new Error(`a race needs optimizers from ${OPTIMIZERS.join(', ')}`);
  const members = kinds.map((kind) => ({ config: { ...config, optimizer: { ...config.optimizer, kind } }, data }));
  // A lost optimizer keeps the epochs it trained, marked lost (the panel says why).
  const { answer } = await withJob('The optimizer race', members, gpu, hooks, { noun: ['Optimizer', 'Optimizers'], label: (i) => kinds[i]! }, async (job) =>
    kinds.map((kind, i) => {
      const why = job.run(i).lost;
      return { optimizer: kind, history: [...job.run(i).history], ...(why ? { lost: why } : {}) };
    }),
  );
  return answer;
}

/**
 * The k folds of cross-validation as job members: stratified over training ∪ validation, each
 * trained on the other folds (standardized on them) and validated on its own.
 */
export function foldMembers(config: ExperimentConfig, data: LoadedData, k: number, balanced: boolean): JobMember[] {
  const dev = Uint32Array.from([...data.splits.train, ...data.splits.validation]).sort();
  const labels = dev.map((r) => data.table.labels[r]!);
  const folds = stratifiedKFold(labels, k, config.seed, { balanced });
  return folds.map((fold) => ({
    config,
    data: restandardized(data, { train: fold.train.map((i) => dev[i]!), validation: fold.validation.map((i) => dev[i]!), test: data.splits.test }),
  }));
}

/** The data with features standardized on `splits.train` only (no leak from held-out rows); unscaled data (MNIST pixels) stays as it is. */
export function restandardized(data: LoadedData, splits: DataSplits): LoadedData {
  const { table } = data;
  const scaled = data.standardizer.mean.some((m) => m !== 0) || data.standardizer.std.some((s) => s !== 1);
  if (!scaled) return { ...data, splits };
  // The model's inputs before scaling: the table's columns, or the input features made from them.
  const raw = data.features && !isDefaultFeatures(data.features) ? expandFeatures(table.features, table.labels.length, data.features) : table.features;
  const width = data.dataset.inputSize;
  const standardizer = fitStandardizer(raw, width, splits.train);
  const features = applyStandardizer(raw, width, standardizer);
  return { ...data, splits, standardizer, dataset: { ...data.dataset, features } };
}

/** Loss, accuracy and macro F1 of outputs on a split's rows. */
function scoreOf(loss: number, outputs: Float32Array, data: LoadedData, split: keyof DataSplits): Omit<RunScores, 'epochs'> {
  const classes = data.classNames.length;
  const labels = data.splits[split].map((row) => data.table.labels[row]!);
  const pred = predictedClasses(outputs, labels.length, classes);
  const report = classificationReport(confusionMatrix(labels, pred, classes));
  return { loss, accuracy: report.accuracy, macroF1: report.macro.f1 };
}

function accuracyOf(outputs: Float32Array, labels: Uint32Array, classes: number): number {
  const pred = predictedClasses(outputs, labels.length, classes);
  return pred.filter((p, i) => p === labels[i]).length / labels.length;
}
