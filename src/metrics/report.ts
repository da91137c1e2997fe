/** Precision, recall and F1 of one class (or an average of them). */
export interface PrfScores {
  precision: number;
  recall: number;
  f1: number;
}

/** Scores of one class plus its support: how many rows truly belong to it. */
export interface ClassScores extends PrfScores {
  support: number;
}

/** What `classificationReport` returns; mirrors scikit-learn's `classification_report`. */
export interface ClassificationReport {
  perClass: ClassScores[];
  macro: PrfScores;
  weighted: PrfScores;
  /** Trace over total; NaN when the matrix holds no rows (nothing to be right or wrong about). */
  accuracy: number;
  total: number;
}

/**
 * Per-class precision, recall, F1 and support from a confusion matrix (rows = true class,
 * columns = predicted), with macro and support-weighted averages.
 *
 * Zero division follows scikit-learn's `zero_division=0` with `labels=range(classes)`:
 * - precision of a class that is never predicted is 0;
 * - recall of a class with no support (absent from the truth) is 0;
 * - F1 is 0 when precision + recall is 0.
 * Every class counts in the macro average, including classes with no support or never
 * predicted (they pull it down, as in scikit-learn when labels are passed explicitly); the
 * weighted average weights by support, so classes without support add nothing to it, and it is
 * 0 when the matrix is empty.
 */
export function classificationReport(matrix: readonly (readonly number[])[]): ClassificationReport {
  const k = matrix.length;
  const perClass: ClassScores[] = [];
  let total = 0;
  let correct = 0;
  for (let c = 0; c < k; c++) {
    const row = matrix[c]!;
    if (row.length !== k) throw new RangeError(`classificationReport: row ${c} has ${row.length} columns, want ${k}`);
    const tp = row[c]!;
    const support = row.reduce((a, b) => a + b, 0);
    let predicted = 0;
    for (let t = 0; t < k; t++) predicted += matrix[t]![c]!;
    perClass.push(scores(tp, predicted, support));
    total += support;
    correct += tp;
  }
  return {
    perClass,
    macro: average(perClass, () => 1),
    weighted: average(perClass, (s) => s.support),
    accuracy: total > 0 ? correct / total : NaN,
    total,
  };
}

function scores(tp: number, predicted: number, support: number): ClassScores {
  const precision = predicted > 0 ? tp / predicted : 0;
  const recall = support > 0 ? tp / support : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, support };
}

function average(items: readonly ClassScores[], weight: (s: ClassScores) => number): PrfScores {
  let w = 0;
  const sum = { precision: 0, recall: 0, f1: 0 };
  for (const s of items) {
    const ws = weight(s);
    w += ws;
    sum.precision += ws * s.precision;
    sum.recall += ws * s.recall;
    sum.f1 += ws * s.f1;
  }
  if (w === 0) return { precision: 0, recall: 0, f1: 0 };
  return { precision: sum.precision / w, recall: sum.recall / w, f1: sum.f1 / w };
}
