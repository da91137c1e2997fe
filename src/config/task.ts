// What a model predicts: a class (softmax cross-entropy) or a number (mean squared error). The
// task decides which data sets fit, which loss and output the network gets, which metrics the
// panel shows and which remedies apply.
import { ConfigError } from './errors.ts';
import type { RemediesConfig } from './experiment.ts';

/** The tasks, in menu order. */
export const TASKS = ['classification', 'regression'] as const;
/** What a model predicts. */
export type Task = (typeof TASKS)[number];

/** Data sets whose target is a number; `csv` and `drawn` serve both tasks. */
export const REGRESSION_DATASETS = ['plane', 'gaussmix', 'csv', 'drawn'] as const;
/** Data sets that only make sense for regression (their target is a number, not a class). */
const REGRESSION_ONLY: readonly string[] = ['plane', 'gaussmix'];

/** True when `dataset` can be used for `task`. */
export function datasetFitsTask(dataset: string, task: Task): boolean {
  return task === 'regression' ? (REGRESSION_DATASETS as readonly string[]).includes(dataset) : !REGRESSION_ONLY.includes(dataset);
}

/** Throws a ConfigError when the task is unknown or the data set does not fit it. */
export function validateTask(task: unknown, dataset: string): Task {
  if (!(TASKS as readonly unknown[]).includes(task)) throw new ConfigError('task', `must be classification or regression, got ${String(task)}`);
  const t = task as Task;
  if (!datasetFitsTask(dataset, t)) {
    throw new ConfigError(
      'dataset.name',
      t === 'regression'
        ? `${dataset} is a classification data set; for regression pick plane, gaussmix, your CSV or a drawing`
        : `${dataset} is a regression data set; switch the task to regression`,
    );
  }
  return t;
}

/**
 * Why a classification-only option is off for regression, in the words the UI shows beside it.
 * The rest (L1/L2, dropout, jitter, early stopping on the loss, learning-rate schedules, the
 * optimizer race and sweeps ranked by loss) work for both tasks.
 */
export const REGRESSION_OFF = {
  classWeights: 'Class weights balance classes; a regression target has none.',
  resample: 'Resampling balances classes; a regression target has none.',
  ganOversample: 'GAN oversampling fills up a minority class; a regression target has none.',
  accuracy: 'Regression has no accuracy: it watches the validation loss (mean squared error).',
  crossValidation: 'Cross-validation scores accuracy and F1 here, which regression does not have.',
  ensembles: 'Ensembles here average class probabilities and vote; regression has no classes.',
} as const;

/** Throws a ConfigError naming the first classification-only remedy turned on in a regression experiment. */
export function validateRegressionRemedies(r: RemediesConfig): void {
  if (r.classWeights !== 'none') throw new ConfigError('remedies.classWeights', REGRESSION_OFF.classWeights);
  if (r.resample !== 'none') throw new ConfigError('remedies.resample', REGRESSION_OFF.resample);
  if (r.ganOversample !== null) throw new ConfigError('remedies.ganOversample', REGRESSION_OFF.ganOversample);
  if (r.earlyStopping && r.earlyStopping.monitor !== 'validation_loss') throw new ConfigError('remedies.earlyStopping.monitor', REGRESSION_OFF.accuracy);
}
