// Setups that teach, each with the claim a test measures (test/gan2d/presets.test.ts). GANs are
// chaotic: a claim holds for the preset's seed on the fast CPU backend (float32 WebAssembly),
// where it was measured; another seed or backend may tell the same story at other iterations.
import { DEFAULT_GAN2D, type Gan2dConfig } from './config.ts';

/** One teaching preset: its config, what it shows, and the measured claim its test checks. */
export interface Gan2dPreset {
  id: 'works' | 'mode-collapse' | 'discriminator-wins' | 'oscillation';
  title: string;
  /** What a reader should see happen. */
  teaches: string;
  /** The measured claim (seed and backend included), checked by its test. */
  claim: string;
  config: Gan2dConfig;
}

/** The four teaching presets: three on the ring, the oscillation on two Gaussians, where its back and forth is plain to see. */
export const GAN2D_PRESETS: readonly Gan2dPreset[] = [
  {
    id: 'works',
    title: 'It works',
    teaches: 'Balanced networks and learning rates: the fakes spread over all eight modes of the ring.',
    claim: 'Seed 1, fast CPU: at least 7 of the 8 modes covered and a high-quality share of at least 0.8 after 5,000 iterations.',
    config: DEFAULT_GAN2D,
  },
  {
    id: 'mode-collapse',
    title: 'Mode collapse',
    teaches: 'A generator that learns ten times faster than a slow discriminator chases whatever D currently likes and never spreads out.',
    claim:
      'Seed 1, fast CPU: at most 2 of the 8 modes covered at every check (each 1,000 iterations up to 8,000), and at 8,000 at least 90% of the fakes within 3σ of a single mode.',
    config: { ...DEFAULT_GAN2D, g: { kind: 'adam', learningRate: 1e-2 }, d: { kind: 'adam', learningRate: 1e-4 } },
  },
  {
    id: 'discriminator-wins',
    title: 'The discriminator wins',
    teaches:
      "With the minimax loss, a strong discriminator (bigger, faster, 5 steps per G step) rejects every fake, and log(1 − D(G(z))) goes flat: G's gradient vanishes.",
    claim:
      'Seed 1, fast CPU, after 2,000 iterations: mean D(G(z)) below 0.1, the minimax arrows on the fakes at most a tenth as long as the non-saturating ones would be, and fewer than 30% of the fakes near a mode.',
    config: {
      ...DEFAULT_GAN2D,
      loss: 'minimax',
      discriminator: [64, 64],
      d: { kind: 'adam', learningRate: 1e-2 },
      g: { kind: 'adam', learningRate: 1e-5 },
      dSteps: 5,
    },
  },
  {
    id: 'oscillation',
    title: 'Oscillation',
    teaches:
      'The same fast generator against a slow discriminator on two Gaussians never settles: all the fakes sit on one mode until D learns to reject it there, then they jump to the other mode, and back.',
    claim:
      'Seed 1, fast CPU, measured every 200 iterations from 1,000 to 8,000: never 20% of the fakes on each mode at once, at least 90% of them on a single mode at 10 checks or more, and that mode changes at least 6 times.',
    config: { ...DEFAULT_GAN2D, dataset: 'gaussians', g: { kind: 'adam', learningRate: 1e-2 }, d: { kind: 'adam', learningRate: 1e-4 } },
  },
];
