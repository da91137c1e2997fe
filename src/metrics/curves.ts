/** A receiver operating characteristic curve, points in order of decreasing threshold. */
export interface RocCurve {
  fpr: number[];
  tpr: number[];
  /** Score at or above which a row counts as positive at each point; the first is +∞ (0, 0). */
  thresholds: number[];
  /** Area under the curve; NaN when either class is absent. */
  auc: number;
}

/** A precision–recall curve, points in order of decreasing threshold (recall rising). */
export interface PrCurve {
  precision: number[];
  recall: number[];
  /** As in RocCurve; the first point (+∞) is scikit-learn's appended (recall 0, precision 1). */
  thresholds: number[];
  /** scikit-learn's step-wise Σ (Rₙ − Rₙ₋₁)·Pₙ, without interpolation; NaN with no positives. */
  averagePrecision: number;
}

/** Curves of one class against all others. */
export interface ClassCurves {
  roc: RocCurve;
  pr: PrCurve;
}

/** Per-class one-vs-rest curves with their macro averages. */
export interface OneVsRest {
  perClass: ClassCurves[];
  /**
   * The headline AUC. Three or more classes: the mean AUC over classes whose AUC is defined
   * (both present), NaN when none is. Two classes: the AUC of class 1's score, which is
   * scikit-learn's `roc_auc_score(y, p1)`; class 0's curve mirrors it exactly.
   */
  macroAuc: number;
  /** What `macroAuc` is, for a label: 'Macro AUC', or 'AUC (class 1 score)' with two classes. */
  aucLabel: string;
  /** Mean average precision over classes with positives; NaN when none has any. */
  macroAveragePrecision: number;
}

/** Cumulative counts at each distinct threshold, highest first, after the empty (+∞) start. */
interface Sweep {
  tp: number[];
  fp: number[];
  thresholds: number[];
  positives: number;
  negatives: number;
}

/**
 * Sorts rows by score once and emits one point per distinct score, so rows with tied scores
 * enter together: a tie between positives and negatives becomes one diagonal segment, which is
 * what makes the trapezoid AUC equal the Mann–Whitney probability with ties counted ½.
 * NaN scores rank lowest (as −∞), below every real score.
 */
function sweep(scores: ArrayLike<number>, positive: ArrayLike<boolean>): Sweep {
  if (scores.length !== positive.length) {
    throw new RangeError(`curve: ${scores.length} scores but ${positive.length} labels`);
  }
  const n = scores.length;
  const s = Float64Array.from({ length: n }, (_, i) => (Number.isNaN(scores[i]!) ? -Infinity : scores[i]!));
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => s[b]! - s[a]! || 0);
  const out: Sweep = { tp: [0], fp: [0], thresholds: [Infinity], positives: 0, negatives: 0 };
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (positive[i]) tp++;
    else fp++;
    const next = order[k + 1];
    if (next === undefined || s[next] !== s[i]) {
      out.tp.push(tp);
      out.fp.push(fp);
      out.thresholds.push(s[i]!);
    }
  }
  out.positives = tp;
  out.negatives = fp;
  return out;
}

/**
 * ROC curve of `scores` for the rows marked `positive` (higher score = more positive), one
 * point per distinct score plus the (0, 0) start. The AUC is the trapezoid area, equal to
 * P(score of a random positive > score of a random negative) + ½·P(tie). When one class is
 * absent its rate is NaN (scikit-learn does the same) and the AUC is NaN.
 */
export function rocCurve(scores: ArrayLike<number>, positive: ArrayLike<boolean>): RocCurve {
  const { tp, fp, thresholds, positives, negatives } = sweep(scores, positive);
  const fpr = fp.map((v) => (negatives > 0 ? v / negatives : NaN));
  const tpr = tp.map((v) => (positives > 0 ? v / positives : NaN));
  let auc = NaN;
  if (positives > 0 && negatives > 0) {
    auc = 0;
    for (let k = 1; k < fpr.length; k++) auc += ((fpr[k]! - fpr[k - 1]!) * (tpr[k]! + tpr[k - 1]!)) / 2;
  }
  return { fpr, tpr, thresholds, auc };
}

