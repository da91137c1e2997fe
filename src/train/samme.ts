// SAMME (multi-class AdaBoost, Zhu, Zou, Rosset & Hastie 2009) in float64: the arithmetic of a
// boosting run between the members' training, which the batched engine does. Follows
// scikit-learn's AdaBoostClassifier(algorithm="SAMME") so an exported script can reproduce it:
// the shrinkage multiplies α and the reweighting uses that shrunk α.

/** Why a round ended as it did. */
export type SammeOutcome =
  /** The member joins the ensemble with vote α and the rows are reweighted. */
  | 'kept'
  /** No weighted mistakes: the member joins with the capped α and boosting stops (nothing to reweight). */
  | 'perfect'
  /** err ≥ 1 − 1/K: the member is discarded (vote 0, weights unchanged) and boosting stops. */
  | 'chance';

/** One SAMME round's result. */
export interface SammeRound {
  outcome: SammeOutcome;
  /** The member's weighted training error Σ w_i·[miss_i] / Σ w_i. */
  error: number;
  /** The member's vote: η·(ln((1 − err)/err) + ln(K − 1)); 0 when discarded. */
  alpha: number;
  /** The next round's row weights (sum 1): reweighted for 'kept', the same values otherwise. */
  weights: Float64Array;
  /** Whether boosting should go on to another round. */
  continue: boolean;
  /** What happened, in words the page can show; empty for an ordinary kept member. */
  message: string;
}

/**
 * Floor of the weighted error in α, so that a member with no weighted mistakes gets a finite vote:
 * α ≤ η·(ln((1 − 1e-6)/1e-6) + ln(K − 1)) ≈ η·(13.8 + ln(K − 1)), which outvotes any earlier
 * members whose α add up to less, as a member perfect on the training rows should, without an
 * infinity that would make every later sum meaningless.
 */
export const SAMME_ERROR_FLOOR = 1e-6;

/** The uniform starting weights 1/n over n training rows. */
export function uniformWeights(n: number): Float64Array {
  if (!Number.isInteger(n) || n < 1) throw new Error(`boosting needs at least one training row, got ${n}`);
  return new Float64Array(n).fill(1 / n);
}

/** Σ w_i·[pred_i ≠ y_i] / Σ w_i over aligned arrays of the training rows. */
export function weightedError(weights: ArrayLike<number>, predictions: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkAligned(weights, predictions, labels);
  let total = 0;
  let missed = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (!(w >= 0) || !Number.isFinite(w)) throw new Error(`row weight ${i} must be a finite number ≥ 0, got ${w}`);
    total += w;
    if (predictions[i] !== labels[i]) missed += w;
  }
  if (!(total > 0)) throw new Error('the row weights sum to 0: no row is left to learn from');
  return missed / total;
}

/**
 * A member's vote η·(ln((1 − err)/err) + ln(K − 1)), with err floored at SAMME_ERROR_FLOOR. It is
 * positive exactly when err < 1 − 1/K, the error of guessing among K classes.
 */
export function sammeAlpha(error: number, classes: number, shrinkage = 1): number {
  checkClasses(classes);
  if (!(shrinkage > 0) || !Number.isFinite(shrinkage)) throw new Error(`the shrinkage (learning rate) must be > 0, got ${shrinkage}`);
  if (!(error >= 0 && error <= 1)) throw new Error(`a weighted error must lie in [0, 1], got ${error}`);
  const e = Math.max(error, SAMME_ERROR_FLOOR);
  return shrinkage * (Math.log((1 - e) / e) + Math.log(classes - 1));
}

/** w_i ← w_i·exp(α·[miss_i]), renormalised to sum 1. */
export function sammeReweight(weights: ArrayLike<number>, predictions: ArrayLike<number>, labels: ArrayLike<number>, alpha: number): Float64Array {
  checkAligned(weights, predictions, labels);
  const boost = Math.exp(alpha);
  const out = Float64Array.from(weights, (w, i) => (predictions[i] !== labels[i] ? w * boost : w));
  const total = out.reduce((s, w) => s + w, 0);
  if (!(total > 0) || !Number.isFinite(total)) throw new Error(`reweighting by α = ${alpha} left no usable weights (sum ${total})`);
  for (let i = 0; i < out.length; i++) out[i]! /= total;
  return out;
}

/**
 * One round of SAMME after a member trained on `weights`: its weighted error on the training rows,
 * its vote and the next round's weights, under these rules:
 * - err ≥ 1 − 1/K (no better than guessing): the member is discarded and boosting stops, as in
 *   scikit-learn; reweighting by a vote ≤ 0 would move weight away from the hard rows.
 * - err = 0: the member is kept with α capped by SAMME_ERROR_FLOOR and boosting stops, since the
 *   weights would not change and the next member would learn the same distribution.
 * `round` (0-based) only shapes the message: a discarded first member leaves no ensemble at all.
 */
