// Stacking's driver, without UI: each base learner's k fold models and its full-data model train
// as one batch (stacking-folds.ts plans them), the meta-learner trains on their out-of-fold class
// probabilities, and the stack is scored on the test rows beside each learner and their soft vote.
import { remediesOf, taskOf, type ExperimentConfig } from '../config/experiment.ts';
import { ConfigError } from '../config/errors.ts';
import type { LoadedData } from '../data/load.ts';
import type { GpuContext } from '../gpu/device.ts';
import { confusionMatrix, predictedClasses } from '../metrics/confusion.ts';
import { classificationReport } from '../metrics/report.ts';
import type { LayerSpec } from '../nn/spec.ts';
import { BatchJob, type JobMember } from './batch-job.ts';
import { averageProbabilities } from './ensemble.ts';
import { JobCancelledError, restandardized, type MultiRunHooks } from './multi-run.ts';
import { fullDataMatrix, outOfFoldMatrix, stackingPlan } from './stacking-folds.ts';

/** Bounds of a stacking run. */
export const STACKING_LIMITS = { maxLearners: 8 } as const;

/** What a base learner changes in the experiment: its network and optimizer (and epochs). */
export type BaseLearner = Partial<Pick<ExperimentConfig, 'hidden' | 'optimizer' | 'epochs' | 'batchSize'>>;

/** Settings of a stacking run. */
export interface StackingOptions {
  learners: BaseLearner[];
  /** Folds of the out-of-fold predictions (2 .. 20, at most the smallest class's rows). */
  k: number;
  /** The meta-learner's hidden layers: none (multinomial logistic regression) by default. */
  metaHidden?: LayerSpec[];
  /** Also give the meta-learner each row's original (standardized) features beside the probabilities. */
  passFeatures?: boolean;
}

/** How a stacking run reports: batches trained (`onProgress`), and epochs over all its models (`onEpochs`). */
export interface StackingHooks extends MultiRunHooks {
  onEpochs?: (done: number, total: number) => void;
}

/** Test accuracy and macro F1 of one model or combination. */
export interface StackScore {
  accuracy: number;
  macroF1: number;
}

/** A finished stacking run, scored on the test rows. */
export interface StackingResult {
  /** Each base learner's full-data model. */
  learners: StackScore[];
  /** The soft vote (averaged probabilities) of the same full-data models. */
  average: StackScore;
  /** The meta-learner on the full-data models' probabilities. */
  stack: StackScore;
  /** The meta-learner's training matrix: out-of-fold probabilities of the stacking rows [rows, M·classes]. */
  outOfFold: Float32Array;
  /** The meta-learner's inputs per row: M·classes probabilities, plus the original features when passed. */
  metaInputs: number;
  /** The base learners' inputs per row and the classes: what an exported script needs to rebuild them. */
  inputs: number;
  classes: number;
}

type Gpu = () => Promise<GpuContext>;

/**
 * Stacks `options.learners` over the training ∪ validation rows: per learner one batch of k fold
 * models (each standardized on, and trained on, its fold's other rows, with no validation rows so
 * nothing held out steers it) and one model on all those rows; then the meta-learner, the
 * experiment's optimizer and epochs with `metaHidden`, on the out-of-fold probabilities of the
 * training rows (validated on those of the validation rows); tested on the full-data models'
 * probabilities of the test rows. `hooks.onProgress` counts batches trained (M + 1 in all);
 * `hooks.shouldStop`, polled between submits, cancels with a JobCancelledError.
 */
export async function stack(
  config: ExperimentConfig,
  gpu: Gpu,
  data: LoadedData,
  options: StackingOptions,
  hooks: StackingHooks = {},
): Promise<StackingResult> {
  checkOptions(config, data, options);
  const { k, learners } = options;
  const { test } = data.splits;
  const classes = data.classNames.length;
  const pool = Uint32Array.from([...data.splits.train, ...data.splits.validation]).sort();
  const plan = stackingPlan(pool, data.table.labels, learners.length, k, config.seed, test);
  const predictions: Float32Array[] = [];
  const fullTest: Float32Array[] = [];
  // Epochs of every model: k + 1 per learner, then the meta-learner's.
  const totalEpochs = learners.reduce((n, l) => n + (k + 1) * (l.epochs ?? config.epochs), config.epochs);
  let epochsBefore = 0;
  const train = async (job: BatchJob, done: number, what: string, planned?: { fold: number | null }[]) => {
    const onProgress = (p: { epochs: number }) => hooks.onEpochs?.(epochsBefore + p.epochs, totalEpochs);
    await job.train({ onProgress, ...(hooks.shouldStop ? { shouldStop: hooks.shouldStop } : {}) });
    if (hooks.shouldStop?.()) throw new JobCancelledError('Stacking');
    const diverged = job.size > 0 && Array.from({ length: job.size }, (_, i) => job.run(i).status).includes('diverged');
    if (diverged) throw new Error(`${what} diverged (its loss became NaN or infinite): lower its learning rate or change its network, then start again.`);
    lostModels(job, what, planned);
    epochsBefore += job.run(0).target * job.size;
    hooks.onProgress?.(done, learners.length + 1);
  };
  for (let m = 0; m < learners.length; m++) {
    const cfg = { ...config, ...learners[m] };
    const planned = plan.members.slice(m * (k + 1), (m + 1) * (k + 1));
    const members: JobMember[] = planned.map((p) => ({ config: cfg, data: restandardized(data, { train: p.train, validation: new Uint32Array(0), test }) }));
    const job = await BatchJob.create(members, gpu);
    try {
      await train(job, m + 1, `Base learner ${m + 1}`, planned);
      const outputs = (await job.evaluate((i) => (planned[i]!.fold === null ? test : planned[i]!.predict))).map((r) => r.outputs);
      lostModels(job, `Base learner ${m + 1}`, planned);
      outputs.forEach((o, i) => (planned[i]!.fold === null ? fullTest.push(o) : (predictions[m * (k + 1) + i] = o)));
      predictions[m * (k + 1) + k] = new Float32Array(0);
    } finally {
      job.dispose();
    }
  }
  const outOfFold = outOfFoldMatrix(plan, predictions, classes);
  const metaOutputs = await trainMeta(config, gpu, data, options, { pool, outOfFold, test: fullDataMatrix(fullTest, test.length, classes) }, (job) =>
    train(job, learners.length + 1, 'The meta-learner'),
  );
  const labels = test.map((r) => data.table.labels[r]!);
  const score = (outputs: Float32Array) => scoreOf(outputs, labels, classes);
  const metaInputs = learners.length * classes + (options.passFeatures ? data.dataset.inputSize : 0);
  return {
    learners: fullTest.map(score),
    average: score(averageProbabilities(fullTest, test.length, classes)),
    stack: score(metaOutputs),
    outOfFold,
    metaInputs,
    inputs: data.dataset.inputSize,
    classes,
  };
}

