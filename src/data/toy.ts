import { validateDataset, type DatasetConfig } from '../config/experiment.ts';
import { Rng } from '../nn/rng.ts';
import type { LabeledTable } from './dataset.ts';

/** The 2-D toy sets `makeToyTable` can generate. */
export const TOY_DATASETS = ['spiral', 'circles', 'xor', 'gaussians', 'moons'] as const;
/** Name of a 2-D toy set. */
export type ToyName = (typeof TOY_DATASETS)[number];

/** True for the dataset names `makeToyTable` generates. */
export function isToyDataset(name: string): name is ToyName {
  return (TOY_DATASETS as readonly string[]).includes(name);
}

/** The 2-D data sets, drawn on the plane: the toy sets, the regression sets and a drawing. */
export const PLANE_DATASETS: readonly string[] = [...TOY_DATASETS, 'plane', 'gaussmix', 'drawn'];

/** True for data on the plane (x1, x2), which get input features, maps and a drawn boundary. */
export function isPlaneDataset(name: string): boolean {
  return PLANE_DATASETS.includes(name);
}

/** Writes one clean point of class `k`; `t` is uniform in [0, 1) and spreads points along the shape. */
type Shape = (k: number, classes: number, t: number, rng: Rng, out: Float64Array) => void;

interface ToySpec {
  shape: Shape;
  /** Standard deviation of the Gaussian jitter at noise 1, in output units. */
  jitter: number;
  classNames: (classes: number) => string[];
}

const numbered = (classes: number): string[] => Array.from({ length: classes }, (_, k) => `class ${k}`);

// One full turn per arm: with K arms the radial gap between neighbours is 1/K, so 8 arms still
// separate at noise 0.2 while 2 arms leave room for heavy jitter.
const spiral: Shape = (k, classes, t, _rng, out) => {
  const r = 0.05 + 0.95 * t;
  const angle = (2 * Math.PI * k) / classes + 2 * Math.PI * t;
  out[0] = r * Math.cos(angle);
  out[1] = r * Math.sin(angle);
};

// sqrt makes the disc uniform by area rather than crowded at the centre.
const circles: Shape = (k, _classes, t, rng, out) => {
  const r = k === 0 ? 0.45 * Math.sqrt(t) : 0.75 + 0.25 * t;
  const angle = 2 * Math.PI * rng.uniform();
  out[0] = r * Math.cos(angle);
  out[1] = r * Math.sin(angle);
};

// Class 0 owns the (+,+) and (−,−) quadrants, class 1 the other two; squares of half-width 0.4
// around (±0.5, ±0.5) keep a clean margin of 0.2 between the blobs.
const xor: Shape = (k, _classes, t, rng, out) => {
  const sx = t < 0.5 ? 1 : -1;
  const sy = k === 0 ? sx : -sx;
  out[0] = sx * (0.5 + 0.8 * (rng.uniform() - 0.5));
  out[1] = sy * (0.5 + 0.8 * (rng.uniform() - 0.5));
};

// Blobs need a spread even at noise 0; 0.08 keeps 8 blobs on a radius-0.7 circle apart.
const gaussians: Shape = (k, classes, _t, rng, out) => {
  const angle = (2 * Math.PI * k) / classes;
  out[0] = 0.7 * Math.cos(angle) + 0.08 * rng.normal();
  out[1] = 0.7 * Math.sin(angle) + 0.08 * rng.normal();
};

// scikit-learn's moons (x in [-1, 2], y in [-0.5, 1]) scaled by 1/1.5 and centred on the origin.
const moons: Shape = (k, _classes, t, _rng, out) => {
  const a = Math.PI * t;
  const x = k === 0 ? Math.cos(a) : 1 - Math.cos(a);
  const y = k === 0 ? Math.sin(a) : 0.5 - Math.sin(a);
  out[0] = (x - 0.5) / 1.5;
  out[1] = (y - 0.25) / 1.5;
};

