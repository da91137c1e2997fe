import { predictedClasses } from '../metrics/confusion.ts';
import type { Rng } from '../nn/rng.ts';

/**
 * The ensemble's probabilities: the element-wise mean of its members' outputs (each rows ×
 * classes, row-major), accumulated in float64 so the member order barely matters.
 */
export function averageProbabilities(members: Float32Array[], rows: number, classes: number): Float32Array {
  checkMembers(members, rows, classes);
  const sum = new Float64Array(rows * classes);
  for (const m of members) for (let i = 0; i < sum.length; i++) sum[i]! += m[i]!;
  return Float32Array.from(sum, (s) => s / members.length);
}

/**
 * The class most members predict for each row. A member's prediction is `predictedClasses` at
 * the default threshold, the same rule its own metrics use, so the ensemble's accuracy is
 * exactly the vote of the members the panel shows. A width-1 output is a binary sigmoid head
 * (two classes). Ties between the most-voted classes go to the highest mean probability, then
 * to the lowest class.
 */
export function majorityVote(members: Float32Array[], rows: number, classes: number): Uint32Array {
  checkMembers(members, rows, classes);
  const mean = averageProbabilities(members, rows, classes);
  const voteClasses = Math.max(classes, 2);
  const votes = new Uint32Array(rows * voteClasses);
  for (const m of members) {
    const pred = predictedClasses(m, rows, classes);
    for (let r = 0; r < rows; r++) votes[r * voteClasses + pred[r]!]!++;
  }
  const out = new Uint32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < voteClasses; c++) {
      const dv = votes[r * voteClasses + c]! - votes[r * voteClasses + best]!;
      if (dv > 0 || (dv === 0 && meanScore(mean, r, c, classes) > meanScore(mean, r, best, classes))) best = c;
    }
    out[r] = best;
  }
  return out;
}

/**
 * A bagging sample: `trainRows.length` rows drawn uniformly with replacement from `trainRows`,
 * so each ensemble member sees about 63% of the distinct rows, some several times.
 */
export function bootstrapSample(trainRows: Uint32Array, rng: Rng): Uint32Array {
  if (trainRows.length === 0) throw new Error('cannot draw a bootstrap sample from an empty training split');
  const out = new Uint32Array(trainRows.length);
  for (let i = 0; i < out.length; i++) out[i] = trainRows[rng.int(trainRows.length)]!;
  return out;
}

/** Mean probability of class c in row r; a width-1 head stores only P(class 1). NaN never wins. */
function meanScore(mean: Float32Array, r: number, c: number, classes: number): number {
  const v = classes === 1 ? (c === 1 ? mean[r]! : 1 - mean[r]!) : mean[r * classes + c]!;
  return Number.isNaN(v) ? -Infinity : v;
}

function checkMembers(members: Float32Array[], rows: number, classes: number): void {
  if (members.length === 0) throw new Error('an ensemble needs at least one member');
  if (!Number.isInteger(rows) || rows < 0) throw new Error(`rows must be a whole number ≥ 0, got ${rows}`);
  if (!Number.isInteger(classes) || classes < 1) throw new Error(`classes must be a whole number ≥ 1, got ${classes}`);
  members.forEach((m, i) => {
    if (m.length !== rows * classes) {
      throw new Error(`member ${i} has ${m.length} outputs, expected ${rows} rows × ${classes} classes`);
    }
  });
}
