import { expect } from '@esm-bundle/chai';
import { DEFAULT_GAN2D, GAN2D_LOSSES, type Gan2dConfig } from '../../src/gan2d/config.ts';
import { gan2dSetup } from '../../src/gan2d/setup.ts';
import { arenaLayout } from '../../src/nn/arena.ts';
import { DEFAULT_OPTIMIZER } from '../../src/nn/optimizer.ts';
import { Rng } from '../../src/nn/rng.ts';
import { denseLayers } from '../../src/nn/spec.ts';
import { lossForward } from '../../src/reference/loss.ts';
import { CpuGanBackend } from '../../src/reference/reference-gan-backend.ts';
import { stackForward } from '../../src/reference/stack.ts';
import { expectClose } from '../helpers/tolerance.ts';

// Central differences in float64 with h = 1e-6: truncation O(h²), rounding O(ε/h) ≈ 1e-10, as in
// test/reference/gradcheck.test.ts: |analytic − numeric| ≤ 1e-7 + 1e-5·|numeric|.
const H = 1e-6;
const B = 6;

describe("2-D GAN: the float64 generator step follows the G loss's gradient (central differences)", () => {
  for (const loss of GAN2D_LOSSES) {
    it(`${loss}: one G step with SGD at learning rate 1 moves G by minus the gradient of the G loss`, async () => {
      // tanh keeps every function smooth, so central differences need no care about kinks.
      const c: Gan2dConfig = { ...DEFAULT_GAN2D, loss, generator: [5], discriminator: [4], activation: 'tanh', batch: B, latent: 2 };
      const base = gan2dSetup(c);
      const sgd = (learningRate: number) => ({ ...DEFAULT_OPTIMIZER, kind: 'sgd' as const, learningRate });
      // D at learning rate 0 stands still through its step, so the G step sees D's initial weights.
      const setup = { ...base, nets: { ...base.nets!, gOptimizer: sgd(1), dOptimizer: sgd(0) } };
      const rng = new Rng(21);
      const latents = () => Float32Array.from({ length: B * c.latent }, () => rng.normal());
      const chunk = { iterations: 1, realIndices: Uint32Array.from({ length: B }, (_, i) => 3 * i), zD: latents(), zG: latents() };
      const backend = new CpuGanBackend(setup);
      await backend.runIterations(chunk);
      const g0 = Float64Array.from(setup.params.g);
      // The reference keeps G in float64 (readParams would round to float32).
      const analytic = g0.map((w, i) => w - backend.g.params[i]!);
      const { nets } = setup;
      const [gLayers, gLayout, dLayers, dLayout] = [denseLayers(nets.g), arenaLayout(nets.g), denseLayers(nets.d), arenaLayout(nets.d)];
      const d0 = Float64Array.from(setup.params.d);
      const z = Float64Array.from(chunk.zG);
      const target = loss === 'minimax' ? 0 : 1;
      const weights = loss === 'minimax' ? [-1, -1] : null;
      const gLoss = (g: Float64Array) => {
        const points = stackForward(gLayers, gLayout, g, z, B).at(-1)!;
        const scores = stackForward(dLayers, dLayout, d0, points, B).at(-1)!;
        return lossForward(nets.head ?? 'sigmoid_bce', scores, new Float64Array(B).fill(target), B, 1, weights).lossSum / B;
      };
      const numeric = new Float64Array(g0.length);
      for (let i = 0; i < g0.length; i++) {
        const w = g0[i]!;
        g0[i] = w + H;
        const up = gLoss(g0);
        g0[i] = w - H;
        const down = gLoss(g0);
        g0[i] = w;
        numeric[i] = (up - down) / (2 * H);
      }
      expect(Math.max(...numeric.map(Math.abs)), 'a gradient worth checking').to.be.above(1e-3);
      expectClose(analytic, numeric, 1e-7, 1e-5, `${loss} G gradient`);
    });
  }
});
