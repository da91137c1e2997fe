import type { RemediesConfig } from '../config/experiment.ts';
import { jitter2d } from '../data/augment.ts';
import type { TensorDataset } from '../data/dataset.ts';
import type { LoadedData } from '../data/load.ts';
import { Rng } from '../nn/rng.ts';
import { ConfigError } from '../nn/spec.ts';
import { classWeights, labelsAt, resampledLength } from './sampling.ts';
import type { ScheduleOptions } from './schedule.ts';
import type { TrainerOptions } from './trainer.ts';

/** Jittered copies of the training rows kept next to the data; each epoch draws one per row. */
export const JITTER_COPIES = 8;

/** Widest input jitter applies to: its copies cost JITTER_COPIES × the training features. */
export const JITTER_MAX_INPUTS = 16;

/** What the remedies change in a session's backend setup and trainer. */
export interface RemedySetup {
  /** The data the backend holds: the original rows, then any jittered copies of training rows. */
  dataset: TensorDataset;
  classWeights: Float32Array | null;
  dropout: number[] | null;
  /** Rows one training epoch visits (after resampling). */
  epochRows: number;
  trainer: Pick<TrainerOptions, 'schedule' | 'earlyStopping' | 'lrSchedule'>;
}

/**
 * Turns the remedies into engine settings. Class weights and resampling see the training
 * split's labels only. Jitter never touches rows in the validation or test split: the data
 * uploaded once holds `JITTER_COPIES` jittered copies of every training row after the original
 * rows, and the schedule replaces each row of an epoch by a randomly drawn copy (seeded, so
 * save/restore and the same link repeat it), which keeps the data on the GPU.
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
  let dataset = data.dataset;
  if (r.jitter > 0) {
    if (data.dataset.inputSize > JITTER_MAX_INPUTS) {
      throw new ConfigError('remedies.jitter', `input jitter is for 2-D and small tabular sets (up to ${JITTER_MAX_INPUTS} features), this data has ${data.dataset.inputSize}; images use shift/rotate/zoom augmentation`);
    }
    const bank = jitterBank(data.dataset, splits.train, r.jitter, seed);
    dataset = bank.dataset;
    schedule.remap = bank.remap;
  }
  const es = r.earlyStopping;
  if (es && splits.validation.length === 0) {
    throw new ConfigError('remedies.earlyStopping', 'needs validation rows to monitor: set a validation split above 0');
  }
  return {
    dataset,
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

/**
 * The dataset with `JITTER_COPIES` jittered copies of the distinct training rows appended (copy
 * c of the j-th distinct row is row `rows + c·n + j`), and the remap that sends each row of an
 * epoch's order to one of its copies.
 */
export function jitterBank(
  data: TensorDataset,
  train: Uint32Array,
  sigma: number,
  seed: number,
): { dataset: TensorDataset; remap: (order: Uint32Array, rng: Rng) => Uint32Array } {
  const distinct = Uint32Array.from(new Set(train));
  const n = distinct.length;
  const w = data.inputSize;
  const slot = new Int32Array(data.rows).fill(-1);
  distinct.forEach((row, j) => (slot[row] = j));
  const originals = new Float32Array(n * w);
  distinct.forEach((row, j) => originals.set(data.features.subarray(row * w, (row + 1) * w), j * w));
  const rng = new Rng(seed ^ 0x6a177e12);
  const features = new Float32Array((data.rows + JITTER_COPIES * n) * w);
  features.set(data.features);
  const targets = new Float32Array((data.rows + JITTER_COPIES * n) * data.targetWidth);
  targets.set(data.targets);
  for (let c = 0; c < JITTER_COPIES; c++) {
    features.set(jitter2d(originals, n, sigma, rng), (data.rows + c * n) * w);
    distinct.forEach((row, j) => {
      const t = data.targetWidth;
      targets.set(data.targets.subarray(row * t, (row + 1) * t), (data.rows + c * n + j) * t);
    });
  }
  const dataset: TensorDataset = { ...data, features, targets, rows: data.rows + JITTER_COPIES * n };
  const remap = (order: Uint32Array, r: Rng) => order.map((row) => data.rows + r.int(JITTER_COPIES) * n + slot[row]!);
  return { dataset, remap };
}
