import type { RemediesConfig } from '../config/experiment.ts';
import { IMAGE_PIXELS, type AugmentSetup } from '../data/augment.ts';
import type { LoadedData } from '../data/load.ts';
import { ConfigError } from '../config/errors.ts';
import { classWeights, labelsAt, resampledLength } from './sampling.ts';
import type { ScheduleOptions } from './schedule.ts';
import type { TrainerOptions } from './trainer.ts';

/** Widest input jitter applies to: it is meant for 2-D and small tabular sets. */
export const JITTER_MAX_INPUTS = 16;

/** What the remedies change in a session's backend setup and trainer. */
export interface RemedySetup {
  /** Fresh per-batch augmentation of the training batches, or null. */
  augment: AugmentSetup | null;
  classWeights: Float32Array | null;
  dropout: number[] | null;
  /** Rows one training epoch visits (after resampling). */
  epochRows: number;
  trainer: Pick<TrainerOptions, 'schedule' | 'earlyStopping' | 'lrSchedule'>;
}

/**
 * Turns the remedies into engine settings. Class weights and resampling see the training
 * split's labels only. Jitter and image augmentation apply to training batches only, on the GPU
 * with draws hashed from the seed and the step (so save/restore and the same link repeat them);
 * evaluation sees the data as it is.
 */
export function remedySetup(r: RemediesConfig, data: LoadedData, seed: number): RemedySetup {
  const { splits, table } = data;
  const classes = data.classNames.length;
  const trainLabels = labelsAt(splits.train, table.labels);
  let weights: Float32Array | null = null;
  if (r.classWeights !== 'none') {
    try {
      weights = classWeights(trainLabels, classes, r.classWeights);
    } catch (e) {
      throw new ConfigError('remedies.classWeights', (e as Error).message);
    }
  }
  const schedule: ScheduleOptions = {};
  if (r.resample !== 'none') schedule.resample = { mode: r.resample, labels: table.labels, classes };
  let augment: AugmentSetup | null = null;
  const inputs = data.dataset.inputSize;
  if (r.jitter > 0 && r.imageAugment) throw new ConfigError('remedies.jitter', 'jitter and image augmentation are for different data; turn one off');
  if (r.jitter > 0) {
    if (inputs > JITTER_MAX_INPUTS) {
      throw new ConfigError(
        'remedies.jitter',
        `input jitter is for 2-D and small tabular sets (up to ${JITTER_MAX_INPUTS} features), this data has ${inputs}; images use shift/rotate/zoom augmentation`,
      );
    }
    augment = { kind: 'jitter', sigma: r.jitter, seed };
  }
  if (r.imageAugment) {
    if (inputs !== IMAGE_PIXELS)
      throw new ConfigError('remedies.imageAugment', `shift/rotate/zoom needs 28×28 images (MNIST), this data has ${inputs} features; 2-D sets use jitter`);
    augment = { kind: 'image', ranges: { ...r.imageAugment }, seed };
  }
  const es = r.earlyStopping;
  if (es && splits.validation.length === 0) {
    throw new ConfigError('remedies.earlyStopping', 'needs validation rows to monitor: set a validation split above 0');
  }
  return {
    augment,
    classWeights: weights,
    dropout: r.dropout.some((p) => p > 0) ? [...r.dropout] : null,
    epochRows: resampledLength(splits.train, table.labels, classes, r.resample),
    trainer: {
      schedule,
      earlyStopping: es ? { monitor: es.monitor, patience: es.patience, minDelta: es.minDelta } : null,
      lrSchedule: r.lrSchedule,
    },
  };
}
