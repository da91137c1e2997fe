import { expect } from '@esm-bundle/chai';
import { cpuGanBackend, createFastCpuGanBackend } from '../../src/cpu/fast-cpu-gan-backend.ts';
import { Rng } from '../../src/nn/rng.ts';
import { CpuGanBackend } from '../../src/reference/reference-gan-backend.ts';
import type { GanSetup } from '../../src/train/gan-backend.ts';
import { ARTICLE_GAN, IMAGE_PIXELS, initGan, type GanConfig } from '../../src/train/gan-config.ts';
import { GanTrainer } from '../../src/train/gan-trainer.ts';
import { expectClose } from '../helpers/tolerance.ts';

function setup(patch: Partial<GanConfig>, images = 40): GanSetup {
  const config: GanConfig = { ...ARTICLE_GAN, latent: 8, generator: [16, 9], discriminator: [12], batch: 6, seed: 3, ...patch };
  const rng = new Rng(11);
  return { config, images: Uint8Array.from({ length: images * IMAGE_PIXELS }, () => rng.int(256)), params: initGan(config) };
}

const CASES: [string, Partial<GanConfig>][] = [
  ['non-saturating, relu', {}],
  ['minimax, leaky relu, 2 D steps, label smoothing 0.1', { nonSaturating: false, activation: 'leaky_relu', dSteps: 2, labelSmoothing: 0.1 }],
];

describe('GAN: fast CPU backend against the float64 reference', () => {
  for (const [name, patch] of CASES) {
    it(`${name}: 4 iterations give the same metrics, parameters and samples`, async () => {
      const s = setup(patch);
      const fast = await createFastCpuGanBackend(s);
      const ref = new CpuGanBackend(s);
      const [tf, tr] = [new GanTrainer(fast, s.config, 40, 3), new GanTrainer(ref, s.config, 40, 3)];
      await Promise.all([tf.train(4), tr.train(4)]);
      // float32 against float64 through 4 Adam steps of both networks: |Δ| ≤ 1e-4 + 1e-3·|want|.
      for (const key of ['dLoss', 'dAccuracy', 'gLoss', 'dReal', 'dFake'] as const) {
        expectClose(
          tf.history.map((m) => m[key]),
          tr.history.map((m) => m[key]),
          1e-4,
          1e-3,
          key,
        );
      }
      const [pf, pr] = [await fast.readParams(), await ref.readParams()];
      expectClose(pf.d, pr.d, 1e-4, 1e-3, 'D parameters');
      expectClose(pf.g, pr.g, 1e-4, 1e-3, 'G parameters');
      expectClose(await tf.grid(), await tr.grid(), 1e-4, 1e-3, 'sample grid');
    });
  }

  it('generate() past the generator chunk (300 latent vectors) matches the reference', async () => {
    const s = setup({});
    const z = Float32Array.from({ length: 300 * 8 }, (_, i) => Math.sin(i * 0.7));
    const [fast, ref] = [await cpuGanBackend(s), new CpuGanBackend(s)];
    expect(fast.label).to.contain('WebAssembly');
    expectClose(await fast.generate(z, 300), await ref.generate(z, 300), 1e-5, 1e-4, 'pixels');
  });

  it('refuses a chunk whose latent vectors or real images are too few for its iterations', async () => {
    const s = setup({ dSteps: 2 });
    const fast = await createFastCpuGanBackend(s);
    const chunk = { iterations: 1, realIndices: new Uint32Array(6), zD: new Float32Array(48), zG: new Float32Array(48) };
    const error = await fast.runIterations(chunk).then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).to.contain('needs 12 real images');
  });
});
