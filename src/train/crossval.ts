import { Rng } from '../nn/rng.ts';
import { groupByLabel } from '../data/split.ts';

/** One cross-validation fold: row indices, each list sorted ascending. */
export interface Fold {
  train: Uint32Array;
  validation: Uint32Array;
}

/** Options of `stratifiedKFold`. */
export interface KFoldOptions {
  /**
   * Undersample each fold's training rows to the same count per class (the article's "balanced
   * cross-validation"). Validation rows keep the natural class mix, so the scores still describe
   * the data the model will meet.
   */
  balanced?: boolean;
}

/** Bounds on the number of folds. */
export const KFOLD_LIMITS = { minK: 2, maxK: 20 } as const;

/** Mean, sample standard deviation (n − 1), minimum and maximum of a list of scores. */
export interface Summary {
  mean: number;
  std: number;
  min: number;
  max: number;
}

/**
 * Stratified k-fold split of row indices. Each class's rows are shuffled from `Rng(seed)` (classes
 * in ascending label order) and dealt round-robin to the folds, the deal continuing where the
 * previous class stopped, so every fold holds ⌊n_c/k⌋ or ⌈n_c/k⌉ rows of each class c and fold
 * sizes differ by at most one row overall. Validation folds are disjoint and together cover every
 * row exactly once; each fold trains on all other rows. The same seed gives the same folds.
 *
 * k must be within 2..20 and no larger than the smallest class, since a fold that lacks a class
 * cannot score it.
 */
export function stratifiedKFold(labels: ArrayLike<number>, k: number, seed: number, options: KFoldOptions = {}): Fold[] {
  if (!Number.isInteger(k) || k < KFOLD_LIMITS.minK || k > KFOLD_LIMITS.maxK) {
    throw new Error(`k must be a whole number in ${KFOLD_LIMITS.minK}..${KFOLD_LIMITS.maxK}, got ${k}`);
  }
  const groups = groupByLabel(labels);
  for (const [label, rows] of groups) {
    if (rows.length < k) {
      throw new Error(`${k} folds need at least ${k} rows in every class, but class ${label} has ${rows.length}; lower k`);
    }
  }
  const rng = new Rng(seed);
  const dealt: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  for (const [, rows] of groups) {
    for (const row of rng.shuffle(rows.slice())) {
      dealt[next]!.push(row);
      next = (next + 1) % k;
    }
  }
  const balanceRng = rng.fork();
  return dealt.map((validation, f) => {
    const train = dealt.flatMap((rows, g) => (g === f ? [] : rows));
    return {
      train: sorted(options.balanced ? undersample(train, labels, balanceRng) : train),
      validation: sorted(validation),
    };
  });
}

/** Summary statistics of per-fold scores; one score has no spread to estimate, so its std is NaN. */
export function summarize(values: number[]): Summary {
  if (values.length === 0) throw new Error('summarize needs at least one value');
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new Error(`value ${i} must be finite, got ${v}`);
  });
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const squares = values.reduce((s, v) => s + (v - mean) ** 2, 0);
  return {
    mean,
    std: n > 1 ? Math.sqrt(squares / (n - 1)) : NaN,
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

/** Keeps a random subset of each class's rows, as many as the smallest class has. */
function undersample(rows: number[], labels: ArrayLike<number>, rng: Rng): number[] {
  const groups = new Map<number, number[]>();
  for (const row of rows) {
    const label = labels[row]!;
    let group = groups.get(label);
    if (!group) groups.set(label, (group = []));
    group.push(row);
  }
  const ordered = [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([, g]) => g);
  const keep = Math.min(...ordered.map((g) => g.length));
  return ordered.flatMap((g) => rng.shuffle(g).slice(0, keep));
}

function sorted(a: number[]): Uint32Array {
  return Uint32Array.from(a).sort();
}
