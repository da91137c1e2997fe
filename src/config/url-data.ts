// The URL hash's keys about the data: the task, the data set's name, a drawing's points and the
// input features. Each parser validates its field and throws a ConfigError the decoder turns
// into a message (see url.ts).
import { decodeDrawn } from '../data/drawn.ts';
import { isDefaultFeatures, validateFeatures } from '../data/features.ts';
import { ConfigError } from './errors.ts';
import { taskOf, validateDataset, type DatasetConfig, type ExperimentConfig } from './experiment.ts';
import { datasetFitsTask, TASKS, validateTask, type Task } from './task.ts';
import { withTask } from './task-switch.ts';

/** The config with some dataset fields changed, validated. */
export const withDataset = (cfg: ExperimentConfig, patch: Partial<DatasetConfig>): ExperimentConfig => ({
  ...cfg,
  dataset: validateDataset({ ...cfg.dataset, ...patch }),
});

/** `features=x1,x2,x1sq`: the input features of 2-D data; the plain x1,x2 is the config without the field. */
export function parseFeatures(c: ExperimentConfig, raw: string): ExperimentConfig {
  const features = validateFeatures(raw.split(',').map((f) => f.trim()));
  const next: ExperimentConfig = { ...c, features };
  if (isDefaultFeatures(features)) delete next.features;
  return next;
}

/** `drawn=c…`: the points of a drawn data set (see src/data/drawn.ts); other data sets have none. */
export function parseDrawn(c: ExperimentConfig, raw: string): ExperimentConfig {
  if (c.dataset.name !== 'drawn') throw new ConfigError('drawn', 'only the drawn data set has drawn points');
  return withDataset(c, { drawn: decodeDrawn(raw) });
}

/** `task=regression`; classification is the config without the field. */
export function parseTask(c: ExperimentConfig, raw: string): ExperimentConfig {
  if (!(TASKS as readonly string[]).includes(raw)) throw new ConfigError('task', `must be ${TASKS.join(' or ')}`);
  return withTask(c, raw as Task);
}

/** `dataset=…`, which must fit the task; a regression-only set (plane, gaussmix) alone implies `task=regression`. */
export function parseDatasetName(c: ExperimentConfig, raw: string): ExperimentConfig {
  const next = withDataset(c, { name: raw as DatasetConfig['name'] });
  if (c.task === undefined && !datasetFitsTask(raw, 'classification')) return withTask(next, 'regression');
  validateTask(taskOf(next), raw);
  return next;
}