/**
 * Throws, naming them, when `job` lost models (their CPU pool workers kept dying). Stacking cannot
 * go on without them: the meta-learner trains on every row's out-of-fold probabilities, and a lost
 * fold model leaves its fold's rows without any (a lost full-data model, the test rows).
 */
function lostModels(job: BatchJob, what: string, planned?: { fold: number | null }[]): void {
  const label = (i: number) => (planned?.[i] ? (planned[i].fold === null ? 'its model on all rows' : `its fold ${planned[i].fold + 1} model`) : 'its model');
  const lost = job.lostMembers();
  if (lost.length === 0) return;
  const reasons = [...new Set(lost.map((i) => job.run(i).lost!))].join('; ');
  throw new Error(
    `${what} lost ${lost.map(label).join(', ')}: ${reasons}. Stacking needs every fold's out-of-fold probabilities, so it stops here; start it again.`,
  );
}

/** Trains the meta-learner on probability features and returns its test outputs. */
async function trainMeta(
  config: ExperimentConfig,
  gpu: Gpu,
  data: LoadedData,
  options: StackingOptions,
  m: { pool: Uint32Array; outOfFold: Float32Array; test: Float32Array },
  train: (job: BatchJob) => Promise<void>,
): Promise<Float32Array> {
  const probs = options.learners.length * data.classNames.length;
  const extra = options.passFeatures ? data.dataset.inputSize : 0;
  const width = probs + extra;
  // Features of every dataset row: out of fold for the stacking rows, the full-data models' for the test rows.
  const features = new Float32Array(data.dataset.rows * width);
  m.pool.forEach((r, i) => features.set(m.outOfFold.subarray(i * probs, (i + 1) * probs), r * width));
  data.splits.test.forEach((r, i) => features.set(m.test.subarray(i * probs, (i + 1) * probs), r * width));
  // The original inputs, as standardized on the training split, after the probabilities.
  if (extra) for (let r = 0; r < data.dataset.rows; r++) features.set(data.dataset.features.subarray(r * extra, (r + 1) * extra), r * width + probs);
  // Probabilities are already on one scale, and passed features are standardized: no further scaling.
  const meta: LoadedData = {
    ...data,
    dataset: { ...data.dataset, features, inputSize: width },
    standardizer: { mean: new Float64Array(width), std: new Float64Array(width).fill(1) },
    features: null,
  };
  // The input features of 2-D data (x1², sin x1, ...) describe the original columns, not these.
  const metaConfig: ExperimentConfig = { ...config, hidden: options.metaHidden ?? [] };
  delete metaConfig.features;
  const job = await BatchJob.create([{ config: metaConfig, data: meta }], gpu);
  try {
    await train(job);
    return (await job.evaluate(() => data.splits.test))[0]!.outputs;
  } finally {
    job.dispose();
  }
}

function checkOptions(config: ExperimentConfig, data: LoadedData, options: StackingOptions): void {
  if (taskOf(config) === 'regression') throw new ConfigError('task', 'Stacking combines class probabilities; a regression target has none.');
  const n = options.learners.length;
  if (n < 1 || n > STACKING_LIMITS.maxLearners) throw new Error(`stacking needs 1 to ${STACKING_LIMITS.maxLearners} base learners, got ${n}`);
  if (remediesOf(config).earlyStopping)
    throw new ConfigError('remedies.earlyStopping', 'stacking trains every model for its epochs: early stopping would choose them on rows they predict');
  if (data.splits.test.length === 0) throw new Error('stacking is scored on the test split: set one above 0');
}

function scoreOf(outputs: Float32Array, labels: Uint32Array, classes: number): StackScore {
  const report = classificationReport(confusionMatrix(labels, predictedClasses(outputs, labels.length, classes), classes));
  return { accuracy: report.accuracy, macroF1: report.macro.f1 };
}
