// TensorFlow Playground's two regression sets on our plane ([-1, 1]², like the toy sets): a
// tilted plane, which a network without hidden layers fits, and a mix of six signed bumps, which
// needs hidden units. Targets lie in [-1, 1]; noise moves the point a target is read at, as
// TensorFlow Playground's noise does, so it blurs the target without moving the drawn point.
import { validateDataset, type DatasetConfig } from '../config/experiment.ts';
import { Rng } from '../nn/rng.ts';
import type { LabeledTable } from './dataset.ts';
import { regressionTable } from './regression-table.ts';

/** The regression sets `makeRegressionTable` generates. */
export const REGRESSION_SETS = ['plane', 'gaussmix'] as const;
/** Name of a generated regression set. */
export type RegressionSetName = (typeof REGRESSION_SETS)[number];

/** True for the data set names `makeRegressionTable` generates. */
export function isRegressionSet(name: string): name is RegressionSetName {
  return (REGRESSION_SETS as readonly string[]).includes(name);
}

/** How far the point a target is read at moves at noise 1 (a uniform shift up to this in each coordinate). */
const NOISE_REACH = 1;

/** The tilted plane: (x1 + x2) / 2. */
export function planeTarget(x1: number, x2: number): number {
  return (x1 + x2) / 2;
}

/** Centres and signs of the six bumps: two rows of three, alternating in sign. */
const BUMPS: readonly (readonly [number, number, number])[] = [
  [-2 / 3, 5 / 12, 1],
  [0, 5 / 12, -1],
  [2 / 3, 5 / 12, 1],
  [-2 / 3, -5 / 12, -1],
  [0, -5 / 12, 1],
  [2 / 3, -5 / 12, -1],
];
/** A bump falls linearly from ±1 at its centre to 0 at this distance. */
const BUMP_RADIUS = 1 / 3;

/** The signed bump largest in absolute value at (x1, x2); 0 between them. */
export function gaussmixTarget(x1: number, x2: number): number {
  let best = 0;
  for (const [cx, cy, sign] of BUMPS) {
    const v = sign * Math.max(0, 1 - Math.hypot(x1 - cx, x2 - cy) / BUMP_RADIUS);
    if (Math.abs(v) > Math.abs(best)) best = v;
  }
  return best;
}

/**
 * Generates `cfg.size` points uniform on [-1, 1]² from the seed, each with its target read at the
 * point shifted by up to `cfg.noise` in each coordinate.
 */
export function makeRegressionTable(cfg: DatasetConfig, seed: number): LabeledTable {
  validateDataset(cfg);
  if (!isRegressionSet(cfg.name)) throw new Error(`"${cfg.name}" is not a generated regression set`);
  const target = cfg.name === 'plane' ? planeTarget : gaussmixTarget;
  const rng = new Rng(seed);
  const rows = cfg.size;
  const features = new Float32Array(rows * 2);
  const values = new Float32Array(rows);
  const reach = cfg.noise * NOISE_REACH;
  for (let r = 0; r < rows; r++) {
    const x1 = 2 * rng.uniform() - 1;
    const x2 = 2 * rng.uniform() - 1;
    features[2 * r] = x1;
    features[2 * r + 1] = x2;
    values[r] = target(x1 + reach * (2 * rng.uniform() - 1), x2 + reach * (2 * rng.uniform() - 1));
  }
  return regressionTable(features, 2, values, ['x1', 'x2'], 'y');
}
