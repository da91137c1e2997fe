/**
 * Per-feature shift and scale. Kept in float64 so the statistics do not depend on summation order
 * in float32, and so it can be saved with a model and reapplied to new inputs exactly.
 */
export interface Standardizer {
  mean: Float64Array;
  std: Float64Array;
}

/**
 * Fit per-feature mean and population std on the given rows only: fitting on the training split
 * keeps validation and test statistics out of the preprocessing, so held-out metrics stay honest.
 * A constant column gets std 1 so applying the standardizer maps it to 0 instead of NaN.
 */
export function fitStandardizer(features: Float32Array, inputSize: number, rows: Uint32Array): Standardizer {
  const total = checkShape(features, inputSize);
  if (rows.length === 0) throw new Error('rows must name at least one row to fit on');
  for (const r of rows) {
    if (r >= total) throw new Error(`row index ${r} is out of range for ${total} rows`);
  }
  const mean = new Float64Array(inputSize);
  const std = new Float64Array(inputSize);
  for (const r of rows) {
    for (let j = 0; j < inputSize; j++) mean[j]! += features[r * inputSize + j]!;
  }
  for (let j = 0; j < inputSize; j++) mean[j]! /= rows.length;
  // Two passes rather than sum of squares: no cancellation when |mean| >> std.
  for (const r of rows) {
    for (let j = 0; j < inputSize; j++) {
      const d = features[r * inputSize + j]! - mean[j]!;
      std[j]! += d * d;
    }
  }
  for (let j = 0; j < inputSize; j++) {
    const s = Math.sqrt(std[j]! / rows.length);
    // Treat float noise around a constant column as constant too.
    std[j] = s > 1e-12 * Math.max(1, Math.abs(mean[j]!)) ? s : 1;
  }
  return { mean, std };
}

/**
 * Standardize every row (not only the fitted ones) into a new array, so the dataset is uploaded
 * once with train, validation and test rows all on the same scale; the input is left untouched.
 */
export function applyStandardizer(features: Float32Array, inputSize: number, s: Standardizer): Float32Array {
  const total = checkShape(features, inputSize);
  if (s.mean.length !== inputSize || s.std.length !== inputSize) {
    throw new Error(`standardizer has ${s.mean.length} means and ${s.std.length} stds, expected ${inputSize}`);
  }
  const out = new Float32Array(features.length);
  for (let r = 0; r < total; r++) {
    for (let j = 0; j < inputSize; j++) {
      const k = r * inputSize + j;
      out[k] = (features[k]! - s.mean[j]!) / s.std[j]!;
    }
  }
  return out;
}

function checkShape(features: Float32Array, inputSize: number): number {
  if (!Number.isInteger(inputSize) || inputSize <= 0) {
    throw new Error(`inputSize must be a positive integer, got ${inputSize}`);
  }
  if (features.length % inputSize !== 0) {
    throw new Error(`features length ${features.length} is not a multiple of inputSize ${inputSize}`);
  }
  return features.length / inputSize;
}
