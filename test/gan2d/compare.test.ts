import { expect } from '@esm-bundle/chai';
import { ConfigError } from '../../src/config/errors.ts';
import { cpuGanBackend } from '../../src/cpu/fast-cpu-gan-backend.ts';
import { DEFAULT_GAN2D, type Gan2dConfig } from '../../src/gan2d/config.ts';
import { formatCompare, Gan2dCompare, gan2dVariants, parseCompare, type Gan2dCompareSpec } from '../../src/gan2d/compare.ts';
import { Gan2dTrainer } from '../../src/gan2d/trainer.ts';
import type { GanBackend, GanChunk } from '../../src/train/gan-backend.ts';

const SMALL: Gan2dConfig = { ...DEFAULT_GAN2D, dataset: 'gaussians', generator: [8], discriminator: [8], batch: 32 };
const spec = (s: Partial<Gan2dCompareSpec> & Pick<Gan2dCompareSpec, 'kind'>): Gan2dCompareSpec => ({ count: 0, from: 0, to: 0, ...s });

describe('2-D GAN compare mode: variants', () => {
  it('seeds count up from the base seed; everything else is the base config', () => {
    const v = gan2dVariants({ ...SMALL, seed: 7 }, spec({ kind: 'seed', count: 8 }));
    expect(v.map((x) => x.config.seed)).to.deep.equal([7, 8, 9, 10, 11, 12, 13, 14]);
    expect(v.map((x) => x.label)).to.include('seed 9');
    expect(v.every((x) => x.config.loss === SMALL.loss && x.config.g.learningRate === SMALL.g.learningRate)).to.equal(true);
  });

  it('a learning-rate ratio spans its range on a log scale, keeping D’s rate', () => {
    const v = gan2dVariants({ ...SMALL, d: { kind: 'adam', learningRate: 1e-3 } }, spec({ kind: 'lr-ratio', count: 3, from: 0.1, to: 10 }));
    expect(v.map((x) => x.config.g.learningRate)).to.deep.equal([1e-4, 1e-3, 1e-2]);
    expect(v.every((x) => x.config.d.learningRate === 1e-3)).to.equal(true);
    expect(v[2]!.label).to.equal('G/D rate ×10');
  });

  it('D steps take every whole number of a range; losses are the three', () => {
    expect(gan2dVariants(SMALL, spec({ kind: 'd-steps', from: 1, to: 4 })).map((x) => x.config.dSteps)).to.deep.equal([1, 2, 3, 4]);
    expect(gan2dVariants(SMALL, spec({ kind: 'loss' })).map((x) => x.config.loss)).to.deep.equal(['minimax', 'non_saturating', 'least_squares']);
  });

  it('bad specs are refused naming the field or the variant', () => {
    const refused = (s: Gan2dCompareSpec, pattern: RegExp) => expect(() => gan2dVariants(SMALL, s)).to.throw(ConfigError, pattern);
    refused(spec({ kind: 'seed', count: 9 }), /compare\.count: must be a whole number from 2 to 8, got 9/);
    refused(spec({ kind: 'seed', count: 1 }), /compare\.count/);
    refused(spec({ kind: 'lr-ratio', count: 4, from: 0, to: 10 }), /compare\.from: must be a ratio/);
    refused(spec({ kind: 'd-steps', from: 3, to: 3 }), /compare\.dSteps/);
    refused(spec({ kind: 'd-steps', from: 1, to: 11 }), /compare\.dSteps/);
    // D at 0.5 and a ratio of 100 asks G for 50: past the learning-rate limit of the variant.
    expect(() => gan2dVariants({ ...SMALL, d: { kind: 'sgd', learningRate: 0.5 } }, spec({ kind: 'lr-ratio', count: 2, from: 1, to: 100 }))).to.throw(
      ConfigError,
      /the variant "G\/D rate ×100" is not a valid GAN: gan2d\.g\.learningRate/,
    );
    expect(() => parseCompare('colour:3')).to.throw(ConfigError, /must start with one of seed, lr-ratio, d-steps, loss/);
    expect(() => parseCompare('d-steps:5')).to.throw(ConfigError, /needs a range like 1-5/);
  });

  it('a spec survives its link value', () => {
    for (const s of [
      spec({ kind: 'seed', count: 5 }),
      spec({ kind: 'lr-ratio', count: 4, from: 0.25, to: 8 }),
      spec({ kind: 'd-steps', count: 3, from: 2, to: 4 }),
      spec({ kind: 'loss', count: 3 }),
    ]) {
      expect(parseCompare(formatCompare(s))).to.deep.equal(s);
    }
    expect(formatCompare(spec({ kind: 'lr-ratio', count: 4, from: 0.25, to: 8 }))).to.equal('lr-ratio:0.25-8:4');
  });
});

describe('2-D GAN compare mode: training', () => {
  it('each of 4 seeds trains exactly as it would alone, and the seeds end differently', async () => {
    const variants = gan2dVariants(SMALL, spec({ kind: 'seed', count: 4 }));
    const together = await Gan2dCompare.create(variants, (s) => cpuGanBackend(s));
    try {
      await together.train(150);
      expect(together.iterations).to.equal(150);
      const measures = await together.measure();
      for (const [i, run] of together.runs.entries()) {
        const alone = await Gan2dTrainer.create(variants[i]!.config, (s) => cpuGanBackend(s));
        await alone.train(150);
        expect(run.trainer.history.toArray()).to.deep.equal(alone.history.toArray());
        expect(await run.trainer.backend.readParams()).to.deep.equal(await alone.backend.readParams());
        alone.dispose();
      }
      expect(new Set(measures.map((m) => m!.divergences.js)).size).to.equal(4);
    } finally {
      together.dispose();
    }
  });

  it('a variant whose loss turns NaN stops with its message; the others train on', async () => {
    // A fault injected into seed 2's backend after its first submit: its metrics read NaN.
    const poisoned = (b: GanBackend): GanBackend => {
      let calls = 0;
      return Object.assign(Object.create(b) as GanBackend, {
        runIterations: async (chunk: GanChunk) => {
          const metrics = await b.runIterations(chunk);
          return calls++ === 0 ? metrics : metrics.map((m) => ({ ...m, dLoss: NaN }));
        },
      });
    };
    const variants = gan2dVariants(SMALL, spec({ kind: 'seed', count: 3 }));
    const c = await Gan2dCompare.create(variants, async (s) => (s.config.seed === 2 ? poisoned(await cpuGanBackend(s)) : cpuGanBackend(s)));
    try {
      await c.train(128);
      expect(c.runs.map((r) => r.error === null)).to.deep.equal([true, false, true]);
      expect(c.runs[1]!.error).to.match(/^seed 2: /);
      expect(c.runs[0]!.trainer.history).to.have.length(128);
      expect(c.runs[2]!.trainer.history).to.have.length(128);
      expect(c.runs[1]!.trainer.history.length).to.be.below(128);
    } finally {
      c.dispose();
    }
  });

  it('cancelling between turns keeps what was trained', async () => {
    const c = await Gan2dCompare.create(gan2dVariants(SMALL, spec({ kind: 'seed', count: 2 })), (s) => cpuGanBackend(s));
    let asked = 0;
    await c.train(640, () => ++asked > 3);
    expect(c.runs.map((r) => r.trainer.history.length)).to.deep.equal([128, 64]);
    c.dispose();
  });
});
