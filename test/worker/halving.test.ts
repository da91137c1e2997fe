// Successive halving through the engine worker, as the page's sweep runner calls it: progress in
// model-epochs, a finished result with rungs and budget, a cancel that keeps what was trained, and
// a plan the engine refuses rejecting with a message that names the limit.
import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import type { SweepConfig } from '../../src/config/sweep.ts';
import type { SweepProgress } from '../../src/train/sweep.ts';
import { EngineClient } from '../../src/worker/client.ts';
import { rejection, waitFor } from '../helpers/async.ts';

const WORKER = new URL('../../src/worker/worker.ts', import.meta.url);

const IRIS: ExperimentConfig = { ...DEFAULT_EXPERIMENT, hidden: [{ units: 8, activation: 'relu' }], batchSize: 16, epochs: 9, seed: 3, backend: 'cpu' };
const HALVING: SweepConfig = {
  mode: 'halving',
  budget: 16,
  seed: 1,
  metric: 'accuracy',
  lr: { min: 1e-3, max: 1, steps: 4 },
  replicates: 1,
  eta: 3,
  minEpochs: 1,
};

describe('successive halving in the worker', () => {
  let client: EngineClient;
  before(() => (client = EngineClient.start(WORKER)));
  after(() => client.terminate());

  it('runs the rungs with progress in model-epochs and returns rows, rungs, best, test score and budget', async () => {
    const progress: SweepProgress[] = [];
    const r = await client.runHalving(IRIS, HALVING, null, (p) => progress.push(p), 301);
    expect(r.rungs.map((g) => [g.epochs, g.configurations])).to.deep.equal([
      [1, 4],
      [3, 2],
      [9, 1],
    ]);
    expect(r.budget).to.deep.equal({ used: 4 * 1 + 2 * 2 + 1 * 6, planned: 14, full: 36 });
    expect(r.rows.map((row) => row.rung).sort()).to.deep.equal([0, 0, 1, 2]);
    expect(r.rows[r.best!]!.pruned).to.equal(false);
    expect(r.rows[r.best!]!.rungMetrics).to.have.length(3);
    expect(r.test).to.not.equal(null);
    expect(r.cancelled).to.equal(false);
    // Progress calls cross the thread boundary on their own: the last may arrive after the result.
    await waitFor('the last progress call', () => progress.at(-1)?.epochs === 14, 10_000);
    expect(progress.at(-1)).to.deep.include({ epochs: 14, totalEpochs: 14 });
  });

  it('a cancelled run resolves with what it trained, marked cancelled, without a test score', async () => {
    const long = { ...IRIS, epochs: 3000 };
    let seen = 0;
    const running = client.runHalving(long, { ...HALVING, minEpochs: 1000 }, null, (p) => (seen = p.epochs), 302);
    await waitFor('some epochs trained', () => seen > 0, 60_000);
    await client.cancelJob(302);
    const r = await running;
    expect(r.cancelled).to.equal(true);
    expect(r.test).to.equal(null);
    expect(r.budget.used).to.be.above(0).and.below(r.budget.planned);
  });

  it('a plan the engine refuses rejects with a message naming the limit', async () => {
    const error = await rejection(client.runHalving(IRIS, { ...HALVING, minEpochs: 9 }, null, undefined, 303));
    expect(error.message).to.match(/sweep\.minEpochs.*leaves one rung/);
  });
});
