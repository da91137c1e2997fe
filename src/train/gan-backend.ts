import type { GanConfig } from './gan-config.ts';
import type { GanNets } from './gan-nets.ts';

/**
 * GAN iterations submitted together. Iteration i runs `dSteps` discriminator steps, each on a
 * batch of fake images G(z) and real images, then one generator step. Real images for D step j
 * of iteration i are `realIndices[(i·dSteps + j)·batch ..]`; their latent vectors are
 * `zD[(i·dSteps + j)·batch·latent ..]`; the generator step's are `zG[i·batch·latent ..]`.
 */
export interface GanChunk {
  iterations: number;
  /**
   * Which part of each iteration runs: both (the default), only its dSteps discriminator steps,
   * or only its generator step — the lab's "train D only" and "train G only". The arrays are
   * sized as for whole iterations either way; the part that does not run ignores its own, and
   * its metrics are NaN.
   */
  steps?: 'both' | 'discriminator' | 'generator';
  realIndices: Uint32Array;
  zD: Float32Array;
  zG: Float32Array;
}

/** What one iteration measured (before its updates). */
export interface GanMetric {
  /** Discriminator loss: mean BCE (least squares for LSGAN) over its real and fake rows, averaged over its steps. */
  dLoss: number;
  /** Share of real and fake rows the discriminator classified right (LSGAN: score above 0.5 reads as real). */
  dAccuracy: number;
  /** Generator loss: −log D(G(z)) when non-saturating, log(1 − D(G(z))) otherwise; (D(G(z)) − 1)² for LSGAN. */
  gLoss: number;
  /** Mean D(x) over real images, and mean D(G(z)) in the generator step (LSGAN: raw scores). */
  dReal: number;
  dFake: number;
}

/** Everything a GAN backend needs. */
export interface GanSetup {
  config: GanConfig;
  /** MNIST training images, 8-bit, images × 784; unused (may be empty) when `points` is set. */
  images: Uint8Array;
  params: { g: Float32Array; d: Float32Array };
  /**
   * Real samples as floats, rows × the discriminator's input width (the 2-D lab's points); when
   * set, `realIndices` of a chunk index its rows instead of `images`.
   */
  points?: Float32Array;
  /** The networks and optimizers, when not the MNIST GAN's of `config` (see src/train/gan-nets.ts). */
  nets?: GanNets;
}

/** The interface the GAN trainer drives; the WebGPU kernels and the CPU reference implement it. */
export interface GanBackend {
  readonly kind: 'webgpu' | 'cpu';
  readonly label: string;
  runIterations(chunk: GanChunk): Promise<GanMetric[]>;
  /** Generator outputs (pixels in [-1, 1]) for `n` latent vectors. */
  generate(z: Float32Array, n: number): Promise<Float32Array>;
  readParams(): Promise<{ g: Float32Array; d: Float32Array }>;
  dispose(): void;
}

/** One iteration's metrics from its parts; a part that did not run (train D only or G only) reads NaN. */
export function iterationMetric(d: Pick<GanMetric, 'dLoss' | 'dAccuracy' | 'dReal'> | null, g: Pick<GanMetric, 'gLoss' | 'dFake'> | null): GanMetric {
  return {
    dLoss: d?.dLoss ?? NaN,
    dAccuracy: d?.dAccuracy ?? NaN,
    gLoss: g?.gLoss ?? NaN,
    dReal: d?.dReal ?? NaN,
    dFake: g?.dFake ?? NaN,
  };
}