export function sammeRound(
  weights: ArrayLike<number>,
  predictions: ArrayLike<number>,
  labels: ArrayLike<number>,
  classes: number,
  shrinkage = 1,
  round = 0,
): SammeRound {
  checkClasses(classes);
  const error = weightedError(weights, predictions, labels);
  const same = Float64Array.from(weights);
  const total = same.reduce((s, w) => s + w, 0);
  for (let i = 0; i < same.length; i++) same[i]! /= total;
  const chance = 1 - 1 / classes;
  // The slack keeps an error that is chance up to rounding (4 × 1/6 against 1 − 1/3) on this side.
  if (error >= chance - 1e-12) {
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    const lead = `Round ${round + 1}'s network has a weighted error of ${pct(error)}, no better than guessing among ${classes} classes (${pct(chance)})`;
    const tail = round === 0 ? 'so there is no ensemble: try more epochs per round or a larger network.' : 'so it is left out and boosting stops here.';
    return { outcome: 'chance', error, alpha: 0, weights: same, continue: false, message: `${lead}, ${tail}` };
  }
  const alpha = sammeAlpha(error, classes, shrinkage);
  if (error === 0) {
    const message = `Round ${round + 1}'s network makes no mistakes on the training rows, so boosting stops here (its vote is capped at ${alpha.toFixed(2)}).`;
    return { outcome: 'perfect', error, alpha, weights: same, continue: false, message };
  }
  return { outcome: 'kept', error, alpha, weights: sammeReweight(same, predictions, labels, alpha), continue: true, message: '' };
}

/**
 * The ensemble's class per row: argmax over classes of Σ_m α_m·[pred_m = class], the first class
 * on ties. `predictions[m]` holds member m's class per row.
 */
export function sammePredict(predictions: readonly ArrayLike<number>[], alphas: readonly number[], rows: number, classes: number): Uint32Array {
  checkClasses(classes);
  if (predictions.length !== alphas.length) throw new Error(`${predictions.length} members but ${alphas.length} votes`);
  const votes = new Float64Array(rows * classes);
  predictions.forEach((pred, m) => {
    if (pred.length !== rows) throw new Error(`member ${m} predicts ${pred.length} rows, want ${rows}`);
    for (let r = 0; r < rows; r++) {
      const c = pred[r]!;
      if (!Number.isInteger(c) || c < 0 || c >= classes) throw new Error(`member ${m} predicts class ${c} for row ${r}, outside 0..${classes - 1}`);
      votes[r * classes + c]! += alphas[m]!;
    }
  });
  const out = new Uint32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (votes[r * classes + c]! > votes[r * classes + best]!) best = c;
    out[r] = best;
  }
  return out;
}

/**
 * The per-row loss weights a member trains with (ModelSetup.rowWeights), from boosting weights
 * aligned with `trainRows`: each training row gets n·w_i, so the weights average 1 over the
 * training rows, the normalisation of 'balanced' class weights, and the loss keeps its scale
 * (and the learning rate its meaning) from round to round. Rows outside `trainRows` get 0: they
 * never train this member.
 */
export function rowWeightTable(weights: ArrayLike<number>, trainRows: ArrayLike<number>, datasetRows: number): Float32Array {
  if (weights.length !== trainRows.length) throw new Error(`${weights.length} weights for ${trainRows.length} training rows`);
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i]!;
  if (!(total > 0) || !Number.isFinite(total)) throw new Error(`the row weights must have a positive, finite sum, got ${total}`);
  const out = new Float32Array(datasetRows);
  const n = trainRows.length;
  for (let i = 0; i < n; i++) {
    const row = trainRows[i]!;
    if (!Number.isInteger(row) || row < 0 || row >= datasetRows) throw new RangeError(`row ${row} is outside the ${datasetRows} dataset rows`);
    out[row] = (n * weights[i]!) / total;
  }
  return out;
}

function checkAligned(weights: ArrayLike<number>, predictions: ArrayLike<number>, labels: ArrayLike<number>): void {
  if (weights.length !== predictions.length || weights.length !== labels.length) {
    throw new Error(`weights, predictions and labels must be aligned, got ${weights.length}, ${predictions.length} and ${labels.length}`);
  }
}

function checkClasses(classes: number): void {
  if (!Number.isInteger(classes) || classes < 2) throw new Error(`SAMME needs at least 2 classes, got ${classes}`);
}
