import { expect } from '@esm-bundle/chai';
import { ConfigError } from '../../src/config/errors.ts';
import { DEFAULT_GAN2D, GAN2D_LOSSES, validateGan2dConfig, type Gan2dConfig } from '../../src/gan2d/config.ts';
import type { Point2 } from '../../src/gan2d/datasets.ts';
import { gan2dSetup, REAL_POOL } from '../../src/gan2d/setup.ts';
import { decodeGan2dHash, encodeGan2dHash, GAN2D_HASH_KEYS } from '../../src/gan2d/url.ts';

// Points a link can carry exactly: 3 decimals.
const DRAWN: Point2[] = Array.from({ length: 9 }, (_, i) => [+(-0.8 + 0.125 * i).toFixed(3), +(0.25 - 0.05 * i).toFixed(3)]);
const bad = (patch: Record<string, unknown>) => () => validateGan2dConfig({ ...DEFAULT_GAN2D, ...patch } as Gan2dConfig);

describe('2-D GAN config', () => {
  it('the default is valid and builds a setup: 2-wide points, a linear generator, 1 logit', () => {
    expect(validateGan2dConfig(DEFAULT_GAN2D)).to.equal(DEFAULT_GAN2D);
    const s = gan2dSetup(DEFAULT_GAN2D);
    expect(s.points!.length).to.equal(2 * REAL_POOL);
    expect(s.nets!.g.inputSize).to.equal(2);
    expect(s.nets!.g.outputSize).to.equal(2);
    expect(s.nets!.g.outputActivation).to.equal('linear');
    expect(s.nets!.d.inputSize).to.equal(2);
    expect(s.nets!.d.outputSize).to.equal(1);
    expect(s.nets!.gOptimizer).to.include({ kind: 'adam', learningRate: 1e-3, beta1: 0.5, beta2: 0.999 });
    expect(s.config.nonSaturating).to.equal(true);
  });

  it("names the losses of issue 30 and maps each onto D's head and G's target", () => {
    expect([...GAN2D_LOSSES]).to.deep.equal(['minimax', 'non_saturating', 'least_squares']);
    const of = (loss: Gan2dConfig['loss']) => gan2dSetup({ ...DEFAULT_GAN2D, loss });
    expect([of('minimax').nets!.head, of('minimax').config.nonSaturating]).to.deep.equal(['sigmoid_bce', false]);
    expect([of('non_saturating').nets!.head, of('non_saturating').config.nonSaturating]).to.deep.equal(['sigmoid_bce', true]);
    expect([of('least_squares').nets!.head, of('least_squares').config.nonSaturating]).to.deep.equal(['least_squares', true]);
    expect(bad({ loss: 'wasserstein' })).to.throw(ConfigError, /must be one of minimax, non_saturating, least_squares/);
  });

  for (const [patch, field] of [
    [{ dataset: 'moons' }, 'gan2d.dataset'],
    [{ latent: 3 }, 'gan2d.latent'],
    [{ latent: 1.5 }, 'gan2d.latent'],
    [{ latentDistribution: 'cauchy' }, 'gan2d.latentDistribution'],
    [{ generator: [8, 0] }, 'gan2d.generator[1]'],
    [{ discriminator: [1, 2, 3, 4, 5] }, 'gan2d.discriminator'],
    [{ activation: 'sigmoid' }, 'gan2d.activation'],
    [{ g: { kind: 'rmsprop', learningRate: 0.01 } }, 'gan2d.g.kind'],
    [{ d: { kind: 'sgd', learningRate: Number.NaN } }, 'gan2d.d.learningRate'],
    [{ d: { kind: 'sgd', learningRate: 0 } }, 'gan2d.d.learningRate'],
    [{ batch: 0 }, 'gan2d.batch'],
    [{ dSteps: 11 }, 'gan2d.dSteps'],
    [{ seed: -1 }, 'gan2d.seed'],
    [{ dataset: 'drawn', drawn: DRAWN.slice(0, 7) }, 'gan2d.drawn'],
  ] as [Record<string, unknown>, string][]) {
    it(`refuses ${JSON.stringify(patch)} naming ${field}`, () => {
      expect(bad(patch)).to.throw(ConfigError).with.property('field', field);
    });
  }
});

describe('2-D GAN config in a link', () => {
  it('round-trips a config that changes every field', () => {
    const c: Gan2dConfig = {
      dataset: 'drawn',
      drawn: DRAWN,
      latent: 1,
      latentDistribution: 'uniform',
      generator: [8],
      discriminator: [],
      activation: 'tanh',
      g: { kind: 'sgd', learningRate: 0.05 },
      d: { kind: 'sgd', learningRate: 0.02 },
      batch: 32,
      dSteps: 3,
      loss: 'minimax',
      seed: 42,
    };
    const hash = encodeGan2dHash(c);
    for (const key of GAN2D_HASH_KEYS) expect(hash).to.include(`${key}=`);
    const back = decodeGan2dHash(`#${hash}`);
    expect(back.messages).to.deep.equal([]);
    expect(back.config).to.deep.equal(c);
  });

  it('writes only data and seed for the default', () => {
    expect(encodeGan2dHash(DEFAULT_GAN2D)).to.equal('data=ring&seed=1');
  });

  it('keeps the default for each bad value, with a message, and applies the rest', () => {
    const { config, messages } = decodeGan2dHash('#data=grid&latent=7&loss=hinge&glr=abc&dsteps=2&mode=2d&wat=1', DEFAULT_GAN2D, ['mode']);
    expect(config).to.deep.equal({ ...DEFAULT_GAN2D, dataset: 'grid', dSteps: 2 });
    expect(messages).to.have.length(4);
    expect(messages[0]).to.match(/Unknown setting "wat"/);
    expect(messages.join(' '))
      .to.match(/latent=7/)
      .and.match(/loss=hinge/)
      .and.match(/glr=abc/);
  });

  it('a drawing of fewer than 8 points keeps the previous data set and says why', () => {
    const { config, messages } = decodeGan2dHash('#data=drawn&drawn=0,0,0.1,0.1');
    expect(config.dataset).to.equal(DEFAULT_GAN2D.dataset);
    expect(config.drawn).to.deep.equal([]);
    expect(messages.join(' ')).to.match(/at least 8 points, got 2/);
  });

  it('ignores an over-long hash as a whole', () => {
    const { config, messages } = decodeGan2dHash(`#seed=5&drawn=${'0,'.repeat(5000)}`);
    expect(config).to.equal(DEFAULT_GAN2D);
    expect(messages[0]).to.match(/longer than/);
  });
});
