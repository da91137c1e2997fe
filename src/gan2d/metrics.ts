// How close the fake distribution is to the real one, in float64: divergences on a grid
// histogram (as GAN Lab estimates them) and, for the mixture data sets, the mode measures of the
// mode-collapse literature (Unrolled GANs; VEEGAN). Points are interleaved x0, y0, x1, y1, ...
import { PLANE_RANGE, type Mixture } from './datasets.ts';

/**
 * The histogram both divergences are estimated on: HISTOGRAM.bins × HISTOGRAM.bins equal square
 * cells tiling PLANE_RANGE² (cells of 0.1 × 0.1), plus one more cell that holds every point
 * outside that square (so a fake point far away still counts as mass where the real data has
 * none, instead of vanishing or piling into an edge cell). A point on a cell's lower edge
 * belongs to that cell; x = max belongs to the last cell.
 */
export const HISTOGRAM = { bins: 20, min: PLANE_RANGE.min, max: PLANE_RANGE.max } as const;

/** Cells of the histogram: the grid, then the outside cell. */
export const HISTOGRAM_CELLS = HISTOGRAM.bins * HISTOGRAM.bins + 1;

/**
 * KL smoothing: ε added to every cell's probability (density per cell, not count) of both
 * histograms before KL is taken, as GAN Lab does (its ε is 1e-4 as well); the sums are not
 * renormalised. Without it KL(real‖fake) is infinite as soon as one real cell has no fake point.
 */
export const KL_EPSILON = 1e-4;

/** Share of the `points.length / 2` points in each cell (grid row-major by y then x, then outside). */
export function histogram2d(points: ArrayLike<number>): Float64Array {
  const { bins, min, max } = HISTOGRAM;
  const n = points.length / 2;
  const share = new Float64Array(HISTOGRAM_CELLS);
  const cell = (v: number) => Math.min(bins - 1, Math.floor(((v - min) / (max - min)) * bins));
  for (let i = 0; i < n; i++) {
    const [x, y] = [points[2 * i]!, points[2 * i + 1]!];
    // NaN fails both comparisons and lands outside, like any point off the plane.
    const inside = x >= min && x <= max && y >= min && y <= max;
    share[inside ? cell(y) * bins + cell(x) : bins * bins]! += 1 / n;
  }
  return share;
}

/** Both divergences between the real and the fake points, in nats. */
export interface Divergences {
  /**
   * KL(real ‖ fake) = Σ_cells (p + ε) · ln((p + ε) / (q + ε)) with p, q the real and fake shares
   * of each cell of HISTOGRAM and ε = KL_EPSILON. 0 for identical histograms.
   */
  kl: number;
  /**
   * JS(real, fake) = ½ Σ p ln(p / m) + ½ Σ q ln(q / m), m = (p + q) / 2, over the same cells with
   * no smoothing (terms with p = 0 or q = 0 are 0; JS is finite without it). 0 for identical
   * histograms, ln 2 for histograms with no cell in common.
   */
  js: number;
}

/** KL and JS divergence between `real` and `fake` points, estimated on the HISTOGRAM grid. */
export function divergences(real: ArrayLike<number>, fake: ArrayLike<number>): Divergences {
  return divergencesOfShares(histogram2d(real), histogram2d(fake));
}

/** KL and JS divergence of two histograms of shares (see Divergences); reuse a real histogram across calls. */
export function divergencesOfShares(p: Float64Array, q: Float64Array): Divergences {
  let kl = 0;
  let js = 0;
  for (let c = 0; c < p.length; c++) {
    const [a, b] = [p[c]!, q[c]!];
    kl += (a + KL_EPSILON) * Math.log((a + KL_EPSILON) / (b + KL_EPSILON));
    const m = (a + b) / 2;
    if (a > 0) js += 0.5 * a * Math.log(a / m);
    if (b > 0) js += 0.5 * b * Math.log(b / m);
  }
  return { kl, js };
}

/** The mode measures of a sample against a mixture. */
export interface ModeStats {
  /** Modes with at least MODE_COVERED_SHARE of the samples within MODE_RADIUS_SIGMAS·σ of their centre. */
  covered: number;
  /** Modes of the mixture. */
  total: number;
  /** Share of the samples within MODE_RADIUS_SIGMAS·σ of some mode's centre ("high quality"). */
  highQuality: number;
  /** Share of the samples within MODE_RADIUS_SIGMAS·σ of each mode, in the mixture's order. */
  perMode: Float64Array;
}

/** A sample is near a mode when it lies within this many σ of the centre (Euclidean distance). */
export const MODE_RADIUS_SIGMAS = 3;
/** A mode is covered when at least this share of all samples is near it. */
export const MODE_COVERED_SHARE = 0.01;

/**
 * Modes covered and high-quality share of `points` against `mixture`. The mixtures of
 * src/gan2d/datasets.ts keep their 3σ discs apart, so each sample is near at most one mode;
 * should two discs overlap, a sample counts for each mode it is near but once for quality.
 */
export function modeStats(points: ArrayLike<number>, mixture: Mixture): ModeStats {
  const n = points.length / 2;
  const r2 = (MODE_RADIUS_SIGMAS * mixture.sigma) ** 2;
  const perMode = new Float64Array(mixture.centres.length);
  let good = 0;
  for (let i = 0; i < n; i++) {
    const [x, y] = [points[2 * i]!, points[2 * i + 1]!];
    let near = false;
    mixture.centres.forEach(([cx, cy], k) => {
      if ((x - cx) ** 2 + (y - cy) ** 2 <= r2) {
        perMode[k]! += 1;
        near = true;
      }
    });
    if (near) good++;
  }
  let covered = 0;
  for (let k = 0; k < perMode.length; k++) {
    // Compare counts, not rounded shares: 1% of 300 samples is exactly 3 samples.
    if (n > 0 && perMode[k]! >= MODE_COVERED_SHARE * n - 1e-9) covered++;
    perMode[k] = n > 0 ? perMode[k]! / n : 0;
  }
  return { covered, total: mixture.centres.length, highQuality: n > 0 ? good / n : 0, perMode };
}

/** Mean Euclidean distance from each point to its nearest mode centre (a simple "is G getting closer" figure). */
export function meanDistanceToModes(points: ArrayLike<number>, mixture: Mixture): number {
  const n = points.length / 2;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    for (const [cx, cy] of mixture.centres) best = Math.min(best, Math.hypot(points[2 * i]! - cx, points[2 * i + 1]! - cy));
    sum += best;
  }
  return n > 0 ? sum / n : NaN;
}
