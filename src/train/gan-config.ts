import { initParams } from '../nn/init.ts';
import { DEFAULT_OPTIMIZER, type OptimizerConfig } from '../nn/optimizer.ts';
import { MODEL_LIMITS, validateModelSpec, type ModelSpec } from '../nn/spec.ts';
import { ConfigError } from '../config/errors.ts';

/** Adam settings of one GAN network. */
export interface GanOptimizer {
  learningRate: number;
  beta1: number;
  beta2: number;
}

/** One GAN experiment on MNIST. */
export interface GanConfig {
  /** Size of the generator's latent vector z ~ N(0, 1). */
  latent: number;
  generator: number[];
  discriminator: number[];
  /** Hidden activation of both networks. */
  activation: 'relu' | 'leaky_relu';
  batch: number;
  /** Discriminator steps per generator step. */
  dSteps: number;
  /** One-sided label smoothing: real images are labelled 1 − labelSmoothing. */
  labelSmoothing: number;
  /** Generator maximises log D(G(z)) (true) instead of minimising log(1 − D(G(z))). */
  nonSaturating: boolean;
  g: GanOptimizer;
  d: GanOptimizer;
  seed: number;
}

/** The article's GAN: G 100→128 relu→256 relu→784 tanh, D 784→512 relu→256 relu→1, Adam 2e-4, β1 0.5, batch 64. */
export const ARTICLE_GAN: GanConfig = {
  latent: 100,
  generator: [128, 256],
  discriminator: [512, 256],
  activation: 'relu',
  batch: 64,
  dSteps: 1,
  labelSmoothing: 0,
  nonSaturating: true,
  g: { learningRate: 2e-4, beta1: 0.5, beta2: 0.999 },
  d: { learningRate: 2e-4, beta1: 0.5, beta2: 0.999 },
  seed: 1,
};

/** A smaller, faster GAN for machines that train on the CPU reference. */
export const SMALL_GAN: GanConfig = {
  ...ARTICLE_GAN,
  latent: 32,
  generator: [128],
  discriminator: [128],
  activation: 'leaky_relu',
  batch: 32,
  g: { learningRate: 1e-3, beta1: 0.5, beta2: 0.999 },
  d: { learningRate: 1e-3, beta1: 0.5, beta2: 0.999 },
};

/** Side of an MNIST image and its pixel count. */
export const IMAGE_SIDE = 28;
export const IMAGE_PIXELS = IMAGE_SIDE * IMAGE_SIDE;

/** Bounds of the GAN fields. */
export const GAN_LIMITS = { maxLatent: 256, maxBatch: 512, maxDSteps: 5, maxSmoothing: 0.3, maxLearningRate: 0.1 } as const;

function whole(field: string, v: unknown, lo: number, hi: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi)
    throw new ConfigError(field, `must be a whole number from ${lo} to ${hi}, got ${String(v)}`);
}

function fraction(field: string, v: unknown, lo: number, hi: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) throw new ConfigError(field, `must be a number from ${lo} to ${hi}, got ${String(v)}`);
}

/** Throws a ConfigError naming the first bad field. */
export function validateGanConfig(c: GanConfig): GanConfig {
  whole('gan.latent', c.latent, 1, GAN_LIMITS.maxLatent);
  whole('gan.batch', c.batch, 1, GAN_LIMITS.maxBatch);
  whole('gan.dSteps', c.dSteps, 1, GAN_LIMITS.maxDSteps);
  whole('gan.seed', c.seed, 0, 0xffffffff);
  fraction('gan.labelSmoothing', c.labelSmoothing, 0, GAN_LIMITS.maxSmoothing);
  if (c.activation !== 'relu' && c.activation !== 'leaky_relu') throw new ConfigError('gan.activation', 'must be relu or leaky_relu');
  if (typeof c.nonSaturating !== 'boolean') throw new ConfigError('gan.nonSaturating', 'must be true or false');
  for (const [name, o] of [
    ['g', c.g],
    ['d', c.d],
  ] as const) {
    fraction(`gan.${name}.learningRate`, o.learningRate, 1e-7, GAN_LIMITS.maxLearningRate);
    fraction(`gan.${name}.beta1`, o.beta1, 0, 0.9999);
    fraction(`gan.${name}.beta2`, o.beta2, 0, 0.999999);
  }
  for (const [name, layers] of [
    ['generator', c.generator],
    ['discriminator', c.discriminator],
  ] as const) {
    if (!Array.isArray(layers) || layers.length > MODEL_LIMITS.maxHiddenLayers)
      throw new ConfigError(`gan.${name}`, `must list at most ${MODEL_LIMITS.maxHiddenLayers} layer widths`);
    layers.forEach((u, i) => whole(`gan.${name}[${i}]`, u, 1, MODEL_LIMITS.maxUnits));
  }
  return c;
}

/** The generator: latent → hidden → 784 tanh (pixels in [-1, 1]). */
export function generatorSpec(c: GanConfig): ModelSpec {
  return validateModelSpec({
    inputSize: c.latent,
    hidden: c.generator.map((units) => ({ units, activation: c.activation })),
    outputSize: IMAGE_PIXELS,
    loss: 'mse',
    outputActivation: 'tanh',
  });
}

/** The discriminator: 784 → hidden → 1 logit, trained through binary cross-entropy on logits. */
export function discriminatorSpec(c: GanConfig): ModelSpec {
  return validateModelSpec({
    inputSize: IMAGE_PIXELS,
    hidden: c.discriminator.map((units) => ({ units, activation: c.activation })),
    outputSize: 1,
    loss: 'sigmoid_bce',
  });
}

/** The full optimizer config of one network: Adam with the GAN's learning rate and betas. */
export function ganAdam(o: GanOptimizer): OptimizerConfig {
  return { ...DEFAULT_OPTIMIZER, kind: 'adam', learningRate: o.learningRate, beta1: o.beta1, beta2: o.beta2 };
}

/** Initial parameter arenas of both networks, from the seed. */
export function initGan(c: GanConfig): { g: Float32Array; d: Float32Array } {
  return { g: initParams(generatorSpec(c), c.seed), d: initParams(discriminatorSpec(c), c.seed ^ 0x9e3779b9) };
}
