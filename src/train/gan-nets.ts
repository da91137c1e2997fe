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
}

/** The networks of `setup`: its own `nets` when it has them, else the MNIST GAN's from its config. */
export function ganNets(setup: GanSetup): GanNets {
  if (setup.nets) return setup.nets;
  const c = setup.config;
  return { g: generatorSpec(c), d: discriminatorSpec(c), gOptimizer: ganAdam(c.g), dOptimizer: ganAdam(c.d) };
}
