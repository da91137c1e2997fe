import { Rng } from '../nn/rng.ts';
import type { GanBackend, GanChunk, GanMetric } from './gan-backend.ts';
import type { GanConfig } from './gan-config.ts';
import { GanMetricLog } from './gan-metric-log.ts';
import { BatchSchedule } from './schedule.ts';

/** Latent vectors of the sample grid: fixed for a whole run, so each cell can be watched. */
export const GRID_SAMPLES = 64;
/** Images in an interpolation row between two fixed latent vectors. */
export const INTERPOLATION_STEPS = 10;

/** One latent coordinate drawn from `rng`: N(0, 1) for the MNIST GAN; the 2-D lab may pick U(−1, 1). */
export type LatentSampler = (rng: Rng) => number;

/**
 * One draw from a GanTrainer's streams (real batches and latents), in the order taken: a chunk
 * of `iterations` whole iterations, or one part of an iteration (trainPart). Chunk sizes shape
 * the latent streams (each chunk draws its D latents, then its G latents), so an exported script
 * replays a run from this log (src/io/gan2d-curve.ts).
 */
export interface GanDraw {
  iterations: number;
  steps?: 'discriminator' | 'generator';
}

/**
 * Drives a GanBackend: draws real batches from a seeded shuffle of the training images (or
 * points) and latent vectors from the seeded RNG through `sampleLatent`, submits chunks of
 * iterations with at most two awaiting their readback, and keeps every iteration's metrics.
 */
export class GanTrainer {
  /** Every iteration's metrics, in order (columns: a run may last hours). */
  readonly history = new GanMetricLog();
  /** Every chunk and part drawn so far, in order (see GanDraw). */
  readonly draws: GanDraw[] = [];
  /** The grid's latent vectors (GRID_SAMPLES × latent), then the two interpolation ends. */
  readonly fixedLatents: Float32Array;
  private readonly schedule: BatchSchedule;
  private readonly rng: Rng;

  constructor(
    private backendRef: GanBackend,
    readonly config: GanConfig,
    imageCount: number,
    readonly iterationsPerSubmit = 4,
    private readonly sampleLatent: LatentSampler = (rng) => rng.normal(),
  ) {
    this.schedule = new BatchSchedule(
      Uint32Array.from({ length: imageCount }, (_, i) => i),
      config.batch,
      config.seed,
    );
    this.rng = new Rng(config.seed ^ 0x2545f491);
    const fixed = new Rng(config.seed ^ 0x68e31da4);
    this.fixedLatents = Float32Array.from({ length: (GRID_SAMPLES + 2) * config.latent }, () => sampleLatent(fixed));
  }

  /** The backend in use. */
  get backend(): GanBackend {
    return this.backendRef;
  }

  /** Iterations trained so far. */
  get iterations(): number {
    return this.history.length;
  }

  private chunk(n: number): GanChunk {
    const { batch: B, latent: L, dSteps } = this.config;
    const realIndices = new Uint32Array(n * dSteps * B);
    for (let s = 0; s < n * dSteps; s++) {
      // Batches never straddle an epoch, so each one is a full batch of distinct images.
      const { chunk } = this.schedule.next(1);
      realIndices.set(chunk.batchIndices.subarray(0, B), s * B);
      if (chunk.rows[0]! < B) realIndices.set(chunk.batchIndices.subarray(0, B - chunk.rows[0]!), s * B + chunk.rows[0]!);
    }
    const latents = (len: number) => Float32Array.from({ length: len }, () => this.sampleLatent(this.rng));
    return { iterations: n, realIndices, zD: latents(n * dSteps * B * L), zG: latents(n * B * L) };
  }

  /** Trains `iterations` more iterations; `onChunk` sees each chunk's metrics as they arrive. */
  async train(iterations: number, onChunk?: (metrics: GanMetric[]) => void, shouldStop: () => boolean = () => false): Promise<void> {
    const target = this.history.length + iterations;
    let submitted = this.history.length;
    const pending: Promise<GanMetric[]>[] = [];
    const settle = async () => {
      const metrics = await pending.shift()!;
      this.history.push(...metrics);
      if (metrics.some((m) => !Number.isFinite(m.dLoss) || !Number.isFinite(m.gLoss))) {
        throw new Error(`The GAN diverged at iteration ${this.history.length}: a loss became NaN or infinite. Lower the learning rates and reset.`);
      }
      onChunk?.(metrics);
    };
    try {
      while (submitted < target && !shouldStop()) {
        const n = Math.min(this.iterationsPerSubmit, target - submitted);
        this.draws.push({ iterations: n });
        pending.push(this.backendRef.runIterations(this.chunk(n)));
        submitted += n;
        if (pending.length === 2) await settle();
      }
      while (pending.length) await settle();
    } finally {
      for (const p of pending) p.catch(() => undefined);
    }
  }

  /**
   * Runs one part of the next iteration on its own: its discriminator steps, or its generator
   * step (the 2-D lab's "train D only" and "train G only"). The part draws its batches and
   * latents from the same streams as train(), so it shifts what later iterations see; it is not
   * an iteration and is not added to `history`. Returns its metrics (NaN for the part that did
   * not run); throws when its loss is NaN or infinite. Not to be called while train() runs.
   */
  async trainPart(steps: 'discriminator' | 'generator'): Promise<GanMetric> {
    this.draws.push({ iterations: 1, steps });
    const [metric] = await this.backendRef.runIterations({ ...this.chunk(1), steps });
    const loss = steps === 'discriminator' ? metric!.dLoss : metric!.gLoss;
    if (!Number.isFinite(loss)) throw new Error(`The GAN diverged in a ${steps} step: its loss became NaN or infinite. Lower the learning rates and reset.`);
    return metric!;
  }

  /** The sample grid from the fixed latent vectors, pixels in [-1, 1]. */
  grid(): Promise<Float32Array> {
    return this.backendRef.generate(this.fixedLatents.subarray(0, GRID_SAMPLES * this.config.latent), GRID_SAMPLES);
  }

  /** A row of images along the straight line between the two fixed interpolation latents. */
  interpolation(): Promise<Float32Array> {
    const L = this.config.latent;
    const a = this.fixedLatents.subarray(GRID_SAMPLES * L, (GRID_SAMPLES + 1) * L);
    const b = this.fixedLatents.subarray((GRID_SAMPLES + 1) * L, (GRID_SAMPLES + 2) * L);
    const z = new Float32Array(INTERPOLATION_STEPS * L);
    for (let s = 0; s < INTERPOLATION_STEPS; s++) {
      const t = s / (INTERPOLATION_STEPS - 1);
      for (let k = 0; k < L; k++) z[s * L + k] = (1 - t) * a[k]! + t * b[k]!;
    }
    return this.backendRef.generate(z, INTERPOLATION_STEPS);
  }

  /** `n` images (or points) from fresh latent vectors (for the class histogram, the 2-D metrics). */
  fresh(n: number): Promise<Float32Array> {
    return this.backendRef.generate(
      Float32Array.from({ length: n * this.config.latent }, () => this.sampleLatent(this.rng)),
      n,
    );
  }
}
