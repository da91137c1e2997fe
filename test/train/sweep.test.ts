import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import type { SweepConfig } from '../../src/config/sweep.ts';
import { loadExperimentData } from '../../src/data/load.ts';
import { runSweep, type SweepProgress } from '../../src/train/sweep.ts';
import { Session } from '../../src/train/session.ts';
import { FaultyGpu } from '../helpers/faults.ts';
import { testGpu } from '../helpers/gpu.ts';

const IRIS: ExperimentConfig = { ...DEFAULT_EXPERIMENT, hidden: [{ units: 8, activation: 'relu' }], batchSize: 16, epochs: 6, seed: 3, backend: 'cpu' };
// Five log-spaced rates of SGD from 0.01 to 1e6: the largest blow the weights up to infinity.
const SWEEP: SweepConfig = { mode: 'grid', budget: 16, seed: 1, metric: 'accuracy', lr: { min: 0.01, max: 1e6, steps: 5 }, replicates: 1 };
const SGD = { ...IRIS, optimizer: { ...IRIS.optimizer, kind: 'sgd' as const } };

describe('sweeps', () => {
  it('scores every configuration on the validation split, marks diverged rates and goes on, and tests only the chosen one', async () => {
    const data = await loadExperimentData(SGD);
    const progress: SweepProgress[] = [];
    const r = await runSweep(SGD, SWEEP, data, testGpu, { onProgress: (p) => progress.push(p) });
    expect(r.rows.map((row) => row.values.lr)).to.deep.equal([0.01, 1, 100, 10000, 1000000]);
    expect(r.rows[4]!.status).to.equal('diverged');
    expect(Number.isNaN(r.rows[4]!.validationAccuracy)).to.equal(true);
    expect(r.rows[0]!.status).to.equal('done');
    expect(r.rows[0]!.epochs).to.equal(6);
    // The chosen row is the best finite validation accuracy; the test split scored it alone.
    const finite = r.rows.filter((row) => row.status !== 'diverged');
    expect(r.rows[r.best!]!.validationAccuracy).to.equal(Math.max(...finite.map((row) => row.validationAccuracy)));
    expect(r.test!.rows).to.equal(data.splits.test.length);
    expect(r.curves[0]!.index).to.equal(r.best);
    expect(r.curves[0]!.history).to.have.length(r.rows[r.best!]!.epochs);
    expect(progress.at(-1)!.done).to.equal(5);
    // Each row is the run of its configuration alone.
    const alone = await Session.fromData({ ...SGD, optimizer: { ...SGD.optimizer, learningRate: 1 } }, testGpu, data);
    await alone.trainer.trainEpochs(6);
    expect((await alone.evaluate('validation')).loss).to.equal(r.rows[1]!.validationLoss);
    alone.dispose();
    expect(r.rows[1]!.hash).to.contain('lr=1&');
  });

  it('a cancelled sweep keeps what it trained, marked cancelled, with no test score', async () => {
    const data = await loadExperimentData(IRIS);
    let polls = 0;
    const r = await runSweep({ ...IRIS, epochs: 200 }, { ...SWEEP, lr: { min: 1e-3, max: 1e-1, steps: 3 } }, data, testGpu, { shouldStop: () => ++polls > 4 });
    expect(r.cancelled).to.equal(true);
    expect(r.test).to.equal(null);
    expect(r.rows.every((row) => row.status === 'cancelled' && row.epochs < 200)).to.equal(true);
  });

  it('refuses a sweep without validation rows', async () => {
    const data = await loadExperimentData({ ...IRIS, validationSplit: 0 });
    const e = await runSweep({ ...IRIS, validationSplit: 0 }, SWEEP, data, testGpu).then(
      () => null,
      (x: Error) => x,
    );
    expect(e!.message).to.match(/validation split/);
  });

  it('GPU buffers stay flat over 20 sweeps', async () => {
    const { faults, ctx } = await FaultyGpu.create();
    const cfg = { ...IRIS, backend: 'webgpu' as const, epochs: 2 };
    const data = await loadExperimentData(cfg);
    const live: number[] = [];
    for (let i = 0; i < 20; i++) {
      await runSweep(cfg, { ...SWEEP, lr: { min: 1e-3, max: 1e-1, steps: 2 + (i % 3) }, replicates: 2 }, data, async () => ctx);
      live.push(faults.liveBuffers);
    }
    expect(live).to.deep.equal(new Array(20).fill(0));
  });
});
