import { expect } from '@esm-bundle/chai';
import { DEFAULT_GAN2D, GAN2D_ACTIVATIONS, GAN2D_LOSSES, type Gan2dConfig } from '../../src/gan2d/config.ts';
import { samplesCsv } from '../../src/gan2d/samples-csv.ts';
import { gan2dSetup } from '../../src/gan2d/setup.ts';
import { discriminate, discriminatorField, generatorPush, manifold, planeGrid } from '../../src/gan2d/views.ts';
import { viewForward, viewInputGrad, viewNet } from '../../src/gan2d/view-net.ts';
import { arenaLayout } from '../../src/nn/arena.ts';
import { Rng } from '../../src/nn/rng.ts';
import { denseLayers } from '../../src/nn/spec.ts';
import { stackBackward, stackForward } from '../../src/reference/stack.ts';
import { lossForward } from '../../src/reference/loss.ts';
import { CpuGanBackend } from '../../src/reference/reference-gan-backend.ts';
import { expectClose } from '../helpers/tolerance.ts';

const SMALL: Gan2dConfig = { ...DEFAULT_GAN2D, generator: [6], discriminator: [5, 4], activation: 'tanh' };

describe('2-D GAN views', () => {
  it('planeGrid: cell centres, row-major from the bottom-left', () => {
    expect(Array.from(planeGrid(2))).to.deep.equal([-0.5, -0.5, 0.5, -0.5, -0.5, 0.5, 0.5, 0.5]);
    expect(planeGrid(40).length).to.equal(2 * 1600);
  });

  it('the heatmap is D at the cell centres: a probability for BCE, the raw score for least squares', () => {
    for (const loss of ['non_saturating', 'least_squares'] as const) {
      const s = gan2dSetup({ ...SMALL, loss });
      const field = discriminatorField(s.nets!, s.params.d, 7);
      expectClose(field, discriminate(s.nets!, s.params.d, planeGrid(7)), 0, 0, 'field');
      if (loss === 'non_saturating') for (const p of field) expect(p).to.be.within(0, 1);
    }
  });

  it('the manifold is G over the latent grid, as the backend generates it', async () => {
    for (const [latent, latentDistribution, steps, z] of [
      [1, 'uniform', 5, [-1, -0.5, 0, 0.5, 1]],
      [2, 'gaussian', 3, [-2, -2, 0, -2, 2, -2, -2, 0, 0, 0, 2, 0, -2, 2, 0, 2, 2, 2]],
    ] as const) {
      const c = { ...SMALL, latent, latentDistribution };
      const s = gan2dSetup(c);
      const got = manifold(c, s.nets!, s.params.g, steps);
      const want = await new CpuGanBackend(s).generate(Float32Array.from(z), z.length / latent);
      // The backend rounds its float64 outputs to float32.
      expectClose(got, want, 1e-7, 1e-6, `manifold, latent ${latent}`);
    }
  });

  for (const loss of GAN2D_LOSSES) {
    it(`${loss}: each arrow is minus the gradient of that point's G loss (central differences)`, () => {
      const s = gan2dSetup({ ...SMALL, loss });
      const nets = s.nets!;
      const rng = new Rng(5);
      const fakes = Float64Array.from({ length: 2 * 9 }, () => 1.6 * rng.uniform() - 0.8);
      const push = generatorPush(nets, s.params.d, fakes, loss === 'minimax');
      const pointLoss = (x: number, y: number) => {
        const score = discriminate({ ...nets, head: 'least_squares' }, s.params.d, [x, y]);
        if (loss === 'least_squares') return (score[0]! - 1) ** 2;
        return lossForward('sigmoid_bce', score, [loss === 'minimax' ? 0 : 1], 1, 1, loss === 'minimax' ? [-1, -1] : null).lossSum;
      };
      const h = 1e-6;
      const numeric = new Float64Array(fakes.length);
      for (let i = 0; i < 9; i++) {
        const [x, y] = [fakes[2 * i]!, fakes[2 * i + 1]!];
        numeric[2 * i] = -(pointLoss(x + h, y) - pointLoss(x - h, y)) / (2 * h);
        numeric[2 * i + 1] = -(pointLoss(x, y + h) - pointLoss(x, y - h)) / (2 * h);
      }
      expect(Math.max(...numeric.map(Math.abs)), 'arrows worth checking').to.be.above(1e-3);
      expectClose(push, numeric, 1e-7, 1e-5, `${loss} arrows`);
    });
  }

  it("the views' float64 pass equals the reference stack bit for bit (every activation, relu's zeros skipped alike)", () => {
    for (const activation of GAN2D_ACTIVATIONS) {
      const s = gan2dSetup({ ...SMALL, activation, discriminator: [7, 5] });
      const spec = s.nets!.d;
      const rng = new Rng(11);
      const x = Float64Array.from({ length: 2 * 13 }, () => 3 * rng.uniform() - 1.5);
      const net = viewNet(spec, s.params.d);
      const outs = viewForward(net, x, 13);
      const ref = stackForward(denseLayers(spec), arenaLayout(spec), s.params.d, x, 13);
      outs.forEach((o, i) => expect(Array.from(o), `${activation} layer ${i}`).to.deep.equal(Array.from(ref[i]!)));
      const dz = Float64Array.from({ length: 13 }, () => rng.uniform() - 0.5);
      const { dInput } = stackBackward(denseLayers(spec), arenaLayout(spec), s.params.d, ref, dz, 13, 'linear');
      expect(Array.from(viewInputGrad(net, outs, dz, 13)), `${activation} input gradient`).to.deep.equal(Array.from(dInput!));
    }
  });
});

describe('2-D GAN samples as CSV', () => {
  it('writes x,y,kind: the real points, then the fakes', () => {
    expect(samplesCsv([0.5, -0.25, 1, 2], Float32Array.from([0.1, -0.3]))).to.equal('x,y,kind\n0.5,-0.25,real\n1,2,real\n0.100000001,-0.300000012,fake\n');
    expect(samplesCsv([], [])).to.equal('x,y,kind\n');
  });

  it('a float32 fake reads back to the same float32', () => {
    const fake = Float32Array.from({ length: 200 }, (_, i) => Math.sin(i) * 0.9);
    const rows = samplesCsv([], fake).trim().split('\n').slice(1);
    const back = Float32Array.from(rows.flatMap((r) => r.split(',').slice(0, 2).map(Number)));
    expect(Array.from(back)).to.deep.equal(Array.from(fake));
  });
});
