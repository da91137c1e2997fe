// The real-data distributions of the 2-D GAN lab. All of them live in one shared square,
// PLANE_RANGE, so that the histogram of src/gan2d/metrics.ts, the drawings and a reader's
// pointer all use the same coordinates whatever the data set.
import { ConfigError } from '../config/errors.ts';
import type { Rng } from '../nn/rng.ts';

/** The data sets, by the option values of the `gan2d-dataset` select. */
export const GAN2D_DATASETS = ['line', 'gaussians', 'ring', 'grid', 'circle', 'spiral', 'drawn'] as const;
/** Name of a 2-D data set. */
export type Gan2dDataset = (typeof GAN2D_DATASETS)[number];

/** True when `name` is one of GAN2D_DATASETS. */
export function isGan2dDataset(name: unknown): name is Gan2dDataset {
  return typeof name === 'string' && (GAN2D_DATASETS as readonly string[]).includes(name);
}

/** The square every data set lies in (both axes): real samples fall outside it with probability < 1e-6. */
export const PLANE_RANGE = { min: -1, max: 1 } as const;

/** Fewest points a drawn distribution may have (issue 30's bar for "a drawing"). */
export const MIN_DRAWN_POINTS = 8;

/** One 2-D point. */
export type Point2 = readonly [number, number];

/** An equal-weight mixture of isotropic Gaussians: its mode centres and their common σ. */
export interface Mixture {
  centres: Point2[];
  sigma: number;
}

/** Radius of the ring's 8 mode centres, and σ of each mode. */
export const RING = { modes: 8, radius: 0.75, sigma: 0.05 } as const;
/** The grid's 5×5 centres are at −0.8, −0.4, 0, 0.4, 0.8 on each axis; σ of each mode. */
export const GRID = { side: 5, spacing: 0.4, sigma: 0.04 } as const;
/** The two Gaussians: centres (±0.5, 0), σ 0.1. */
export const TWO_GAUSSIANS = { offset: 0.5, sigma: 0.1 } as const;
/** Isotropic noise added to the curve-like sets (line, circle, spiral) and to drawn points. */
export const CURVE_NOISE = 0.02;

/**
 * The mode centres and σ of a mixture data set (gaussians, ring, grid); null for the others,
 * which have no modes to count. 3σ discs of neighbouring modes never overlap: the ring's centres
 * are 0.574 apart (3σ = 0.15), the grid's 0.4 (3σ = 0.12), the two Gaussians' 1.0 (3σ = 0.3).
 */
export function mixtureOf(name: Gan2dDataset): Mixture | null {
  if (name === 'ring') {
    const centres = Array.from({ length: RING.modes }, (_, k): Point2 => {
      const a = (2 * Math.PI * k) / RING.modes;
      return [RING.radius * Math.cos(a), RING.radius * Math.sin(a)];
    });
    return { centres, sigma: RING.sigma };
  }
  if (name === 'grid') {
    const half = (GRID.side - 1) / 2;
    const centres: Point2[] = [];
    for (let j = 0; j < GRID.side; j++) for (let i = 0; i < GRID.side; i++) centres.push([(i - half) * GRID.spacing, (j - half) * GRID.spacing]);
    return { centres, sigma: GRID.sigma };
  }
  if (name === 'gaussians') {
    return {
      centres: [
        [-TWO_GAUSSIANS.offset, 0],
        [TWO_GAUSSIANS.offset, 0],
      ],
      sigma: TWO_GAUSSIANS.sigma,
    };
  }
  return null;
}

/**
 * Throws a ConfigError unless `points` is a usable drawing: at least MIN_DRAWN_POINTS points,
 * each a pair of finite numbers inside PLANE_RANGE.
 */
export function validateDrawn(points: readonly Point2[] | undefined): readonly Point2[] {
  const n = points?.length ?? 0;
  if (!points || n < MIN_DRAWN_POINTS) {
    throw new ConfigError('gan2d.drawn', `a drawn distribution needs at least ${MIN_DRAWN_POINTS} points, got ${n}: draw more on the plane`);
  }
  points.forEach((p, i) => {
    const ok =
      Array.isArray(p) && p.length === 2 && p.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= PLANE_RANGE.min && v <= PLANE_RANGE.max);
    if (!ok) throw new ConfigError(`gan2d.drawn[${i}]`, `must be two numbers from ${PLANE_RANGE.min} to ${PLANE_RANGE.max}`);
  });
  return points;
}

/**
 * `n` samples of data set `name`, interleaved x0, y0, x1, y1, ..., drawn from `rng`:
 * - line: uniform on the segment (−0.8, −0.4)–(0.8, 0.4), plus N(0, CURVE_NOISE²) per axis;
 * - gaussians, ring, grid: a mode picked uniformly, plus N(0, σ²) per axis (see mixtureOf);
 * - circle: uniform angle on radius 0.6, plus N(0, CURVE_NOISE²) on the radius;
 * - spiral: t uniform in [0, 1], radius 0.1 + 0.7t at angle 3πt (one and a half turns), plus
 *   N(0, CURVE_NOISE²) per axis;
 * - drawn: one of `drawn` picked uniformly, plus N(0, CURVE_NOISE²) per axis, so a handful of
 *   clicks reads as a distribution rather than a few atoms.
 */
export function sample2d(name: Gan2dDataset, n: number, rng: Rng, drawn?: readonly Point2[]): Float64Array {
  if (!Number.isInteger(n) || n < 0) throw new ConfigError('gan2d.samples', `must be a whole number, got ${String(n)}`);
  const out = new Float64Array(2 * n);
  const put = (i: number, x: number, y: number) => {
    out[2 * i] = x;
    out[2 * i + 1] = y;
  };
  const mixture = mixtureOf(name);
  const points = name === 'drawn' ? validateDrawn(drawn) : null;
  for (let i = 0; i < n; i++) {
    if (mixture) {
      const [cx, cy] = mixture.centres[rng.int(mixture.centres.length)]!;
      put(i, cx + mixture.sigma * rng.normal(), cy + mixture.sigma * rng.normal());
    } else if (points) {
      const [px, py] = points[rng.int(points.length)]!;
      put(i, px + CURVE_NOISE * rng.normal(), py + CURVE_NOISE * rng.normal());
    } else if (name === 'line') {
      const t = 2 * rng.uniform() - 1;
      put(i, 0.8 * t + CURVE_NOISE * rng.normal(), 0.4 * t + CURVE_NOISE * rng.normal());
    } else if (name === 'circle') {
      const a = 2 * Math.PI * rng.uniform();
      const r = 0.6 + CURVE_NOISE * rng.normal();
      put(i, r * Math.cos(a), r * Math.sin(a));
    } else {
      const t = rng.uniform();
      const r = 0.1 + 0.7 * t;
      const a = 3 * Math.PI * t;
      put(i, r * Math.cos(a) + CURVE_NOISE * rng.normal(), r * Math.sin(a) + CURVE_NOISE * rng.normal());
    }
  }
  return out;
}
