import { expect } from '@esm-bundle/chai';
import { ConfigError } from '../../src/config/errors.ts';
import { DEFAULT_EXPERIMENT, remediesOf, type ExperimentConfig } from '../../src/config/experiment.ts';
import type { SweepConfig } from '../../src/config/sweep.ts';
import { loadExperimentData } from '../../src/data/load.ts';
import { halvingRungs, plannedEpochs, runHalving } from '../../src/train/halving.ts';
import { Session } from '../../src/train/session.ts';
import { runSweep } from '../../src/train/sweep.ts';
import { testGpu } from '../helpers/gpu.ts';

const IRIS: ExperimentConfig = { ...DEFAULT_EXPERIMENT, hidden: [{ units: 8, activation: 'relu' }], batchSize: 16, epochs: 9, seed: 3, backend: 'cpu' };
// Nine log-spaced Adam rates, 1e-3 to 1: rungs of 1, 3 and 9 epochs keep 9, 3 and 1.
const HALVING: SweepConfig = { mode: 'halving', budget: 64, seed: 1, metric: 'loss', eta: 3, minEpochs: 1, lr: { min: 1e-3, max: 1, steps: 9 }, replicates: 1 };

describe('successive halving', () => {
  it('plans its rungs: budgets multiply by η up to the epochs, each keeps ⌈n/η⌉', () => {
    const rungs = halvingRungs(27, 27, 3, 3);
    expect(rungs).to.deep.equal([
      { epochs: 3, configurations: 27 },
      { epochs: 9, configurations: 9 },
      { epochs: 27, configurations: 3 },
    ]);
    // 27·3 + 9·(9 − 3) + 3·(27 − 9) = 81 + 54 + 54 of a full grid's 27·27 = 729.
    expect(plannedEpochs(rungs)).to.equal(189);
    // The last budget is capped at the epochs: 2, 6, 18, then 20; 10 → 4 → 2 → 1 configurations.
    const capped = halvingRungs(10, 20, 2, 3);
    expect(capped.map((r) => r.epochs)).to.deep.equal([2, 6, 18, 20]);
    expect(capped.map((r) => r.configurations)).to.deep.equal([10, 4, 2, 1]);
    expect(plannedEpochs(capped)).to.equal(10 * 2 + 4 * 4 + 2 * 12 + 1 * 2);
  });

  it('refuses settings that leave nothing to prune, naming the limit', async () => {
    const bad: [() => unknown, RegExp][] = [
      [() => halvingRungs(9, 9, 1, 1), /sweep\.eta.*at least 2.*got 1/],
      [() => halvingRungs(9, 9, 12, 3), /sweep\.minEpochs.*12 epochs is above the experiment's 9 epochs/],
      [() => halvingRungs(9, 9, 9, 3), /leaves one rung.*at least two/],
      [() => halvingRungs(1, 9, 1, 3), /at least 2 configurations/],
    ];
    for (const [f, message] of bad) expect(f).to.throw(ConfigError, message);
    // The plain sweep never trains a halving grid to the end by mistake; halving refuses early stopping.
    const data = await loadExperimentData(IRIS);
    const refused = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: Error) => e.message,
      );
    expect(await refused(runSweep(IRIS, HALVING, data, testGpu))).to.match(/runHalving/);
    const stopping = {
      ...IRIS,
      remedies: { ...remediesOf(IRIS), earlyStopping: { monitor: 'validation_loss' as const, patience: 2, minDelta: 0, restoreBest: true as const } },
    };
    expect(await refused(runHalving(stopping, HALVING, data, testGpu))).to.match(/early stopping off/);
  });

  it('prunes: the cut configurations stop at their rung, the kept ones continue the same models, and the budget is the epochs trained', async () => {
    const data = await loadExperimentData(IRIS);
    const r = await runHalving(IRIS, HALVING, data, testGpu);
    expect(r.rungs.map((g) => g.epochs)).to.deep.equal([1, 3, 9]);
    expect(r.rows.map((row) => row.rung).sort()).to.deep.equal([0, 0, 0, 0, 0, 0, 1, 1, 2]);
    for (const row of r.rows) {
      expect(row.epochs, `row ${row.index}`).to.equal(r.rungs[row.rung]!.epochs);
      expect(row.pruned).to.equal(row.rung < 2);
      expect(row.rungMetrics).to.have.length(row.rung + 1);
    }
    expect(r.budget.used).to.equal(r.rows.reduce((n, row) => n + row.epochs, 0));
    expect(r.budget).to.deep.equal({ used: 9 + 3 * 2 + 6, planned: 21, full: 81 });
    expect(r.rows[r.best!]!.rung).to.equal(2);
    expect(r.test!.rows).to.equal(data.splits.test.length);
    // Continuing is not retraining: each kept score equals its configuration trained alone to that rung's epochs, bit for bit.
    for (const row of r.rows.filter((x) => x.rung > 0)) {
      for (const k of [1, row.rung]) {
        const alone = await Session.fromData({ ...IRIS, optimizer: { ...IRIS.optimizer, learningRate: row.values.lr as number } }, testGpu, data);
        await alone.trainer.trainEpochs(r.rungs[k]!.epochs);
        expect((await alone.evaluate('validation')).loss, `row ${row.index} rung ${k}`).to.equal(row.rungMetrics[k]);
        alone.dispose();
      }
    }
  });

  it('runs its rungs on WebGPU too, the kept ones equal to their configuration trained alone within float32 rounding', async () => {
    const gpuIris = { ...IRIS, backend: 'webgpu' as const, epochs: 4 };
    const data = await loadExperimentData(gpuIris);
    const r = await runHalving(gpuIris, { ...HALVING, eta: 2, lr: { min: 1e-3, max: 0.1, steps: 4 } }, data, testGpu);
    expect(r.backend.kind).to.equal('webgpu');
    expect(r.rows.map((row) => row.epochs).sort()).to.deep.equal([1, 1, 2, 4]);
    expect(r.budget).to.deep.equal({ used: 8, planned: 8, full: 16 });
    const best = r.rows[r.best!]!;
    const alone = await Session.fromData({ ...gpuIris, optimizer: { ...gpuIris.optimizer, learningRate: best.values.lr as number } }, testGpu, data);
    await alone.trainer.trainEpochs(4);
    expect((await alone.evaluate('validation')).loss).to.be.closeTo(best.validationLoss, 1e-5);
    alone.dispose();
  });

  it('drops diverged configurations, keeps what it trained when cancelled, and ranks regression by loss', async () => {
    const sgd = { ...IRIS, epochs: 4, optimizer: { ...IRIS.optimizer, kind: 'sgd' as const } };
    const data = await loadExperimentData(sgd);
    const r = await runHalving(sgd, { ...HALVING, eta: 2, metric: 'accuracy', lr: { min: 0.01, max: 1e6, steps: 5 } }, data, testGpu);
    const diverged = r.rows.find((row) => row.values.lr === 1e6)!;
    expect(diverged.status).to.equal('diverged');
    expect(diverged.pruned).to.equal(false);
    expect(diverged.rung).to.equal(0);
    expect(r.rows[r.best!]!.status).to.equal('done');

    let polls = 0;
    const long = { ...IRIS, epochs: 400 };
    const c = await runHalving(long, { ...HALVING, minEpochs: 100 }, data, testGpu, { shouldStop: () => ++polls > 4 });
    expect(c.cancelled).to.equal(true);
    expect(c.test).to.equal(null);
    expect(c.rows.every((row) => row.status === 'cancelled' && row.epochs < 100)).to.equal(true);
    expect(c.budget.used).to.equal(c.rows.reduce((n, row) => n + row.epochs, 0));

    const plane: ExperimentConfig = {
      ...IRIS,
      task: 'regression',
      dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'plane', size: 200, noise: 0 },
      hidden: [],
      epochs: 4,
    };
    const planeData = await loadExperimentData(plane);
    const err = await runHalving(plane, { ...HALVING, metric: 'accuracy' }, planeData, testGpu).catch((e: Error) => e);
    expect((err as Error).message).to.match(/no accuracy/);
    const reg = await runHalving(plane, { ...HALVING, eta: 2 }, planeData, testGpu);
    const finalists = reg.rows.filter((row) => row.rung === reg.rungs.length - 1);
    expect(reg.rows[reg.best!]!.validationLoss).to.equal(Math.min(...finalists.map((row) => row.validationLoss)));
    expect(Number.isNaN(reg.rows[reg.best!]!.validationAccuracy)).to.equal(true);
  });

  // The goal of issue 32: within 0.01 validation accuracy of the full grid's best, on at most a third of its model-epochs.
  const SPIRAL: ExperimentConfig = {
    ...IRIS,
    epochs: 27,
    dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'spiral', size: 300, noise: 0.1, classes: 3 },
    hidden: [{ units: 16, activation: 'relu' }],
  };
  // 27 configurations each, rungs of 3, 9 and 27 epochs: 189 of 729 model-epochs.
  const GRIDS: [string, Partial<SweepConfig>][] = [
    ['9 rates × 3 batch sizes', { lr: { min: 1e-3, max: 1, steps: 9 }, batch: [8, 16, 32] }],
    ['3 rates × 3 L2 × 3 batch sizes', { lr: { min: 1e-3, max: 0.1, steps: 3 }, l2: { min: 0, max: 0.01, steps: 3 }, batch: [8, 16, 32] }],
  ];
  const GOALS: [string, ExperimentConfig][] = [
    ['Iris', { ...IRIS, epochs: 27 }],
    ['spiral', SPIRAL],
  ];

  it("measures the goal on Iris and spiral: the grid's best within 0.01 on a third of the model-epochs, for most seeds", async () => {
    const lines: string[] = [];
    let hits = 0;
    let runs = 0;
    for (const [name, b] of GOALS) {
      for (const seed of [1, 2, 3, 4, 5, 6]) {
        const base = { ...b, seed };
        const data = await loadExperimentData(base);
        for (const [gridName, g] of GRIDS) {
          const sweep: SweepConfig = { ...HALVING, metric: 'accuracy', minEpochs: 3, ...g };
          const grid = await runSweep(base, { ...sweep, mode: 'grid', eta: undefined, minEpochs: undefined }, data, testGpu);
          const halving = await runHalving(base, sweep, data, testGpu);
          const gridBest = grid.rows[grid.best!]!.validationAccuracy;
          const found = halving.rows[halving.best!]!.validationAccuracy;
          expect(halving.budget.used).to.be.at.most(halving.budget.full / 3);
          const hit = found >= gridBest - 0.01;
          hits += hit ? 1 : 0;
          runs++;
          lines.push(
            `${name} seed ${seed}, ${gridName}: grid ${gridBest.toFixed(4)}, halving ${found.toFixed(4)} on ${halving.budget.used}/${halving.budget.full} ${hit ? 'ok' : 'MISS'}`,
          );
        }
      }
    }
    console.log(`${lines.join('\n')}\n${hits}/${runs} within 0.01`);
    // Measured on the CPU backend (deterministic): 18 of 24. A drop means the rungs or the ranking changed.
    expect(hits, lines.join('\n')).to.be.at.least(18);
  });
});