const SPECS: Record<ToyName, ToySpec> = {
  spiral: { shape: spiral, jitter: 0.2, classNames: numbered },
  circles: { shape: circles, jitter: 0.2, classNames: () => ['inner', 'outer'] },
  xor: { shape: xor, jitter: 0.25, classNames: () => ['same sign', 'opposite sign'] },
  gaussians: { shape: gaussians, jitter: 0.25, classNames: numbered },
  moons: { shape: moons, jitter: 0.2, classNames: () => ['upper moon', 'lower moon'] },
};

/**
 * Generates a 2-D toy classification set from the seed: about `cfg.size` rows split evenly over
 * the classes, Gaussian jitter of `cfg.noise` × a per-set scale, then `applyImbalance`. Rows are
 * shuffled so no consumer can accidentally rely on class order. Only spiral and gaussians use
 * `cfg.classes`; the others always have two classes.
 */
export function makeToyTable(cfg: DatasetConfig, seed: number): LabeledTable {
  validateDataset(cfg);
  if (!isToyDataset(cfg.name)) throw new Error(`"${cfg.name}" is not a generated 2-D dataset`);
  const spec = SPECS[cfg.name];
  const classes = cfg.name === 'spiral' || cfg.name === 'gaussians' ? cfg.classes : 2;
  const rng = new Rng(seed);
  const rows = cfg.size;
  const features = new Float32Array(rows * 2);
  const labels = new Uint32Array(rows);
  const sd = spec.jitter * cfg.noise;
  const point = new Float64Array(2);
  let r = 0;
  for (let k = 0; k < classes; k++) {
    const n = Math.floor(rows / classes) + (k < rows % classes ? 1 : 0);
    for (let i = 0; i < n; i++, r++) {
      spec.shape(k, classes, rng.uniform(), rng, point);
      features[2 * r] = point[0]! + sd * rng.normal();
      features[2 * r + 1] = point[1]! + sd * rng.normal();
      labels[r] = k;
    }
  }
  const table = permuteRows(
    { features, inputSize: 2, labels, classNames: spec.classNames(classes), featureNames: ['x1', 'x2'] },
    rng.shuffle(Uint32Array.from({ length: rows }, (_, i) => i)),
  );
  return applyImbalance(table, cfg.imbalance, rng.nextU32());
}

/**
 * Rows class k keeps out of `count` under `imbalance`: round(count · imbalance^(k/(K−1))), so
 * class 0 stays whole and the last class shrinks to `imbalance` of its size, never below 2 rows
 * (stratified splitting and per-class metrics need at least two).
 */
export function imbalancedCount(count: number, k: number, classes: number, imbalance: number): number {
  if (classes < 2 || imbalance >= 1) return count;
  const keep = Math.round(count * Math.pow(imbalance, k / (classes - 1)));
  return Math.min(count, Math.max(2, keep));
}

/**
 * Subsamples each class by the `imbalancedCount` rule, choosing the kept rows at random from the
 * seed and keeping their original order. Works on any table (the toy sets, Iris); with
 * imbalance 1 the table is returned unchanged.
 */
export function applyImbalance(table: LabeledTable, imbalance: number, seed: number): LabeledTable {
  if (!(imbalance > 0) || imbalance > 1) throw new RangeError(`imbalance must be in (0, 1], got ${imbalance}`);
  const classes = table.classNames.length;
  if (imbalance === 1 || classes < 2) return table;
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  table.labels.forEach((label, row) => byClass[label]!.push(row));
  const rng = new Rng(seed);
  const keep: number[] = [];
  byClass.forEach((rows, k) => {
    const n = imbalancedCount(rows.length, k, classes, imbalance);
    keep.push(...rng.shuffle(rows).slice(0, n));
  });
  keep.sort((a, b) => a - b);
  return permuteRows(table, keep);
}

/** A new table holding `order`'s rows of `table`, in that order. */
function permuteRows(table: LabeledTable, order: ArrayLike<number>): LabeledTable {
  const w = table.inputSize;
  const features = new Float32Array(order.length * w);
  const labels = new Uint32Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const src = order[i]!;
    features.set(table.features.subarray(src * w, src * w + w), i * w);
    labels[i] = table.labels[src]!;
  }
  return { ...table, features, labels, classNames: [...table.classNames], featureNames: [...table.featureNames] };
}
