import type { LabeledTable } from './dataset.ts';

/** Quantile bins a regression target is stratified by, at most (fewer on small tables). */
const TARGET_BINS = 5;

/**
 * A regression table: rows of features and their numeric target. Its `labels` are the target's
 * quantile bins (ties share a bin), so the stratified splitter gives every split the whole range
 * of the target; the one "class" is the target's name.
 */
export function regressionTable(features: Float32Array, inputSize: number, values: Float32Array, featureNames: string[], targetName: string): LabeledTable {
  const rows = values.length;
  if (features.length !== rows * inputSize) throw new Error(`table has ${features.length} feature values for ${rows} rows of ${inputSize}`);
  return { features, inputSize, labels: quantileBins(values), classNames: [targetName], featureNames, values };
}

/** Each value's quantile bin, 0..bins-1, with bins of at least 5 rows so each can be split 3 ways. */
export function quantileBins(values: Float32Array): Uint32Array {
  const rows = values.length;
  const bins = Math.max(1, Math.min(TARGET_BINS, Math.floor(rows / 5)));
  const order = Array.from({ length: rows }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const out = new Uint32Array(rows);
  let bin = 0;
  order.forEach((row, rank) => {
    // Equal values stay together: a bin only ends where the value changes.
    const wanted = Math.floor((rank * bins) / rows);
    if (wanted > bin && values[row] !== values[order[rank - 1]!]) bin = wanted;
    out[row] = bin;
  });
  return out;
}
