import type { Rng } from '../nn/rng.ts';

/** How class weights are chosen: from the class frequencies, or one weight per class by hand. */
export type ClassWeightMode = 'balanced' | number[];

/** How one epoch's training rows are resampled against class imbalance. */
export type ResampleMode = 'none' | 'oversample' | 'undersample';

/** The resampling modes, for config validation and the UI's picker. */
export const RESAMPLE_MODES: readonly ResampleMode[] = ['none', 'oversample', 'undersample'];

/**
 * Rows per class. Every label must be an integer class id below `classes`: a stray label would
 * otherwise silently index past the weight table the loss kernel reads.
 */
export function classCounts(labels: ArrayLike<number>, classes: number): Uint32Array {
  checkClasses(classes);
  const counts = new Uint32Array(classes);
  for (let i = 0; i < labels.length; i++) counts[checkLabel(labels[i]!, classes, i)]!++;
  return counts;
}

/**
 * The labels of `rows` (indices into `labels`), e.g. the training split's labels, which is what
 * `classWeights` should see: weights fitted on validation or test rows would leak them.
 */
export function labelsAt(rows: ArrayLike<number>, labels: ArrayLike<number>): Uint32Array {
  const out = new Uint32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (!Number.isInteger(row) || row < 0 || row >= labels.length) {
      throw new RangeError(`row ${row} is outside the ${labels.length} labelled rows`);
    }
    out[i] = labels[row]!;
  }
  return out;
}

/**
 * Per-class loss weights.
 *
 * `'balanced'` is scikit-learn's `n_samples / (n_classes · count_c)`, so that every class
 * contributes the same total weight and the mean weight per sample stays 1. A class with no
 * samples gets weight 0 (its weight is never read, and infinity would poison any sum it enters)
 * and is passed to `onEmpty`; `n_classes` then counts only the classes present, which keeps the
 * mean sample weight at 1 and equals scikit-learn whenever every class is present (scikit-learn
 * refuses the other case).
 *
 * A `number[]` is taken as given after checking it has one finite, non-negative entry per class
 * and at least one positive entry (all zeros would make every loss and gradient zero).
 */
export function classWeights(labels: ArrayLike<number>, classes: number, mode: ClassWeightMode, onEmpty?: (emptyClasses: number[]) => void): Float32Array {
  const counts = classCounts(labels, classes);
  const empty: number[] = [];
  counts.forEach((n, c) => n === 0 && empty.push(c));
  const weights = mode === 'balanced' ? balancedWeights(counts) : manualWeights(mode, classes);
  if (empty.length > 0) onEmpty?.(empty);
  return weights;
}

function balancedWeights(counts: Uint32Array): Float32Array {
  let total = 0;
  let present = 0;
  for (const n of counts) {
    total += n;
    if (n > 0) present++;
  }
  if (total === 0) throw new Error('balanced class weights need at least one labelled row');
  return Float32Array.from(counts, (n) => (n === 0 ? 0 : total / (present * n)));
}

function manualWeights(weights: number[], classes: number): Float32Array {
  if (!Array.isArray(weights) || weights.length !== classes) {
    throw new Error(`class weights need one entry per class (${classes}), got ${Array.isArray(weights) ? weights.length : String(weights)}`);
  }
  weights.forEach((w, c) => {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new Error(`class weight ${c} must be a finite number ≥ 0, got ${w}`);
    }
  });
  if (!weights.some((w) => w > 0)) throw new Error('at least one class weight must be positive');
  return Float32Array.from(weights);
}

/**
 * One epoch's training rows after random resampling, grouped by class in ascending class order
 * (`epochOrder` shuffles them). `labels` is indexed by row, so `trainRows` index into it.
 *
 * - `'none'`: a copy of `trainRows`.
 * - `'oversample'`: every class keeps all its rows and adds draws with replacement from its own
 *   rows until it has as many as the largest class (imbalanced-learn's RandomOverSampler).
 * - `'undersample'`: every class keeps a random subset, without replacement, of as many rows as
 *   the smallest class present (RandomUnderSampler).
 *
 * Classes absent from the training rows stay absent: there is nothing to draw them from. Only
 * training rows are ever returned, and the same `rng` state gives the same result.
 */
export function resampleIndices(trainRows: Uint32Array, labels: ArrayLike<number>, classes: number, mode: ResampleMode, rng: Rng): Uint32Array {
  checkMode(mode);
  if (mode === 'none') return Uint32Array.from(trainRows);
  const groups = groupByClass(trainRows, labels, classes).filter((g) => g.length > 0);
  if (groups.length === 0) return new Uint32Array(0);
  const sizes = groups.map((g) => g.length);
  const target = mode === 'oversample' ? Math.max(...sizes) : Math.min(...sizes);
  const out = new Uint32Array(target * groups.length);
  groups.forEach((group, g) => {
    const dst = out.subarray(g * target, (g + 1) * target);
    if (mode === 'undersample') {
      dst.set(rng.shuffle(Uint32Array.from(group)).subarray(0, target));
      return;
    }
    dst.set(group);
    for (let i = group.length; i < target; i++) dst[i] = group[rng.int(group.length)]!;
  });
  return out;
}

/**
 * Rows one epoch will contain under `mode`, known before drawing: the engine needs it for the
 * steps per epoch (which vary with the mode) before the first epoch is sampled.
 */
export function resampledLength(trainRows: Uint32Array, labels: ArrayLike<number>, classes: number, mode: ResampleMode): number {
  checkMode(mode);
  if (mode === 'none') return trainRows.length;
  const sizes = groupByClass(trainRows, labels, classes)
    .map((g) => g.length)
    .filter((n) => n > 0);
  if (sizes.length === 0) return 0;
  return sizes.length * (mode === 'oversample' ? Math.max(...sizes) : Math.min(...sizes));
}

/**
 * The order in which one epoch visits training rows: resampled (a fresh draw every epoch, so
 * oversampling repeats different minority rows and undersampling sees different majority rows
 * over time), then shuffled, both from `rng`. Call it once per epoch with the schedule's RNG.
 */
export function epochOrder(train: Uint32Array, labels: ArrayLike<number>, classes: number, mode: ResampleMode, rng: Rng): Uint32Array {
  return rng.shuffle(resampleIndices(train, labels, classes, mode, rng));
}

function groupByClass(rows: Uint32Array, labels: ArrayLike<number>, classes: number): number[][] {
  checkClasses(classes);
  const groups: number[][] = Array.from({ length: classes }, () => []);
  for (const row of rows) {
    if (row >= labels.length) throw new RangeError(`training row ${row} is outside the ${labels.length} labelled rows`);
    groups[checkLabel(labels[row]!, classes, row)]!.push(row);
  }
  return groups;
}

function checkMode(mode: ResampleMode): void {
  if (!RESAMPLE_MODES.includes(mode)) throw new Error(`resampling must be one of ${RESAMPLE_MODES.join(', ')}, got ${String(mode)}`);
}

function checkClasses(classes: number): void {
  if (!Number.isInteger(classes) || classes < 1) throw new Error(`classes must be a whole number ≥ 1, got ${classes}`);
}

function checkLabel(label: number, classes: number, row: number): number {
  if (!Number.isInteger(label) || label < 0 || label >= classes) {
    throw new RangeError(`label of row ${row} must be a class id in 0..${classes - 1}, got ${label}`);
  }
  return label;
}
