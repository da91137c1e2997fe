import { taskOf, type ExperimentConfig } from '../config/experiment.ts';
import type { PreparedData } from '../data/prepare.ts';
import { validateModelSpec, type ModelSpec } from '../nn/spec.ts';

/**
 * The network an experiment trains on its data: a softmax head over the classes, or for
 * regression one linear output trained on mean squared error. Checked against the model limits.
 */
export function experimentSpec(config: ExperimentConfig, data: PreparedData): ModelSpec {
  const regression = taskOf(config) === 'regression';
  return validateModelSpec({
    inputSize: data.dataset.inputSize,
    hidden: config.hidden,
    outputSize: regression ? 1 : data.classNames.length,
    loss: regression ? 'mse' : 'softmax_ce',
  });
}
