import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT } from '../../src/config/experiment.ts';
import { decodeSweep, DEFAULT_SWEEP, encodeSweep, sweepSize, validateSweep, variedParams, type SweepConfig } from '../../src/config/sweep.ts';
import { ConfigError } from '../../src/config/errors.ts';
import { sweepPoints } from '../../src/train/sweep.ts';

const BASE = {
  ...DEFAULT_EXPERIMENT,
  hidden: [
    { units: 8, activation: 'relu' as const },
    { units: 8, activation: 'relu' as const },
  ],
  seed: 40,
};

describe('sweep settings', () => {
  it('round-trips through the sweep= link value', () => {
    const s: SweepConfig = {
      mode: 'random',
      budget: 48,
      seed: 9,
      metric: 'loss',
      lr: { min: 1e-4, max: 0.5, steps: 4 },
      batch: [8, 32],
      l2: { min: 0, max: 0.01, steps: 3 },
      optimizer: ['sgd', 'adam'],
      replicates: 2,
    };
    expect(encodeSweep(s)).to.equal('random;budget:48;seed:9;metric:loss;lr:0.0001~0.5x4;l2:0~0.01x3;batch:8,32;opt:sgd,adam;rep:2');
    expect(decodeSweep(encodeSweep(s))).to.deep.equal(s);
    expect(decodeSweep(encodeSweep(DEFAULT_SWEEP))).to.deep.equal(DEFAULT_SWEEP);
  });

  it('refuses empty, inverted and out-of-range settings and an over-budget grid, each with a message naming it', () => {
    const bad: [Partial<SweepConfig>, RegExp][] = [
      [{ lr: { min: 0.1, max: 0.01, steps: 3 } }, /sweep\.lr.*inverted/],
      [{ lr: { min: 0.1, max: 0.1, steps: 3 } }, /empty range/],
      [{ lr: { min: 0, max: 0.1, steps: 3 } }, /log scale/],
      [{ lr: undefined, replicates: 1 }, /varies nothing/],
      [{ budget: 300 }, /1 to 256 models/],
      [{ lr: { min: 1e-4, max: 1, steps: 64 } }, /holds 256 models.*budget of 64/],
      [{ batch: [] }, /1 to 12 batch sizes/],
      [{ batch: [0] }, /whole numbers/],
      [{ dropout: { min: 0, max: 1, steps: 2 } }, /within 0\.\.0\.95/],
      [{ optimizer: ['rmsprop' as never] }, /unknown optimizer/],
    ];
    for (const [patch, message] of bad) {
      expect(() => validateSweep({ ...DEFAULT_SWEEP, ...patch }), JSON.stringify(patch)).to.throw(ConfigError, message);
    }
    expect(() => decodeSweep('grid;lr:1~2;rep:1')).to.throw(ConfigError, /not a range/);
    expect(() => decodeSweep('grid;rep:2;rep:3')).to.throw(ConfigError, /given twice/);
    expect(() => decodeSweep('grid;nonsense:1;rep:2')).to.throw(ConfigError, /unknown part/);
  });

  it('successive halving round-trips with its η and minimum budget, and old links read as before', () => {
    const s: SweepConfig = {
      mode: 'halving',
      budget: 27,
      seed: 1,
      metric: 'accuracy',
      eta: 3,
      minEpochs: 2,
      lr: { min: 1e-3, max: 1, steps: 27 },
      replicates: 1,
    };
    expect(encodeSweep(s)).to.equal('halving;budget:27;seed:1;metric:accuracy;eta:3;min:2;lr:0.001~1x27;rep:1');
    expect(decodeSweep(encodeSweep(s))).to.deep.equal(s);
    expect(decodeSweep('grid;budget:64;seed:1;metric:accuracy;lr:0.0001~1x16;rep:4')).to.deep.equal(DEFAULT_SWEEP);
    // Halving prunes the grid's own points.
    expect(sweepPoints(BASE, s).map((p) => p.values.lr)).to.deep.equal(
      sweepPoints(BASE, { ...s, mode: 'grid', eta: undefined, minEpochs: undefined }).map((p) => p.values.lr),
    );
    const bad: [Partial<SweepConfig>, RegExp][] = [
      [{ eta: 1 }, /sweep\.eta.*from 2 to 16.*got 1/],
      [{ eta: 2.5 }, /whole number/],
      [{ eta: undefined }, /sweep\.eta/],
      [{ minEpochs: 0 }, /sweep\.minEpochs.*minimum budget must be 1 to/],
      [{ epochs: { min: 5, max: 10, steps: 2 } }, /sweep\.epochs.*decides how long/],
      [{ mode: 'grid' }, /only successive halving/],
    ];
    for (const [patch, message] of bad) expect(() => validateSweep({ ...s, ...patch }), JSON.stringify(patch)).to.throw(ConfigError, message);
    expect(() => decodeSweep('halving;eta:1;min:2;lr:0.001~1x4;rep:1')).to.throw(ConfigError, /at least 2|from 2/);
  });

  it('a grid is every combination of the varied values, times the seed replicates', () => {
    const s: SweepConfig = {
      ...DEFAULT_SWEEP,
      budget: 64,
      lr: { min: 1e-3, max: 1e-1, steps: 3 },
      batch: [16, 64],
      dropout: { min: 0, max: 0.5, steps: 2 },
      replicates: 2,
    };
    expect(sweepSize(s)).to.equal(24);
    expect(variedParams(s)).to.deep.equal(['lr', 'batch', 'dropout', 'seed']);
    const points = sweepPoints(BASE, s);
    expect(points).to.have.length(24);
    expect([...new Set(points.map((p) => p.config.optimizer.learningRate))]).to.deep.equal([0.001, 0.01, 0.1]);
    expect([...new Set(points.map((p) => p.config.batchSize))]).to.deep.equal([16, 64]);
    expect([...new Set(points.map((p) => p.config.seed))]).to.deep.equal([40, 41]);
    expect(points.find((p) => p.values.dropout === 0.5)!.config.remedies!.dropout).to.deep.equal([0.5, 0.5]);
    expect(new Set(points.map((p) => JSON.stringify(p.values))).size).to.equal(24);
  });

  it('random search draws its budget from the ranges, log-uniform for the learning rate, the same for the same seed', () => {
    const s: SweepConfig = {
      mode: 'random',
      budget: 40,
      seed: 3,
      metric: 'accuracy',
      lr: { min: 1e-4, max: 1, steps: 1 },
      epochs: { min: 10, max: 50, steps: 1 },
      optimizer: ['sgd', 'adam'],
      replicates: 1,
    };
    const points = sweepPoints(BASE, s);
    expect(points).to.have.length(40);
    for (const p of points) {
      expect(p.config.optimizer.learningRate).to.be.within(1e-4, 1);
      expect(Number.isInteger(p.config.epochs)).to.equal(true);
    }
    // Log-uniform: about as many rates below 0.01 as above.
    const below = points.filter((p) => p.config.optimizer.learningRate < 0.01).length;
    expect(below).to.be.within(10, 30);
    expect(sweepPoints(BASE, s).map((p) => p.values)).to.deep.equal(points.map((p) => p.values));
  });
});
