import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, DEFAULT_REMEDIES, validateExperiment, type ExperimentConfig } from '../../src/config/experiment.ts';
import { ConfigError } from '../../src/config/errors.ts';
import { withTask } from '../../src/config/task-switch.ts';
import { loadExperimentData } from '../../src/data/load.ts';
import { fitTargetScale } from '../../src/data/prepare.ts';
import { gaussmixTarget, makeRegressionTable, planeTarget } from '../../src/data/regression-sets.ts';
import { quantileBins } from '../../src/data/regression-table.ts';
import { regressionScores, unscale } from '../../src/metrics/regression.ts';
import { Session } from '../../src/train/session.ts';
import { runSweep } from '../../src/train/sweep.ts';
import { testGpu } from '../helpers/gpu.ts';

const plane: ExperimentConfig = {
  ...DEFAULT_EXPERIMENT,
  task: 'regression',
  dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'plane', size: 300, noise: 0 },
  hidden: [],
  optimizer: { ...DEFAULT_EXPERIMENT.optimizer, learningRate: 0.03 },
  epochs: 40,
  seed: 7,
};

describe('Regression data', () => {
  it('plane and gaussmix: points in [-1, 1]², targets from their formulas at noise 0, in [-1, 1]', () => {
    for (const name of ['plane', 'gaussmix'] as const) {
      const t = makeRegressionTable({ ...plane.dataset, name, size: 200 }, 3);
      expect(t.values).to.have.length(200);
      expect(t.classNames).to.deep.equal(['y']);
      const f = name === 'plane' ? planeTarget : gaussmixTarget;
      for (let r = 0; r < 200; r++) {
        const [x1, x2] = [t.features[2 * r]!, t.features[2 * r + 1]!];
        expect(Math.abs(x1)).to.be.at.most(1);
        expect(t.values![r]).to.be.closeTo(f(x1, x2), 1e-6, `${name} row ${r}`);
      }
    }
    expect(gaussmixTarget(-2 / 3, 5 / 12)).to.equal(1);
    expect(gaussmixTarget(0, 5 / 12)).to.equal(-1);
    expect(gaussmixTarget(0, 0)).to.equal(0);
  });

  it('noise moves where the target is read, so the same point gets a blurred target', () => {
    const clean = makeRegressionTable({ ...plane.dataset, size: 100 }, 5);
    const noisy = makeRegressionTable({ ...plane.dataset, size: 100, noise: 0.5 }, 5);
    let moved = 0;
    for (let r = 0; r < 100; r++) if (noisy.values![r] !== clean.values![r]) moved++;
    expect(moved).to.be.greaterThan(90);
  });

  it('quantile bins: equal shares, ties kept together, fewer bins on small tables', () => {
    const bins = quantileBins(Float32Array.from({ length: 100 }, (_, i) => (i * 37) % 100));
    expect(new Set(bins).size).to.equal(5);
    for (let k = 0; k < 5; k++) expect(bins.filter((b) => b === k).length).to.equal(20);
    const ties = quantileBins(Float32Array.from([1, 1, 1, 1, 1, 1, 2, 2, 2, 2]));
    expect([...ties]).to.deep.equal([0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
    expect(new Set(quantileBins(Float32Array.from([3, 1, 2]))).size).to.equal(1);
  });

  it('the target is standardized on the training rows only; predictions come back in its units', async () => {
    const data = await loadExperimentData(plane);
    const values = data.table.values!;
    const scale = fitTargetScale(values, data.splits.train);
    expect(data.targetScale).to.deep.equal(scale);
    const train = [...data.splits.train].map((r) => data.dataset.targets[r]!);
    const mean = train.reduce((a, b) => a + b, 0) / train.length;
    expect(Math.abs(mean)).to.be.below(1e-6);
    const back = unscale(Float32Array.from(train), scale);
    [...data.splits.train].forEach((r, i) => expect(Math.abs(back[i]! - values[r]!)).to.be.below(1e-6));
    // Every split spans the target's range: the splits are stratified by its quantile bins.
    for (const split of ['train', 'validation', 'test'] as const) {
      expect(new Set([...data.splits[split]].map((r) => data.table.labels[r])).size, split).to.equal(5);
    }
  });
});

describe('Regression configs', () => {
  it('a regression-only set needs the regression task, and a classification set refuses it', () => {
    expect(() => validateExperiment({ ...plane, task: undefined })).to.throw(ConfigError, /regression data set/);
    expect(() => validateExperiment({ ...plane, dataset: { ...plane.dataset, name: 'spiral' } })).to.throw(ConfigError, /classification data set/);
  });

  it('classification-only remedies are refused for regression with the reason', () => {
    const on = (patch: object) => validateExperiment({ ...plane, remedies: { ...DEFAULT_REMEDIES, ...patch } });
    expect(() => on({ classWeights: 'balanced' })).to.throw(ConfigError, /Class weights balance classes/);
    expect(() => on({ resample: 'oversample' })).to.throw(ConfigError, /Resampling/);
    expect(() => on({ earlyStopping: { monitor: 'validation_accuracy', patience: 3, minDelta: 0, restoreBest: true } })).to.throw(ConfigError, /no accuracy/);
    expect(() => on({ jitter: 0.1, dropout: [] })).not.to.throw();
  });

  it('withTask lands on a set that fits and clears what regression cannot use', () => {
    const spiral: ExperimentConfig = {
      ...DEFAULT_EXPERIMENT,
      dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'spiral' },
      remedies: { ...DEFAULT_REMEDIES, classWeights: 'balanced', resample: 'undersample' },
    };
    const r = withTask(spiral, 'regression');
    expect(r.task).to.equal('regression');
    expect(r.dataset.name).to.equal('plane');
    expect(r.remedies!.classWeights).to.equal('none');
    expect(r.remedies!.resample).to.equal('none');
    expect(() => validateExperiment(r)).not.to.throw();
    const back = withTask(r, 'classification');
    expect(back.task).to.equal(undefined);
    expect(back.dataset.name).to.equal('spiral');
  });
});

describe('Regression sessions', function () {
  this.timeout(120_000);

  for (const backend of ['cpu', 'reference', 'webgpu'] as const) {
    it(`a network without hidden layers fits the plane (R² > 0.99) on ${backend}`, async () => {
      const session = await Session.create({ ...plane, backend }, testGpu);
      try {
        expect(session.info.spec.loss).to.equal('mse');
        expect(session.info.spec.outputSize).to.equal(1);
        expect(session.info.regression?.targets.test).to.have.length(session.info.rows.test);
        const records = await session.trainer.trainEpochs(plane.epochs);
        expect(records.at(-1)!.trainAccuracy).to.equal(null);
        const test = await session.evaluate('test');
        const reg = session.info.regression!;
        const scores = regressionScores(reg.targets.test, unscale(test.outputs, reg.scale));
        expect(scores.r2).to.be.above(0.99);
        // The engine's loss is the MSE of the standardized target.
        expect(scores.mse / reg.scale.std ** 2).to.be.closeTo(test.loss, 1e-4 + test.loss * 1e-3);
        const grid = await session.boundary(8);
        expect(grid.values).to.have.length(64);
        // The plane rises to the upper right: the predicted corner values are ordered like it.
        expect(grid.values![7]!).to.be.above(grid.values![56]!);
      } finally {
        session.dispose();
      }
    });
  }

  it('a sweep ranks regression models by validation loss, refuses accuracy, and scores the best on the test split', async () => {
    const config: ExperimentConfig = { ...plane, backend: 'cpu', epochs: 8 };
    const data = await loadExperimentData(config);
    const sweep = { mode: 'grid' as const, budget: 8, seed: 1, metric: 'loss' as const, lr: { min: 1e-3, max: 1e-1, steps: 3 }, replicates: 1 };
    const r = await runSweep(config, sweep, data, testGpu);
    expect(r.rows).to.have.length(3);
    expect(r.rows.every((row) => Number.isFinite(row.validationLoss) && Number.isNaN(row.validationAccuracy))).to.equal(true);
    expect(r.rows[r.best!]!.validationLoss).to.equal(Math.min(...r.rows.map((row) => row.validationLoss)));
    expect(Number.isFinite(r.test!.loss)).to.equal(true);
    const refused = await runSweep(config, { ...sweep, metric: 'accuracy' }, data, testGpu).then(
      () => null,
      (e: Error) => e,
    );
    expect(refused).to.be.instanceOf(ConfigError);
  });

  it("the training-health panel reads a regression model's layers", async () => {
    const session = await Session.create({ ...plane, hidden: [{ units: 6, activation: 'relu' }], backend: 'cpu' }, testGpu);
    try {
      await session.trainer.trainEpochs(2);
      const report = await session.health();
      expect(report.layers).to.have.length(2);
      // MSE gradients reach every layer: no layer reads all zeros.
      expect(report.layers.every((l) => Math.max(Math.abs(l.gradients.min), Math.abs(l.gradients.max)) > 0)).to.equal(true);
    } finally {
      session.dispose();
    }
  });
});
