import { Rng } from '../nn/rng.ts';
import type { DataSplits } from './dataset.ts';

/**
 * How much of a dataset to hold out. `test` is a fraction of all rows; `validation` is a fraction
 * of the rows left after the test split, the way the article (and Keras's `validation_split`)
 * carves validation out of the training part: Iris at 0.2/0.2 gives 96/24/30.
 */
export interface SplitFractions {
  validation: number;
  test: number;
}

/**
 * Split row indices so every class keeps its share in each split: on small sets like Iris a plain
 * random split can leave a class nearly absent from the test rows and make the metrics noisy.
 * Classes are visited in ascending label order and shuffled with one `Rng(seed)`, so a seed always
 * gives the same splits. Each class with at least one row keeps at least one training row, since a
 * class the model never sees cannot be learned. Splits come back sorted ascending for readability;
 * the trainer shuffles batches itself.
 */
export function stratifiedSplit(labels: ArrayLike<number>, fractions: SplitFractions, seed: number): DataSplits {
  checkFractions(fractions);
  return splitGroups(
    groupByLabel(labels).map(([, rows]) => rows),
    fractions,
    seed,
  );
}

/** Row indices per class, classes in ascending label order; labels must be finite. */
export function groupByLabel(labels: ArrayLike<number>): [number, number[]][] {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (!Number.isFinite(label)) throw new Error(`labels[${i}] must be finite, got ${label}`);
    let group = groups.get(label);
    if (!group) groups.set(label, (group = []));
    group.push(i);
  }
  return [...groups.entries()].sort((a, b) => a[0] - b[0]);
}

/**
 * Split rows uniformly at random, for regression or unlabeled data where there are no classes to
 * stratify by. Same fraction semantics, determinism and sorted output as `stratifiedSplit`.
 */
export function randomSplit(rows: number, fractions: SplitFractions, seed: number): DataSplits {
  checkFractions(fractions);
  if (!Number.isInteger(rows) || rows < 0) {
    throw new Error(`rows must be a non-negative integer, got ${rows}`);
  }
  return splitGroups([Array.from({ length: rows }, (_, i) => i)], fractions, seed);
}

function checkFractions(f: SplitFractions): void {
  for (const field of ['validation', 'test'] as const) {
    const v = f[field];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v >= 1) {
      throw new Error(`${field} fraction must be a finite number in [0, 1), got ${v}`);
    }
  }
  if (f.test + f.validation >= 1) {
    throw new Error(`test + validation fractions must be below 1, got test ${f.test} + validation ${f.validation}`);
  }
}

function splitGroups(groups: number[][], f: SplitFractions, seed: number): DataSplits {
  const rng = new Rng(seed);
  const train: number[] = [];
  const validation: number[] = [];
  const test: number[] = [];
  for (const group of groups) {
    const idx = rng.shuffle(group.slice());
    const n = idx.length;
    // Rounding can otherwise claim the last row of a tiny class for the held-out splits.
    const nTest = Math.min(Math.round(n * f.test), Math.max(n - 1, 0));
    const nVal = Math.min(Math.round((n - nTest) * f.validation), Math.max(n - nTest - 1, 0));
    test.push(...idx.slice(0, nTest));
    validation.push(...idx.slice(nTest, nTest + nVal));
    train.push(...idx.slice(nTest + nVal));
  }
  return { train: sorted(train), validation: sorted(validation), test: sorted(test) };
}

function sorted(a: number[]): Uint32Array {
  return Uint32Array.from(a).sort();
}
