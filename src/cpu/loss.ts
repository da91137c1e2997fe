import type { LossHead } from '../nn/spec.ts';

/** Sums of a loss pass over a batch: Σ (class-weighted) row losses, correct rows, and sigmoid_bce's Σp split by target. */
export interface LossTotals {
  lossSum: number;
  correct: number;
  positiveScore: number;
  negativeScore: number;
}

/** Where a loss pass writes: the gradient (training), the head outputs (evaluation), or both. */
export interface LossOutputs {
  grad?: Float32Array;
  outputs?: Float32Array;
}

/**
 * The loss of `logits` [rows, width] (float32, in the kernels' heap) against `targets`
 * [rows, targetWidth], with the semantics of src/reference/loss.ts (its float64 arithmetic too,
 * on float32 inputs): `grad` gets d(lossSum / rows)/d(logits), `outputs` the probabilities (or
 * the values for MSE). `targets` null scores nothing and only writes outputs (predictions).
 * Class weights index by class (2 entries for sigmoid_bce); null means all ones. `rowWeights`
 * (one per batch row) multiplies each row's loss and gradient as in the reference; null: all ones.
 */
export function lossPass(
  kind: LossHead,
  logits: Float32Array,
  targets: ArrayLike<number> | null,
  rows: number,
  width: number,
  classWeights: ArrayLike<number> | null,
  out: LossOutputs,
  rowWeights: ArrayLike<number> | null = null,
): LossTotals {
  const weights = { classes: classWeights, rows: rowWeights };
  if (kind === 'softmax_ce') return softmaxCe(logits, targets, rows, width, weights, out);
  if (kind === 'sigmoid_bce') return sigmoidBce(logits, targets, rows, weights, out);
  if (kind === 'least_squares') return leastSquares(logits, targets, rows, weights, out);
  return mse(logits, targets, rows, width, rowWeights, out);
}

/** Class weights (by class) and row weights (by batch row); null means all ones. */
interface Weights {
  classes: ArrayLike<number> | null;
  rows: ArrayLike<number> | null;
}

/** Row r's weight: its class weight times its row weight. */
function weightOf(weights: Weights, y: number, r: number): number {
  return (weights.classes ? weights.classes[y]! : 1) * (weights.rows ? weights.rows[r]! : 1);
}

function softmaxCe(
  z: Float32Array,
  targets: ArrayLike<number> | null,
  rows: number,
  width: number,
  weights: Weights,
  { grad, outputs }: LossOutputs,
): LossTotals {
  let lossSum = 0;
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * width;
    let max = -Infinity;
    let best = 0;
    for (let c = 0; c < width; c++) {
      if (z[base + c]! > max) {
        max = z[base + c]!;
        best = c;
      }
    }
    let sum = 0;
    for (let c = 0; c < width; c++) sum += Math.exp(z[base + c]! - max);
    const y = targets ? targets[r]! : -1;
    const w = targets ? weightOf(weights, y, r) : 0;
    if (targets) {
      lossSum += w * (Math.log(sum) + max - z[base + y]!);
      if (best === y) correct++;
    }
    for (let c = 0; c < width; c++) {
      const p = Math.exp(z[base + c]! - max) / sum;
      if (outputs) outputs[base + c] = p;
      if (grad) grad[base + c] = (w * (p - (c === y ? 1 : 0))) / rows;
    }
  }
  return { lossSum, correct, positiveScore: 0, negativeScore: 0 };
}

function sigmoidBce(z: Float32Array, targets: ArrayLike<number> | null, rows: number, weights: Weights, { grad, outputs }: LossOutputs): LossTotals {
  let lossSum = 0;
  let correct = 0;
  let positiveScore = 0;
  let negativeScore = 0;
  for (let r = 0; r < rows; r++) {
    const x = z[r]!;
    const p = 1 / (1 + Math.exp(-x));
    if (outputs) outputs[r] = p;
    if (!targets) continue;
    const y = targets[r]!;
    const w = weightOf(weights, Math.trunc(y), r);
    lossSum += w * (Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x))));
    if (grad) grad[r] = (w * (p - y)) / rows;
    if (x > 0 === y > 0.5) correct++;
    if (y > 0.5) positiveScore += p;
    else negativeScore += p;
  }
  return { lossSum, correct, positiveScore, negativeScore };
}

/** A least-squares GAN head: loss w·(x − y)² on the raw score, reported like sigmoid_bce with x for p. */
function leastSquares(z: Float32Array, targets: ArrayLike<number> | null, rows: number, weights: Weights, { grad, outputs }: LossOutputs): LossTotals {
  let lossSum = 0;
  let correct = 0;
  let positiveScore = 0;
  let negativeScore = 0;
  for (let r = 0; r < rows; r++) {
    const x = z[r]!;
    if (outputs) outputs[r] = x;
    if (!targets) continue;
    const y = targets[r]!;
    const w = weightOf(weights, Math.trunc(y), r);
    lossSum += w * (x - y) ** 2;
    if (grad) grad[r] = (2 * w * (x - y)) / rows;
    if (x > 0.5 === y > 0.5) correct++;
    if (y > 0.5) positiveScore += x;
    else negativeScore += x;
  }
  return { lossSum, correct, positiveScore, negativeScore };
}

function mse(
  z: Float32Array,
  targets: ArrayLike<number> | null,
  rows: number,
  width: number,
  rowWeights: ArrayLike<number> | null,
  { grad, outputs }: LossOutputs,
): LossTotals {
  let lossSum = 0;
  for (let r = 0; r < rows; r++) {
    const v = rowWeights ? rowWeights[r]! : 1;
    let sq = 0;
    for (let c = 0; c < width; c++) {
      const i = r * width + c;
      const d = targets ? z[i]! - targets[i]! : 0;
      sq += d * d;
      if (outputs) outputs[i] = z[i]!;
      if (grad) grad[i] = (v * 2 * d) / (width * rows);
    }
    lossSum += (v * sq) / width;
  }
  return { lossSum, correct: 0, positiveScore: 0, negativeScore: 0 };
}
