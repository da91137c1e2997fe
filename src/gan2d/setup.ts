// Turns a 2-D GAN config into what the GAN backends train: the two networks and their
// optimizers (GanSetup.nets), the real points (GanSetup.points), the initial weights, and the
// MNIST-shaped GanConfig fields the backends and the trainer still read (batch, latent, dSteps,
// the non-saturating switch, the seed).
import { initParams } from '../nn/init.ts';
import { DEFAULT_OPTIMIZER, type OptimizerConfig } from '../nn/optimizer.ts';
import { Rng } from '../nn/rng.ts';
import { validateModelSpec, type ModelSpec } from '../nn/spec.ts';
import type { GanSetup } from '../train/gan-backend.ts';
import type { GanConfig } from '../train/gan-config.ts';
import type { GanNets } from '../train/gan-nets.ts';
import type { LatentSampler } from '../train/gan-trainer.ts';
import { validateGan2dConfig, type Gan2dConfig, type Gan2dOptimizer } from './config.ts';
import { sample2d } from './datasets.ts';

/** Width of a sample: a point of the plane. */
export const POINT_WIDTH = 2;

/**
 * Real points the discriminator trains on: one fixed pool drawn from the seed (as GAN Lab keeps a
 * fixed set), shuffled into batches per epoch. Large enough that a batch of 512 sees fresh points
 * and that the mode measures of src/gan2d/metrics.ts see every mode.
 */
export const REAL_POOL = 4096;

/** Seed offsets of the independent streams one config seed feeds (distinct, fixed forever: links replay them). */
const STREAMS = { real: 0x5ca1ab1e, d: 0x9e3779b9 } as const;

/** The generator: latent → hidden (activation) → 2 linear outputs (points may lie anywhere). */
export function generator2dSpec(c: Gan2dConfig): ModelSpec {
  return validateModelSpec({
    inputSize: c.latent,
    hidden: c.generator.map((units) => ({ units, activation: c.activation })),
    outputSize: POINT_WIDTH,
    // The generator's gradient arrives from D; this loss is never evaluated.
    loss: 'mse',
    outputActivation: 'linear',
  });
}

/** The discriminator: 2 → hidden (activation) → 1 output: a logit through binary cross-entropy, or LSGAN's raw score. */
export function discriminator2dSpec(c: Gan2dConfig): ModelSpec {
  return validateModelSpec({
    inputSize: POINT_WIDTH,
    hidden: c.discriminator.map((units) => ({ units, activation: c.activation })),
    outputSize: 1,
    loss: 'sigmoid_bce',
  });
}

/** Adam's betas in the 2-D lab: β1 = 0.5 (the DCGAN setting GANs are usually trained with), β2 = 0.999. */
export const GAN2D_ADAM_BETAS = { beta1: 0.5, beta2: 0.999 } as const;

/** The engine's optimizer config of one network: plain SGD, or Adam with GAN2D_ADAM_BETAS. */
export function gan2dOptimizer(o: Gan2dOptimizer): OptimizerConfig {
  return { ...DEFAULT_OPTIMIZER, kind: o.kind, learningRate: o.learningRate, ...GAN2D_ADAM_BETAS };
}

/** Both networks, their optimizers, and D's loss head (least_squares for LSGAN, else sigmoid_bce). */
export function gan2dNets(c: Gan2dConfig): GanNets {
  const head = c.loss === 'least_squares' ? 'least_squares' : 'sigmoid_bce';
  return { g: generator2dSpec(c), d: discriminator2dSpec(c), gOptimizer: gan2dOptimizer(c.g), dOptimizer: gan2dOptimizer(c.d), head };
}

/**
 * The GanConfig fields the backends and GanTrainer read. `activation` and the Adam settings in
 * it are placeholders: the backends take the networks and optimizers from GanSetup.nets.
 */
export function ganConfigOf(c: Gan2dConfig): GanConfig {
  const adam = (o: Gan2dOptimizer) => ({ learningRate: o.learningRate, ...GAN2D_ADAM_BETAS });
  return {
    latent: c.latent,
    generator: c.generator,
    discriminator: c.discriminator,
    activation: 'relu',
    batch: c.batch,
    dSteps: c.dSteps,
    labelSmoothing: 0,
    // G's target is 1 ("real") for the non-saturating and the least-squares loss alike.
    nonSaturating: c.loss !== 'minimax',
    g: adam(c.g),
    d: adam(c.d),
    seed: c.seed,
  };
}

/** The latent sampler of `c`: U(−1, 1) or N(0, 1) per coordinate. */
export function latentSampler(c: Gan2dConfig): LatentSampler {
  return c.latentDistribution === 'uniform' ? (rng) => 2 * rng.uniform() - 1 : (rng) => rng.normal();
}

/** The real pool of `c` (REAL_POOL points, interleaved x, y), from its seed. */
export function realPool(c: Gan2dConfig): Float32Array {
  return Float32Array.from(sample2d(c.dataset, REAL_POOL, new Rng(c.seed ^ STREAMS.real), c.drawn));
}

/** Everything a GAN backend needs to train `c` (validated first: a bad config throws a ConfigError). */
export function gan2dSetup(c: Gan2dConfig): GanSetup {
  validateGan2dConfig(c);
  const nets = gan2dNets(c);
  return {
    config: ganConfigOf(c),
    images: new Uint8Array(0),
    points: realPool(c),
    nets,
    params: { g: initParams(nets.g, c.seed), d: initParams(nets.d, (c.seed ^ STREAMS.d) >>> 0) },
  };
}
