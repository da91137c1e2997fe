import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import type { SweepConfig } from '../../src/config/sweep.ts';
import { EngineClient } from '../../src/worker/client.ts';

const WORKER = new URL('../../src/worker/worker.ts', import.meta.url);

const MOONS: ExperimentConfig = {
  ...DEFAULT_EXPERIMENT,
  dataset: { name: 'moons', size: 200, noise: 0.2, imbalance: 1, classes: 2 },
  hidden: [{ units: 12, activation: 'tanh' }],
  epochs: 8,
  seed: 4,
  backend: 'cpu',
};
const SWEEP: SweepConfig = { mode: 'grid', budget: 16, seed: 1, metric: 'accuracy', lr: { min: 1e-3, max: 0.3, steps: 4 }, batch: [16, 32], replicates: 1 };

describe('the CPU worker pool in the engine worker (nested workers)', () => {
  let client: EngineClient;
  before(() => (client = EngineClient.start(WORKER)));
  after(() => client.terminate());

  it('cpuWorkers sets how many workers a sweep spreads over, and the result is the same bits as on one', async () => {
    const one = await client.runSweep({ ...MOONS, cpuWorkers: 1 }, SWEEP);
    const two = await client.runSweep({ ...MOONS, cpuWorkers: 2 }, SWEEP);
    expect(one.backend.label).to.not.match(/workers/);
    expect(two.backend.label).to.match(/, 2 workers$/);
    // Each row's link carries its own settings, cpuworkers included; everything else is the same.
    const unlinked = (rows: typeof one.rows) => rows.map((r) => ({ ...r, hash: r.hash.replace(/&cpuworkers=\d/, '') }));
    expect(two.rows[0]!.hash).to.contain('cpuworkers=2');
    expect(unlinked(two.rows)).to.deep.equal(unlinked(one.rows));
    expect(two.curves).to.deep.equal(one.curves);
    expect(two.test).to.deep.equal(one.test);
  });

  it('a pooled sweep cancels like any job, keeping what it trained', async () => {
    const running = client.runSweep({ ...MOONS, epochs: 4000, cpuWorkers: 2 }, SWEEP, null, undefined, 77);
    await client.cancelJob(77);
    const r = await running;
    expect(r.cancelled).to.equal(true);
    expect(r.rows).to.have.length(8);
  });
});
