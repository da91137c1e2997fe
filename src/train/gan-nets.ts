// The two networks of a GAN and their optimizers, as the backends build them. The MNIST GAN
// derives them from its GanConfig (784-pixel images, tanh generator, Adam); the 2-D lab
// (src/gan2d/) hands its own through GanSetup.nets: 2-wide points, a linear generator, SGD or Adam.
import type { OptimizerConfig } from '../nn/optimizer.ts';
import type { ModelSpec } from '../nn/spec.ts';
import type { GanSetup } from './gan-backend.ts';
import { discriminatorSpec, ganAdam, generatorSpec } from './gan-config.ts';

/** Generator and discriminator specs, with the optimizer that trains each. */
export interface GanNets {
  /** latent → ... → a sample of `d.inputSize` values; its output activation is what D's input gradient goes through. */
  g: ModelSpec;
  /** sample → ... → 1 logit (sigmoid_bce). */
  d: ModelSpec;
  gOptimizer: OptimizerConfig;
  dOptimizer: OptimizerConfig;
  /**
   * D's loss head: sigmoid_bce (the minimax and non-saturating GANs; the default) or
   * least_squares (LSGAN: D's output is a raw score, D minimises (D(x) − 1)² and D(G(z))², G
   * minimises (D(G(z)) − 1)²; the config's `nonSaturating` must then be true, for G's target 1).
   */
  head?: 'sigmoid_bce' | 'least_squares';
}

/** The networks of `setup`: its own `nets` when it has them, else the MNIST GAN's from its config. */
export function ganNets(setup: GanSetup): GanNets {
  if (setup.nets) return setup.nets;
  const c = setup.config;
  return { g: generatorSpec(c), d: discriminatorSpec(c), gOptimizer: ganAdam(c.g), dOptimizer: ganAdam(c.d) };
}
