// The out-of-fold plan of stacking: which rows each base learner's models train on and predict,
// so that the meta-learner only ever sees probabilities for rows the predicting model never
// trained on, and the matrices the meta-learner trains and is tested on.
import { labelsAt } from './sampling.ts';
import { stratifiedKFold } from './crossval.ts';

/** One model of a stacking run: a base learner trained on one fold's other rows, or on them all. */
export interface StackingMember {
  /** The base learner (0 .. M − 1): its network and optimizer. */
  learner: number;
  /** The fold whose rows it predicts out of fold, or null for the full-data member. */
  fold: number | null;
  /** Dataset rows it trains on, ascending. */
  train: Uint32Array;
  /** Dataset rows it predicts for the meta-learner, ascending; empty for the full-data member. */
  predict: Uint32Array;
}

/** The whole plan: the same k folds for every base learner, then each learner once on all rows. */
export interface StackingPlan {
  /** The training ∪ validation rows (the meta-learner's training rows), ascending. */
  rows: Uint32Array;
  folds: number;
  learners: number;
  /**
   * Learner-major: learner m's fold members at m·(k + 1) + f, its full-data member at
   * m·(k + 1) + k, so each learner's k + 1 models (one network shape) are one batch.
   */
  members: StackingMember[];
}

/**
 * Plans stacking over `pool` (the training ∪ validation dataset rows; `labels` indexed by dataset
 * row) for `learners` base learners: stratified k folds of the pool from `seed` (crossval.ts),
 * shared by every learner so the meta-learner's columns for a row all come from models that did
 * not see it. `testRows`, when given, must not meet the pool: the full-data members train on it.
 * Throws as stratifiedKFold does when a class has fewer than k rows (a fold would miss it).
 */
export function stackingPlan(
  pool: ArrayLike<number>,
  labels: ArrayLike<number>,
  learners: number,
  k: number,
  seed: number,
  testRows?: ArrayLike<number>,
): StackingPlan {
  if (!Number.isInteger(learners) || learners < 1) throw new Error(`stacking needs at least one base learner, got ${learners}`);
  const rows = Uint32Array.from(pool).sort();
  for (let i = 1; i < rows.length; i++) if (rows[i] === rows[i - 1]) throw new Error(`row ${rows[i]} is twice in the stacking rows`);
  if (testRows) {
    const inPool = new Set(rows);
    for (const r of Array.from(testRows)) if (inPool.has(r)) throw new Error(`test row ${r} is also a stacking row: the full-data members would train on it`);
  }
  const folds = stratifiedKFold(labelsAt(rows, labels), k, seed);
  const toRows = (positions: Uint32Array) => positions.map((p) => rows[p]!);
  const members: StackingMember[] = [];
  for (let m = 0; m < learners; m++) {
    folds.forEach((f, i) => members.push({ learner: m, fold: i, train: toRows(f.train), predict: toRows(f.validation) }));
    members.push({ learner: m, fold: null, train: rows.slice(), predict: new Uint32Array(0) });
  }
  const plan = { rows, folds: k, learners, members };
  checkNoLeakage(plan);
  return plan;
}

/**
 * Throws unless the plan is sound: no member predicts a row it trains on, each learner's fold
 * members predict every pool row exactly once, and the full-data members train on the whole pool.
 */
export function checkNoLeakage(plan: StackingPlan): void {
  const pool = new Set(plan.rows);
  plan.members.forEach((member, i) => {
    const trained = new Set(member.train);
    for (const r of member.predict) {
      if (trained.has(r)) throw new Error(`leak: member ${i} (learner ${member.learner}, fold ${member.fold}) predicts row ${r}, which it trained on`);
      if (!pool.has(r)) throw new Error(`member ${i} predicts row ${r}, which is not a stacking row`);
    }
    for (const r of member.train) if (!pool.has(r)) throw new Error(`member ${i} trains on row ${r}, which is not a stacking row`);
    if (member.fold === null && member.train.length !== plan.rows.length)
      throw new Error(`full-data member ${i} trains on ${member.train.length} of ${plan.rows.length} rows`);
  });
  for (let m = 0; m < plan.learners; m++) {
    const seen = new Map<number, number>();
    for (const member of plan.members) if (member.learner === m) for (const r of member.predict) seen.set(r, (seen.get(r) ?? 0) + 1);
    for (const r of plan.rows) {
      if (seen.get(r) !== 1) throw new Error(`learner ${m} predicts row ${r} ${seen.get(r) ?? 0} times out of fold, want exactly once`);
    }
  }
}

/**
 * The meta-learner's training matrix [plan.rows.length, M·classes]: row i holds, for each learner
 * m, the class probabilities that m's model held out from row i's fold gave it.
 * `predictions[j]` are member j's probabilities for its `predict` rows in order ([rows, classes];
 * full-data members' entries are ignored). Checks the plan first, so a leaky one never yields a matrix.
 */
export function outOfFoldMatrix(plan: StackingPlan, predictions: readonly Float32Array[], classes: number): Float32Array {
  checkNoLeakage(plan);
  if (predictions.length !== plan.members.length) throw new Error(`${predictions.length} members' predictions for a plan of ${plan.members.length}`);
  const width = plan.learners * classes;
  const position = new Map<number, number>();
  plan.rows.forEach((r, i) => position.set(r, i));
  const out = new Float32Array(plan.rows.length * width);
  plan.members.forEach((member, j) => {
    if (member.fold === null) return;
    const probs = predictions[j]!;
    if (probs.length !== member.predict.length * classes)
      throw new Error(`member ${j} gave ${probs.length} values for ${member.predict.length} rows × ${classes} classes`);
    member.predict.forEach((r, k) => {
      out.set(probs.subarray(k * classes, (k + 1) * classes), position.get(r)! * width + member.learner * classes);
    });
  });
  return out;
}

/**
 * The meta-learner's test matrix [rows, M·classes] from each learner's full-data member:
 * `fullPredictions[m]` is learner m's [rows, classes] probabilities for the test rows.
 */
export function fullDataMatrix(fullPredictions: readonly Float32Array[], rows: number, classes: number): Float32Array {
  const width = fullPredictions.length * classes;
  const out = new Float32Array(rows * width);
  fullPredictions.forEach((probs, m) => {
    if (probs.length !== rows * classes) throw new Error(`learner ${m} gave ${probs.length} values for ${rows} rows × ${classes} classes`);
    for (let r = 0; r < rows; r++) out.set(probs.subarray(r * classes, (r + 1) * classes), r * width + m * classes);
  });
  return out;
}
