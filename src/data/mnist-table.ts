// MNIST as tables for the engine: the classifier's [0, 1] features and the GAN's [-1, 1] images.
import { Rng } from '../nn/rng.ts';
import type { LabeledTable } from './dataset.ts';
import { MNIST_CLASSES, MNIST_PIXELS, type MnistPart } from './mnist.ts';

/**
 * One MNIST split as a classification table: pixels scaled to [0, 1], class names '0'..'9',
 * feature names 'px0'..'px783'. With `limit` below the split's size, a stratified sample of
 * `limit` rows (each digit keeps its share, rows drawn by `Rng(seed)`, kept in file order) makes
 * a quick run on slow machines still see every digit.
 */
export function mnistTable(part: MnistPart, opts: { limit?: number; seed: number }): LabeledTable {
  const rows = sampleRows(part.labels, opts.limit, opts.seed);
  const features = new Float32Array(rows.length * MNIST_PIXELS);
  const labels = new Uint32Array(rows.length);
  const scale = lookup((v) => v / 255);
  rows.forEach((row, r) => {
    const src = part.images.subarray(row * MNIST_PIXELS, (row + 1) * MNIST_PIXELS);
    const dst = r * MNIST_PIXELS;
    for (let k = 0; k < MNIST_PIXELS; k++) features[dst + k] = scale[src[k]!]!;
    labels[r] = part.labels[row]!;
  });
  return {
    features,
    inputSize: MNIST_PIXELS,
    labels,
    classNames: Array.from({ length: MNIST_CLASSES }, (_, c) => String(c)),
    featureNames: Array.from({ length: MNIST_PIXELS }, (_, k) => `px${k}`),
  };
}

/** Every image of a split scaled to [-1, 1], the range of a tanh generator's output. */
export function ganImages(part: MnistPart): Float32Array {
  const scale = lookup((v) => v / 127.5 - 1);
  const out = new Float32Array(part.count * MNIST_PIXELS);
  for (let i = 0; i < out.length; i++) out[i] = scale[part.images[i]!]!;
  return out;
}

/** A 256-entry table, so 47 million pixels cost a lookup each, not a division. */
function lookup(f: (v: number) => number): Float32Array {
  return Float32Array.from({ length: 256 }, (_, v) => f(v));
}

/**
 * Row indices, ascending: all rows, or `limit` of them split across classes by largest
 * remainder of each class's share, each class's rows shuffled by one Rng in class order.
 */
function sampleRows(labels: Uint8Array, limit: number | undefined, seed: number): number[] {
  const n = labels.length;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new RangeError(`MNIST limit must be a positive integer, got ${limit}`);
  }
  if (limit === undefined || limit >= n) return Array.from({ length: n }, (_, i) => i);
  const groups: number[][] = Array.from({ length: MNIST_CLASSES }, () => []);
  for (let i = 0; i < n; i++) groups[labels[i]!]!.push(i);
  const exact = groups.map((g) => (g.length * limit) / n);
  const quota = exact.map(Math.floor);
  let missing = limit - quota.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, c) => ({ c, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.c - b.c);
  for (const { c } of byRemainder) {
    if (missing-- <= 0) break;
    quota[c]!++;
  }
  const rng = new Rng(seed);
  const picked = groups.flatMap((g, c) => rng.shuffle(g).slice(0, quota[c]));
  return picked.sort((a, b) => a - b);
}
