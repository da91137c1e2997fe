// The 2-D GAN lab's curve file: the config, how the run drew from its streams, and every
// iteration's losses and D outputs. The exported PyTorch script (export-gan2d-pytorch.ts) replays
// the same draws and `--check FILE` compares its own iterations with the file's.
import type { Gan2dConfig } from '../gan2d/config.ts';
import { GAN2D_ITERATIONS_PER_SUBMIT } from '../gan2d/trainer.ts';
import type { GanMetric } from '../train/gan-backend.ts';
import type { GanMetricLog } from '../train/gan-metric-log.ts';
import type { GanDraw } from '../train/gan-trainer.ts';

/** The `format` field of a curve file. */
export const GAN2D_CURVE_FORMAT = 'shaderprop-gan2d-curve';

/** The metrics a curve file holds, one list each, one value per iteration (null where not finite). */
export const GAN2D_CURVE_METRICS = ['dLoss', 'gLoss', 'dReal', 'dFake', 'dAccuracy'] as const;

/** One draw in a curve file: a chunk's number of whole iterations, or a D-only / G-only part. */
export type Gan2dCurveDraw = number | 'discriminator' | 'generator';

/** A curve file's content. */
export interface Gan2dCurve {
  format: typeof GAN2D_CURVE_FORMAT;
  version: 1;
  config: Gan2dConfig;
  /** Which backend trained it (its label), or null when not known. */
  backend: string | null;
  /** Iterations in `metrics`. */
  iterations: number;
  /**
   * The run's draws in order (GanDraw of src/train/gan-trainer.ts); null when they do not account
   * for the iterations in `metrics` (a chunk whose metrics never arrived), and `note` says so.
   */
  draws: Gan2dCurveDraw[] | null;
  note?: string;
  metrics: Record<(typeof GAN2D_CURVE_METRICS)[number], (number | null)[]>;
}

/** Options of gan2dCurve. */
export interface Gan2dCurveOptions {
  /** The trainer's draws (Gan2dTrainer.draws); default: whole chunks of GAN2D_ITERATIONS_PER_SUBMIT, which one train() call makes. */
  draws?: readonly GanDraw[];
  /** The backend's label. */
  backend?: string;
}

/** The default draws of `iterations` trained in one go: chunks of GAN2D_ITERATIONS_PER_SUBMIT and a shorter last one. */
function wholeChunks(iterations: number): GanDraw[] {
  const out: GanDraw[] = [];
  for (let done = 0; done < iterations; done += GAN2D_ITERATIONS_PER_SUBMIT) out.push({ iterations: Math.min(GAN2D_ITERATIONS_PER_SUBMIT, iterations - done) });
  return out;
}

/** A run's metrics in order: Gan2dTrainer.history (a GanMetricLog) or a plain array. */
export type GanHistory = Pick<readonly GanMetric[], 'length' | 'map'> | GanMetricLog;

/** The curve of a run: `history` is Gan2dTrainer.history, `options.draws` its draws. */
export function gan2dCurve(config: Gan2dConfig, history: GanHistory, options: Gan2dCurveOptions = {}): Gan2dCurve {
  const draws = options.draws ?? wholeChunks(history.length);
  const drawn = draws.reduce((n, d) => n + (d.steps ? 0 : d.iterations), 0);
  const value = (v: number) => (Number.isFinite(v) ? v : null);
  const metrics = Object.fromEntries(GAN2D_CURVE_METRICS.map((k) => [k, history.map((m) => value(m[k]))])) as Gan2dCurve['metrics'];
  const curve: Gan2dCurve = {
    format: GAN2D_CURVE_FORMAT,
    version: 1,
    config,
    backend: options.backend ?? null,
    iterations: history.length,
    draws: drawn === history.length ? draws.map((d) => d.steps ?? d.iterations) : null,
    metrics,
  };
  if (!curve.draws) curve.note = `the run drew ${drawn} iterations but recorded ${history.length} (a chunk's metrics were lost): it cannot be replayed`;
  return curve;
}

/** The curve file's text (JSON) the page downloads for `--check`. */
export function gan2dCurveJson(config: Gan2dConfig, history: GanHistory, options: Gan2dCurveOptions = {}): string {
  return `${JSON.stringify(gan2dCurve(config, history, options))}\n`;
}
