import { expect } from '@esm-bundle/chai';
import { ConfigError } from '../../src/config/errors.ts';
import { DEFAULT_GAN2D, type Gan2dConfig } from '../../src/gan2d/config.ts';
import { Gan2dTrainer } from '../../src/gan2d/trainer.ts';
import { GAN2D_CHECK_ITERATIONS, gan2dPytorchScript } from '../../src/io/export-gan2d-pytorch.ts';
import { gan2dCurve, gan2dCurveJson, GAN2D_CURVE_FORMAT } from '../../src/io/gan2d-curve.ts';
import { CpuGanBackend } from '../../src/reference/reference-gan-backend.ts';

const SMALL: Gan2dConfig = { ...DEFAULT_GAN2D, generator: [4], discriminator: [4], batch: 8 };
const setting = (py: string, name: string): string | undefined => new RegExp(`^${name} = (.*?)(?:  #.*)?$`, 'm').exec(py)?.[1];

describe('2-D GAN export: the curve file and the PyTorch script', () => {
  it('records how the run drew its batches: uneven chunks and D-only / G-only parts, in order', async () => {
    const t = await Gan2dTrainer.create(SMALL, (s) => new CpuGanBackend(s));
    await t.train(10);
    await t.trainPart('discriminator');
    await t.train(20);
    await t.trainPart('generator');
    const curve = gan2dCurve(SMALL, t.history, { draws: t.draws, backend: t.backend.label });
    expect(curve.format).to.equal(GAN2D_CURVE_FORMAT);
    expect(curve.draws).to.deep.equal([10, 'discriminator', 16, 4, 'generator']);
    expect(curve.iterations).to.equal(30);
    expect(curve.metrics.gLoss).to.have.length(30);
    expect(curve.metrics.dLoss[3]).to.equal(t.history.at(3)!.dLoss);
    expect(JSON.parse(gan2dCurveJson(SMALL, t.history, { draws: t.draws })).config).to.deep.equal(SMALL);
  });

  it('without draws assumes one press of Train (chunks of 16); draws that miss iterations make a curve that says it cannot be replayed', () => {
    const m = { dLoss: 0.7, dAccuracy: 0.5, gLoss: 0.69, dReal: 0.5, dFake: NaN };
    expect(gan2dCurve(SMALL, Array(40).fill(m)).draws).to.deep.equal([16, 16, 8]);
    expect(gan2dCurve(SMALL, Array(2).fill(m)).metrics.dFake).to.deep.equal([null, null]);
    const lost = gan2dCurve(SMALL, Array(16).fill(m), { draws: [{ iterations: 16 }, { iterations: 16 }] });
    expect(lost.draws).to.equal(null);
    expect(lost.note).to.match(/drew 32 iterations but recorded 16/);
  });

  it('writes the config into the script (drawn points too) and refuses a bad one', () => {
    const drawn: [number, number][] = Array.from({ length: 8 }, (_, i) => [i / 10, -i / 10]);
    const py = gan2dPytorchScript({ ...SMALL, dataset: 'drawn', drawn, loss: 'least_squares' }, { iterations: 1234 });
    expect(JSON.parse(JSON.parse(setting(py, 'CONFIG_JSON')!) as string)).to.deep.include({ dataset: 'drawn', loss: 'least_squares' });
    expect(py).to.contain('(0.7, -0.7),');
    expect(setting(py, 'ITERATIONS')).to.equal('1234');
    expect(setting(py, 'CHECK_ITERATIONS')).to.equal(String(GAN2D_CHECK_ITERATIONS));
    expect(setting(py, 'LOSS')).to.equal('"least_squares"');
    expect(() => gan2dPytorchScript({ ...SMALL, dataset: 'drawn', drawn: drawn.slice(0, 3) })).to.throw(ConfigError, /at least 8 points/);
  });
});
