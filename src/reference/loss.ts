import type { LossHead } from '../nn/spec.ts';

/**
 * Result of a loss over a batch. `lossSum` is Σ_rows of each row's (class- and row-weighted) loss; the
 * reported loss is lossSum / rows. `grad` is d(lossSum/rows)/d(logits), exactly what the WGSL
 * loss kernel writes. `outputs` are the head's outputs: softmax probabilities, sigmoid
 * probabilities, or the raw values for MSE.
 */
export interface LossResult {
  lossSum: number;
  correct: number;
  /** sigmoid_bce: Σp over rows whose target exceeds 0.5, and over the others; least_squares: Σx likewise. */
  positiveScore: number;
  negativeScore: number;
  grad: Float64Array;
  outputs: Float64Array;
}

/**
 * The loss of `logits` [rows, width] against `targets` [rows, targetWidth] in float64.
 * For softmax_ce and sigmoid_bce the target is a class id and `classWeights` (indexed by class;
 * 2 entries for sigmoid_bce) scales each row's loss and gradient; null means all ones.
 * least_squares (width 1): row loss w·(x − y)², correct when (x > 0.5) == (y > 0.5), outputs x,
 * weights indexed by the target like sigmoid_bce's.
 * `rowWeights` (one per batch row, every head) multiplies that row's loss and gradient too, so a
 * row's weight is classWeight[y]·rowWeight[r]; null means all ones. Like class weights, the mean
 * still divides by the row count, not by Σ weights: weights of mean 1 keep the loss's scale.
 */
export function lossForward(
  kind: LossHead,
  logits: ArrayLike<number>,
  targets: ArrayLike<number>,
  rows: number,
  width: number,
  classWeights: ArrayLike<number> | null,
  rowWeights: ArrayLike<number> | null = null,
): LossResult {
  const grad = new Float64Array(rows * width);
  const outputs = new Float64Array(rows * width);
  let lossSum = 0;
  let correct = 0;
  let positiveScore = 0;
  let negativeScore = 0;
  for (let r = 0; r < rows; r++) {
    const z = (c: number) => logits[r * width + c]!;
    const v = rowWeights ? rowWeights[r]! : 1;
    if (kind === 'softmax_ce') {
      const y = targets[r]!;
      const w = (classWeights ? classWeights[y]! : 1) * v;
      let max = -Infinity;
      let best = 0;
      for (let c = 0; c < width; c++) {
        if (z(c) > max) {
          max = z(c);
          best = c;
        }
      }
      let sum = 0;
      for (let c = 0; c < width; c++) sum += Math.exp(z(c) - max);
      lossSum += w * (Math.log(sum) + max - z(y));
      if (best === y) correct++;
      for (let c = 0; c < width; c++) {
        const p = Math.exp(z(c) - max) / sum;
        outputs[r * width + c] = p;
        grad[r * width + c] = (w * (p - (c === y ? 1 : 0))) / rows;
      }
    } else if (kind === 'sigmoid_bce') {
      const y = targets[r]!;
      const w = (classWeights ? classWeights[Math.trunc(y)]! : 1) * v;
      const x = z(0);
      lossSum += w * (Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x))));
      const p = 1 / (1 + Math.exp(-x));
      outputs[r] = p;
      grad[r] = (w * (p - y)) / rows;
      if (x > 0 === y > 0.5) correct++;
      if (y > 0.5) positiveScore += p;
      else negativeScore += p;
    } else if (kind === 'least_squares') {
      const y = targets[r]!;
      const w = (classWeights ? classWeights[Math.trunc(y)]! : 1) * v;
      const x = z(0);
      lossSum += w * (x - y) ** 2;
      outputs[r] = x;
      grad[r] = (2 * w * (x - y)) / rows;
      if (x > 0.5 === y > 0.5) correct++;
      if (y > 0.5) positiveScore += x;
      else negativeScore += x;
    } else {
      let sq = 0;
      for (let c = 0; c < width; c++) {
        const d = z(c) - targets[r * width + c]!;
        sq += d * d;
        outputs[r * width + c] = z(c);
        grad[r * width + c] = (v * 2 * d) / (width * rows);
      }
      lossSum += (v * sq) / width;
    }
  }
  return { lossSum, correct, positiveScore, negativeScore, grad, outputs };
}

/** Index of the largest value in each row (first one on ties). */
export function argmaxRows(values: ArrayLike<number>, rows: number, width: number): Uint32Array {
  const out = new Uint32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < width; c++) if (values[r * width + c]! > values[r * width + best]!) best = c;
    out[r] = best;
  }
  return out;
}

/** Rows of `src` [*, width] picked by `indices`, in order. */
export function gatherRows(src: ArrayLike<number>, width: number, indices: ArrayLike<number>, count = indices.length): Float64Array {
  const out = new Float64Array(count * width);
  for (let r = 0; r < count; r++) {
    const base = indices[r]! * width;
    for (let c = 0; c < width; c++) out[r * width + c] = src[base + c]!;
  }
  return out;
}
