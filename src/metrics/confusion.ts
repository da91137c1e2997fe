/**
 * Counts of (true class, predicted class) pairs: `m[t][p]` is how many rows of true class `t`
 * were predicted as `p`. Labels outside 0..classes−1 throw, because silently dropping them
 * would make the totals disagree with the split's row count.
 */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, classes: number): number[][] {
  if (yTrue.length !== yPred.length) {
    throw new RangeError(`confusionMatrix: ${yTrue.length} true labels but ${yPred.length} predictions`);
  }
  if (!Number.isInteger(classes) || classes < 1) throw new RangeError(`confusionMatrix: classes must be a positive integer, got ${classes}`);
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i]!;
    const p = yPred[i]!;
    if (!isClass(t, classes) || !isClass(p, classes)) {
      throw new RangeError(`confusionMatrix: row ${i} has true ${t}, predicted ${p}; classes are 0..${classes - 1}`);
    }
    m[t]![p]!++;
  }
  return m;
}

function isClass(v: number, classes: number): boolean {
  return Number.isInteger(v) && v >= 0 && v < classes;
}

/**
 * Each row divided by its sum, so a cell reads as "share of true class t predicted as p"
 * (per-class recall on the diagonal). A row with no samples stays all 0 rather than NaN, so a
 * heat map can draw it as empty.
 */
export function rowNormalize(m: readonly (readonly number[])[]): number[][] {
  return m.map((row) => {
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (sum > 0 ? v / sum : 0));
  });
}

/**
 * Turns head outputs (`rows × width`, row-major) into class indices.
 * - width 1 (binary sigmoid head, p = P(class 1)): class 1 when p ≥ threshold.
 * - width 2 (two-class softmax): class 1 when p₁ ≥ threshold, so one decision-threshold control
 *   serves both binary head shapes; at 0.5 this is argmax except that an exact tie goes to class 1.
 * - width ≥ 3: argmax, the first maximum winning ties; the threshold is ignored.
 * A NaN probability never reaches a threshold nor wins an argmax (an all-NaN row gives class 0),
 * so a diverged model shows up as one-class predictions instead of out-of-range indices.
 * For Float32Array outputs the threshold is rounded to float32 first: otherwise a slider at
 * 0.7 would put a stored 0.7f (0.69999999) below it.
 */
export function predictedClasses(outputs: ArrayLike<number>, rows: number, width: number, threshold = 0.5): Uint32Array {
  if (!Number.isInteger(width) || width < 1) throw new RangeError(`predictedClasses: width must be a positive integer, got ${width}`);
  if (outputs.length < rows * width) {
    throw new RangeError(`predictedClasses: ${outputs.length} outputs cannot hold ${rows} rows × ${width}`);
  }
  const pred = new Uint32Array(rows);
  if (width <= 2) {
    const col = width - 1;
    const t = outputs instanceof Float32Array ? Math.fround(threshold) : threshold;
    for (let r = 0; r < rows; r++) pred[r] = outputs[r * width + col]! >= t ? 1 : 0;
    return pred;
  }
  for (let r = 0; r < rows; r++) {
    const base = r * width;
    let best = 0;
    let max = outputs[base]!;
    for (let c = 1; c < width; c++) {
      const v = outputs[base + c]!;
      if (v > max || (Number.isNaN(max) && !Number.isNaN(v))) {
        max = v;
        best = c;
      }
    }
    pred[r] = best;
  }
  return pred;
}
