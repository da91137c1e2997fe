// The 2-D lab's per-iteration metrics as the page keeps them. Played flat out a GAN makes
// thousands of iterations a second, and a chart cannot show more points than it has pixels, so
// the page keeps at most METRICS_KEPT points: past that, neighbours merge into their mean (each
// point knows how many iterations it holds), the way the chart's own downsampling would average
// them. The worker keeps every iteration (the curve file and the exports read it there).
import type { GanMetric } from '../../src/worker/api.ts';

/** The mean of `n` consecutive iterations' metrics, ending at iteration `iteration` (1-based). */
export interface Gan2dMetricPoint extends GanMetric {
  iteration: number;
  n: number;
}

/** Points kept before neighbours merge: a chart's width in pixels several times over. */
export const METRICS_KEPT = 4000;

const KEYS = ['dLoss', 'dAccuracy', 'gLoss', 'dReal', 'dFake'] as const;

/** Two neighbours as one point: their weighted mean. */
function merge(a: Gan2dMetricPoint, b: Gan2dMetricPoint): Gan2dMetricPoint {
  const n = a.n + b.n;
  const out = { iteration: b.iteration, n } as Gan2dMetricPoint;
  for (const k of KEYS) out[k] = (a[k] * a.n + b[k] * b.n) / n;
  return out;
}

/**
 * `points` with `metrics` appended (iterations after `iteration`, the count so far); past `kept`
 * points, every pair of neighbours merges into one. A new array: the old one may be on screen.
 */
export function appendMetrics(points: readonly Gan2dMetricPoint[], metrics: readonly GanMetric[], iteration: number, kept = METRICS_KEPT): Gan2dMetricPoint[] {
  let out = points.concat(metrics.map((m, i) => ({ ...m, iteration: iteration + i + 1, n: 1 })));
  while (out.length > kept)
    out = Array.from({ length: Math.ceil(out.length / 2) }, (_, i) => (2 * i + 1 < out.length ? merge(out[2 * i]!, out[2 * i + 1]!) : out[2 * i]!));
  return out;
}
