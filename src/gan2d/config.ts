// The typed config of one 2-D GAN experiment: data, both networks, their optimizers, the loss
// and the seed. Validated field by field (no merging of parsed input); src/gan2d/url.ts puts it
// in a link and src/gan2d/setup.ts turns it into the networks the GAN backends train.
import { ConfigError } from '../config/errors.ts';
import { GAN2D_DATASETS, isGan2dDataset, validateDrawn, type Gan2dDataset, type Point2 } from './datasets.ts';

/** Distributions of the latent vector z: U(−1, 1) or N(0, 1) in each dimension. */
export const LATENT_DISTRIBUTIONS = ['uniform', 'gaussian'] as const;
/** A latent distribution. */
export type LatentDistribution = (typeof LATENT_DISTRIBUTIONS)[number];

/** Hidden activations offered for both networks. */
export const GAN2D_ACTIVATIONS = ['relu', 'leaky_relu', 'tanh'] as const;
/** A hidden activation. */
export type Gan2dActivation = (typeof GAN2D_ACTIVATIONS)[number];

/** Optimizers offered per network; Adam runs with β1 = 0.5, β2 = 0.999 (the usual GAN setting). */
export const GAN2D_OPTIMIZERS = ['sgd', 'adam'] as const;
/** An optimizer of one network. */
export type Gan2dOptimizerKind = (typeof GAN2D_OPTIMIZERS)[number];

/**
 * The losses of issue 30. minimax: G minimises log(1 − D(G(z))); non_saturating: G minimises
 * −log D(G(z)); both train D by binary cross-entropy on its logit. least_squares (LSGAN): D's
 * output is a raw score; D minimises the mean of (D(x) − 1)² over reals and D(G(z))² over fakes,
 * G minimises the mean of (D(G(z)) − 1)².
 */
export const GAN2D_LOSSES = ['minimax', 'non_saturating', 'least_squares'] as const;
/** A GAN loss. */
export type Gan2dLoss = (typeof GAN2D_LOSSES)[number];

/** Optimizer and learning rate of one network. */
export interface Gan2dOptimizer {
  kind: Gan2dOptimizerKind;
  learningRate: number;
}

/** One 2-D GAN experiment. */
export interface Gan2dConfig {
  dataset: Gan2dDataset;
  /** The reader's points (used when dataset is `drawn`; kept otherwise so switching back loses nothing). */
  drawn: Point2[];
  /** Size of the latent vector: 1 or 2. */
  latent: number;
  latentDistribution: LatentDistribution;
  /** Hidden layer widths of the generator (latent → hidden → 2, linear output). */
  generator: number[];
  /** Hidden layer widths of the discriminator (2 → hidden → 1 logit). */
  discriminator: number[];
  /** Hidden activation of both networks. */
  activation: Gan2dActivation;
  g: Gan2dOptimizer;
  d: Gan2dOptimizer;
  batch: number;
  /** Discriminator steps per generator step. */
  dSteps: number;
  loss: Gan2dLoss;
  seed: number;
}

/** The default experiment: the ring of 8 Gaussians, small networks, Adam on both sides. */
export const DEFAULT_GAN2D: Gan2dConfig = {
  dataset: 'ring',
  drawn: [],
  latent: 2,
  latentDistribution: 'gaussian',
  generator: [32, 32],
  discriminator: [32, 32],
  activation: 'relu',
  g: { kind: 'adam', learningRate: 1e-3 },
  d: { kind: 'adam', learningRate: 1e-3 },
  batch: 128,
  dSteps: 1,
  loss: 'non_saturating',
  seed: 1,
};

/** Bounds of the 2-D GAN fields. */
export const GAN2D_LIMITS = {
  maxLayers: 4,
  maxUnits: 128,
  maxBatch: 512,
  maxDSteps: 10,
  minLearningRate: 1e-6,
  maxLearningRate: 1,
  maxDrawnPoints: 300,
} as const;

function whole(field: string, v: unknown, lo: number, hi: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw new ConfigError(field, `must be a whole number from ${lo} to ${hi}, got ${String(v)}`);
  }
}

function oneOf<T extends string>(field: string, v: unknown, options: readonly T[]): void {
  if (typeof v !== 'string' || !(options as readonly string[]).includes(v))
    throw new ConfigError(field, `must be one of ${options.join(', ')}, got ${String(v)}`);
}

function layers(field: string, v: unknown): void {
  if (!Array.isArray(v) || v.length > GAN2D_LIMITS.maxLayers) throw new ConfigError(field, `must list at most ${GAN2D_LIMITS.maxLayers} layer widths`);
  v.forEach((u, i) => whole(`${field}[${i}]`, u, 1, GAN2D_LIMITS.maxUnits));
}

function optimizer(field: string, o: Gan2dOptimizer | undefined): void {
  if (typeof o !== 'object' || o === null) throw new ConfigError(field, 'must be an optimizer and a learning rate');
  oneOf(`${field}.kind`, o.kind, GAN2D_OPTIMIZERS);
  const lr = o.learningRate;
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < GAN2D_LIMITS.minLearningRate || lr > GAN2D_LIMITS.maxLearningRate) {
    throw new ConfigError(
      `${field}.learningRate`,
      `must be a number from ${GAN2D_LIMITS.minLearningRate} to ${GAN2D_LIMITS.maxLearningRate}, got ${String(lr)}`,
    );
  }
}

/**
 * Throws a ConfigError naming the first bad field; returns `c` otherwise. A `drawn` data set
 * needs at least 8 drawn points; any drawing may hold at most GAN2D_LIMITS.maxDrawnPoints.
 */
export function validateGan2dConfig(c: Gan2dConfig): Gan2dConfig {
  if (!isGan2dDataset(c.dataset)) throw new ConfigError('gan2d.dataset', `must be one of ${GAN2D_DATASETS.join(', ')}, got ${String(c.dataset)}`);
  if (!Array.isArray(c.drawn)) throw new ConfigError('gan2d.drawn', 'must be a list of points');
  if (c.drawn.length > GAN2D_LIMITS.maxDrawnPoints) {
    throw new ConfigError('gan2d.drawn', `holds at most ${GAN2D_LIMITS.maxDrawnPoints} points, got ${c.drawn.length}`);
  }
  if (c.dataset === 'drawn' || c.drawn.length > 0) validateDrawn(c.drawn);
  whole('gan2d.latent', c.latent, 1, 2);
  oneOf('gan2d.latentDistribution', c.latentDistribution, LATENT_DISTRIBUTIONS);
  layers('gan2d.generator', c.generator);
  layers('gan2d.discriminator', c.discriminator);
  oneOf('gan2d.activation', c.activation, GAN2D_ACTIVATIONS);
  optimizer('gan2d.g', c.g);
  optimizer('gan2d.d', c.d);
  whole('gan2d.batch', c.batch, 1, GAN2D_LIMITS.maxBatch);
  whole('gan2d.dSteps', c.dSteps, 1, GAN2D_LIMITS.maxDSteps);
  oneOf('gan2d.loss', c.loss, GAN2D_LOSSES);
  whole('gan2d.seed', c.seed, 0, 0xffffffff);
  return c;
}
