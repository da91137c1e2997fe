// Regression metrics, as scikit-learn defines them (mean_squared_error, mean_absolute_error and
// r2_score with their defaults), in float64 over float32 predictions and targets.

/** What a regression model scores on one split. */
export interface RegressionScores {
  mse: number;
  mae: number;
  /** Coefficient of determination: 1 is perfect, 0 is no better than predicting the mean. */
  r2: number;
  rows: number;
}

/**
 * MSE, MAE and R² of `predicted` against `actual` (same length). An empty split scores NaN. A
 * constant target makes R² undefined; like scikit-learn (`force_finite=True`) it is then 1 for a
 * perfect prediction and 0 otherwise.
 */
export function regressionScores(actual: ArrayLike<number>, predicted: ArrayLike<number>): RegressionScores {
  const rows = actual.length;
  if (predicted.length !== rows) throw new Error(`${predicted.length} predictions for ${rows} targets`);
  if (rows === 0) return { mse: NaN, mae: NaN, r2: NaN, rows };
  let mean = 0;
  for (let i = 0; i < rows; i++) mean += actual[i]!;
  mean /= rows;
  let sq = 0;
  let abs = 0;
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const d = actual[i]! - predicted[i]!;
    sq += d * d;
    abs += Math.abs(d);
    total += (actual[i]! - mean) ** 2;
  }
  const r2 = total === 0 ? (sq === 0 ? 1 : 0) : 1 - sq / total;
  return { mse: sq / rows, mae: abs / rows, r2, rows };
}

/** Model outputs of a standardized target back in the target's units (output × std + mean), in float32. */
export function unscale(outputs: Float32Array, scale: { mean: number; std: number }): Float32Array {
  return outputs.map((z) => z * scale.std + scale.mean);
}
