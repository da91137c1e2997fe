import { expect } from '@esm-bundle/chai';
import { cpuGanBackend } from '../../src/cpu/fast-cpu-gan-backend.ts';
import { validateGan2dConfig } from '../../src/gan2d/config.ts';
import { GAN2D_PRESETS, type Gan2dPreset } from '../../src/gan2d/presets.ts';
import { Gan2dTrainer } from '../../src/gan2d/trainer.ts';
import { generatorPush } from '../../src/gan2d/views.ts';

const preset = (id: Gan2dPreset['id']) => GAN2D_PRESETS.find((p) => p.id === id)!;
const train = (p: Gan2dPreset) => Gan2dTrainer.create(p.config, (s) => cpuGanBackend(s));
/** Mean length of the arrows (interleaved x, y). */
const meanLength = (a: Float64Array) => {
  let sum = 0;
  for (let i = 0; i < a.length; i += 2) sum += Math.hypot(a[i]!, a[i + 1]!);
  return sum / (a.length / 2);
};

describe('2-D GAN presets: each claim, measured on the fast CPU backend', () => {
  it('every preset is a valid config: the oscillation on two Gaussians, the others on the ring', () => {
    for (const p of GAN2D_PRESETS) {
      expect(validateGan2dConfig(p.config)).to.equal(p.config);
      expect(p.config.dataset).to.equal(p.id === 'oscillation' ? 'gaussians' : 'ring');
    }
  });

  it('it works: ≥ 7 of 8 modes and quality ≥ 0.8 after 5,000 iterations', async () => {
    const t = await train(preset('works'));
    await t.train(5000);
    const m = await t.measure();
    expect(m.modes!.covered).to.be.at.least(7);
    expect(m.modes!.highQuality).to.be.at.least(0.8);
  });

  it('mode collapse: ≤ 2 modes at every check to 8,000, then ≥ 90% of the fakes on one mode', async () => {
    const t = await train(preset('mode-collapse'));
    let last = null;
    for (let k = 0; k < 8; k++) {
      await t.train(1000);
      last = await t.measure();
      expect(last.modes!.covered, `modes at ${last.iteration}`).to.be.at.most(2);
    }
    expect(Math.max(...last!.modes!.perMode)).to.be.at.least(0.9);
  });

  it('the discriminator wins: D(G(z)) < 0.1, minimax arrows ≤ 1/10 of non-saturating ones, quality < 0.3', async () => {
    const t = await train(preset('discriminator-wins'));
    await t.train(2000);
    const m = await t.measure();
    const dFake = t.history.slice(-100).reduce((s, h) => s + h.dFake, 0) / 100;
    expect(dFake).to.be.below(0.1);
    const { d } = await t.backend.readParams();
    const nets = t.setup.nets!;
    expect(meanLength(generatorPush(nets, d, m.fakes, true))).to.be.at.most(0.1 * meanLength(generatorPush(nets, d, m.fakes, false)));
    expect(m.modes!.highQuality).to.be.below(0.3);
  });

  it('oscillation: never on both modes, often all on one, and that one changes at least 6 times', async () => {
    const t = await train(preset('oscillation'));
    await t.train(800);
    const held: number[] = [];
    for (let k = 0; k < 36; k++) {
      await t.train(200);
      const shares = (await t.measure()).modes!.perMode;
      expect(Math.min(...shares), `both modes at ${t.history.length}: ${shares.join(', ')}`).to.be.below(0.2);
      const top = shares.indexOf(Math.max(...shares));
      if (shares[top]! >= 0.9) held.push(top);
    }
    expect(held.length).to.be.at.least(10);
    expect(held.filter((m, i) => i > 0 && m !== held[i - 1]).length).to.be.at.least(6);
  });
});
