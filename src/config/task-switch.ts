import { remediesOf, taskOf, type ExperimentConfig } from './experiment.ts';
import { datasetFitsTask, type Task } from './task.ts';

/** The data set a task switch lands on when the current one does not fit: TensorFlow Playground's first of each. */
const FIRST_DATASET: Record<Task, 'spiral' | 'plane'> = { classification: 'spiral', regression: 'plane' };

/**
 * The experiment switched to `task`: the same data set when it fits the new task, else (and for a
 * CSV file or a drawing, made for one task) the task's first 2-D set with the same size and noise; for regression, the
 * classification-only remedies turned off and early stopping set to watch the loss. The config
 * without a `task` field is a classifier, as before tasks existed.
 */
export function withTask(config: ExperimentConfig, task: Task): ExperimentConfig {
  const next: ExperimentConfig = { ...config, task };
  if (task === 'classification') delete next.task;
  // A CSV table and a drawing were made for one task (classes or values): they do not carry over.
  const carried = datasetFitsTask(config.dataset.name, task) && config.dataset.name !== 'csv' && config.dataset.name !== 'drawn';
  if (!carried && taskOf(config) !== task) {
    next.dataset = { ...config.dataset, name: FIRST_DATASET[task], size: Math.min(config.dataset.size, 2000) };
    delete next.dataset.drawn;
  }
  if (task === 'regression' && config.remedies) {
    const r = remediesOf(config);
    const es = r.earlyStopping;
    next.remedies = {
      ...r,
      classWeights: 'none',
      resample: 'none',
      ganOversample: null,
      earlyStopping: es && es.monitor !== 'validation_loss' ? { ...es, monitor: 'validation_loss' } : es,
    };
  }
  return next;
}
