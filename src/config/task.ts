// What a model predicts: a class (softmax cross-entropy) or a number (mean squared error). The
// task decides which data sets fit, which loss and output the network gets, which metrics the
// panel shows and which remedies apply.
import { ConfigError } from './errors.ts';

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
