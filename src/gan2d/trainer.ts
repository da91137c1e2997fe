// Trains one 2-D GAN on any GanBackend (WebGPU, fast CPU, float64 reference) and measures it:
// the MNIST GanTrainer does the batching and the chunked submits; this adds the real points,
// the latent distribution and the 2-D measures of src/gan2d/metrics.ts.
import { Rng } from '../nn/rng.ts';
import type { GanBackend, GanMetric, GanSetup } from '../train/gan-backend.ts';
import { GanTrainer, type GanDraw, type LatentSampler } from '../train/gan-trainer.ts';
import type { GanMetricLog } from '../train/gan-metric-log.ts';
import type { Gan2dConfig } from './config.ts';
import { mixtureOf, sample2d } from './datasets.ts';
import { divergencesOfShares, histogram2d, meanDistanceToModes, modeStats, type Divergences, type ModeStats } from './metrics.ts';
import { gan2dSetup, latentSampler, REAL_POOL } from './setup.ts';

/** Iterations per submit: the WebGPU backend's most (MAX_GAN_ITERATIONS), so one readback per 16. */
export const GAN2D_ITERATIONS_PER_SUBMIT = 16;
/** Points in each measurement: fakes from fresh latents, and a fixed real sample independent of the training pool. */
export const MEASURE_SAMPLES = 1024;

/** How close the generator is, measured on MEASURE_SAMPLES fresh fakes. */
export interface Gan2dMeasure {
  iteration: number;
  divergences: Divergences;
  /** For the mixture sets (gaussians, ring, grid); null for the others. */
  modes: ModeStats | null;
  /** Mean distance from each fake to its nearest mode centre; NaN without modes. */
  meanDistance: number;
  /** The fakes measured, interleaved x, y (for drawing or a CSV). */
  fakes: Float32Array;
}

/** Builds the backend for a setup (e.g. `(s) => new CpuGanBackend(s)` or `(s) => createGpuGanBackend(ctx, s)`). */
export type Gan2dBackendFactory = (setup: GanSetup) => GanBackend | Promise<GanBackend>;

/** One 2-D GAN in training: its config, its backend, its metrics per iteration and its measures. */
export class Gan2dTrainer {
  /** The real training pool (REAL_POOL points). */
  readonly real: Float32Array;
  private readonly inner: GanTrainer;
  private readonly evalReal: Float64Array;
  private readonly realShares: Float64Array;
  /** Latents of the measured fakes: their own stream, so measuring never changes the training run. */
  private readonly measureRng: Rng;
  private readonly sampleLatent: LatentSampler;

  private constructor(
    readonly config: Gan2dConfig,
    readonly setup: GanSetup,
    readonly backend: GanBackend,
  ) {
    this.real = setup.points!;
    this.sampleLatent = latentSampler(config);
    this.inner = new GanTrainer(backend, setup.config, REAL_POOL, GAN2D_ITERATIONS_PER_SUBMIT, this.sampleLatent);
    this.measureRng = new Rng(config.seed ^ 0x7f4a7c15);
    // A separate stream: the measure's real sample is not the training pool, so D memorising the pool shows nowhere.
    this.evalReal = sample2d(config.dataset, MEASURE_SAMPLES, new Rng(config.seed ^ 0x3c6ef372), config.drawn);
    this.realShares = histogram2d(this.evalReal);
  }

  /** Validates `config` (throws a ConfigError), builds its setup and its backend. */
  static async create(config: Gan2dConfig, makeBackend: Gan2dBackendFactory): Promise<Gan2dTrainer> {
    const setup = gan2dSetup(config);
    return new Gan2dTrainer(config, setup, await makeBackend(setup));
  }

  /** Every iteration's losses and D outputs so far. */
  get history(): GanMetricLog {
    return this.inner.history;
  }

  /** Every chunk of iterations and every D-only / G-only part drawn so far, in order: what an exported script replays. */
  get draws(): readonly GanDraw[] {
    return this.inner.draws;
  }

  /** Trains `iterations` more; throws when a loss becomes NaN or infinite (the backend keeps the last weights). */
  train(iterations: number, onChunk?: (metrics: GanMetric[]) => void, shouldStop?: () => boolean): Promise<void> {
    return this.inner.train(iterations, onChunk, shouldStop);
  }

  /** Trains only D (its dSteps steps) or only G (one step), for watching one side move; see GanTrainer.trainPart. */
  trainPart(steps: 'discriminator' | 'generator'): Promise<GanMetric> {
    return this.inner.trainPart(steps);
  }

  /** G(z) for `n` fresh latent vectors (from the measuring stream), interleaved x, y. */
  fakes(n: number): Promise<Float32Array> {
    const z = Float32Array.from({ length: n * this.config.latent }, () => this.sampleLatent(this.measureRng));
    return this.backend.generate(z, n);
  }

  /** Divergences and mode measures of MEASURE_SAMPLES fresh fakes against the fixed real sample. */
  async measure(): Promise<Gan2dMeasure> {
    const fakes = await this.fakes(MEASURE_SAMPLES);
    const mixture = mixtureOf(this.config.dataset);
    return {
      iteration: this.inner.iterations,
      divergences: divergencesOfShares(this.realShares, histogram2d(fakes)),
      modes: mixture ? modeStats(fakes, mixture) : null,
      meanDistance: mixture ? meanDistanceToModes(fakes, mixture) : NaN,
      fakes,
    };
  }

  /** Releases the backend. */
  dispose(): void {
    this.backend.dispose();
  }
}