/**
 * Precision–recall curve, one point per distinct score after the (recall 0, precision 1)
 * start. Average precision follows scikit-learn's `average_precision_score`: precision at
 * each threshold times the recall gained there, no interpolation. With no positives recall
 * and AP are NaN (undefined), not a misleading 0.
 */
export function prCurve(scores: ArrayLike<number>, positive: ArrayLike<boolean>): PrCurve {
  const { tp, fp, thresholds, positives } = sweep(scores, positive);
  const precision = tp.map((v, k) => (k === 0 ? 1 : v / (v + fp[k]!)));
  const recall = tp.map((v) => (positives > 0 ? v / positives : NaN));
  let averagePrecision = NaN;
  if (positives > 0) {
    averagePrecision = 0;
    for (let k = 1; k < recall.length; k++) averagePrecision += (recall[k]! - recall[k - 1]!) * precision[k]!;
  }
  return { precision, recall, thresholds, averagePrecision };
}

/**
 * One-vs-rest ROC and PR curves for every class from head outputs (`rows × width`,
 * row-major). Width ≥ 2 needs `width === classes` and scores class c by column c, except with
 * two classes. Two classes (a 2-wide softmax or a 1-wide sigmoid head, p = P(class 1)): class 1
 * is scored by p1 and class 0 by −p1, an exact mirror. Scoring class 0 by its own column p0 (or
 * by 1 − p) is not one: float32 rounds a confident p1 to exactly 1 where p0 still tells rows
 * apart (and 1 − p ties rows that p tells apart), so class 0's AUC, and the mean of the two,
 * could differ from class 1's. Class 0's thresholds are given as 1 − p1.
 */
export function oneVsRest(outputs: ArrayLike<number>, rows: number, width: number, labels: ArrayLike<number>, classes: number): OneVsRest {
  if (width === 1 ? classes !== 2 : width !== classes) {
    throw new RangeError(`oneVsRest: a head of width ${width} cannot score ${classes} classes`);
  }
  if (labels.length !== rows || outputs.length < rows * width) {
    throw new RangeError(`oneVsRest: ${rows} rows but ${labels.length} labels and ${outputs.length} outputs of width ${width}`);
  }
  const binary = classes === 2;
  const perClass: ClassCurves[] = [];
  for (let c = 0; c < classes; c++) {
    const scores = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      const p1 = binary ? outputs[r * width + width - 1]! : NaN;
      scores[r] = binary ? (c === 1 ? p1 : -p1) : outputs[r * width + c]!;
    }
    const positive = Array.from({ length: rows }, (_, r) => labels[r] === c);
    const curves = { roc: rocCurve(scores, positive), pr: prCurve(scores, positive) };
    if (binary && c === 0) {
      // −p1 ≥ t ⇔ 1 − p1 ≥ 1 + t: report the threshold as class 0's implied probability.
      curves.roc.thresholds = curves.roc.thresholds.map((t) => 1 + t);
      curves.pr.thresholds = curves.pr.thresholds.map((t) => 1 + t);
    }
    perClass.push(curves);
  }
  return {
    perClass,
    macroAuc: binary ? perClass[1]!.roc.auc : meanDefined(perClass.map((p) => p.roc.auc)),
    aucLabel: binary ? 'AUC (class 1 score)' : 'Macro AUC',
    macroAveragePrecision: meanDefined(perClass.map((p) => p.pr.averagePrecision)),
  };
}

function meanDefined(values: readonly number[]): number {
  const ok = values.filter((v) => !Number.isNaN(v));
  return ok.length > 0 ? ok.reduce((a, b) => a + b, 0) / ok.length : NaN;
}
