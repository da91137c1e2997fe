import { expect } from '@esm-bundle/chai';
import { waitFor } from '../helpers/async.ts';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import { BOOSTING_BOUNDARY_RESOLUTION } from '../../src/train/boosting-view.ts';
import { sammeAlpha } from '../../src/train/samme.ts';
import type { BoostingEvent, BoostingRound } from '../../src/worker/api.ts';
import { EngineClient } from '../../src/worker/client.ts';

const WORKER = new URL('../../src/worker/worker.ts', import.meta.url);

// Noisy moons and a weak learner of 4 tanh units trained 8 epochs: each round errs on some rows.
const MOONS: ExperimentConfig = {
  ...DEFAULT_EXPERIMENT,
  dataset: { name: 'moons', size: 160, noise: 0.3, imbalance: 1, classes: 2 },
  hidden: [{ units: 4, activation: 'tanh' }],
  optimizer: { ...DEFAULT_EXPERIMENT.optimizer, learningRate: 0.02 },
  batchSize: 16,
  epochs: 8,
  seed: 5,
  backend: 'cpu',
};
const SPIRAL: ExperimentConfig = { ...MOONS, dataset: { name: 'spiral', size: 150, noise: 0.15, imbalance: 1, classes: 3 }, epochs: 6 };
const LEARNERS = [
  { hidden: [{ units: 8, activation: 'tanh' as const }] },
  { hidden: [{ units: 6, activation: 'relu' as const }], optimizer: { ...MOONS.optimizer, kind: 'sgd' as const, learningRate: 0.1 } },
];

describe('boosting and stacking in the worker', () => {
  let client: EngineClient;
  before(() => (client = EngineClient.start(WORKER)));
  after(() => client.terminate());

  it('boosts on the CPU: rounds stream with SAMME votes, epoch progress, weights and boundaries per round', async () => {
    const events: BoostingEvent[] = [];
    const result = await client.boost(MOONS, { rounds: 3, shrinkage: 0.5 }, null, (e) => events.push(e));
    await waitFor('the last progress call', () => events.some((e) => e.type === 'progress' && e.done === result.rounds.length * 8), 10_000);
    const data = events.find((e) => e.type === 'data');
    expect(data && data.type === 'data' && data.points?.labels.length).to.equal(160);
    const rounds = events.filter((e): e is { type: 'round'; round: BoostingRound } => e.type === 'round').map((e) => e.round);
    expect(rounds.map((r) => r.round)).to.deep.equal(result.rounds.map((r) => r.round));
    expect(result.rounds.length).to.be.within(1, 3);
    for (const r of result.rounds) {
      if (r.outcome === 'kept') expect(r.alpha).to.be.closeTo(sammeAlpha(r.error, 2, 0.5), 1e-12);
      expect(r.view!.weights.length).to.equal(160);
      const cells = BOOSTING_BOUNDARY_RESOLUTION ** 2;
      expect(r.view!.boundaries!.member.classes.length).to.equal(cells);
      expect(r.view!.boundaries!.ensemble.classes.length).to.equal(cells);
    }
    // Round 1 trains on uniform weights (1 on each training row); later rounds on heavier mistakes.
    const first = result.rounds[0]!.view!.weights;
    expect([...first].filter((w) => w > 0).every((w) => Math.abs(w - 1) < 1e-6)).to.equal(true);
    // The first round's ensemble is its own member: both boundaries agree cell for cell.
    expect([...result.rounds[0]!.view!.boundaries!.ensemble.classes]).to.deep.equal([...result.rounds[0]!.view!.boundaries!.member.classes]);
    const progress = events.filter((e) => e.type === 'progress').map((e) => (e.type === 'progress' ? e.done : 0));
    expect(progress.every((p, i) => i === 0 || p > progress[i - 1]!)).to.equal(true);
  });

  it('cancelling boosting mid-run keeps the rounds finished; bad settings reject with a message', async () => {
    let rounds = 0;
    const job = 9101;
    const running = client.boost(
      MOONS,
      { rounds: 50, shrinkage: 1 },
      null,
      (e) => {
        if (e.type === 'round' && ++rounds === 1) void client.cancelJob(job);
      },
      job,
    );
    const result = await running;
    expect(result.cancelled || result.message !== '').to.equal(true);
    expect(result.rounds.length).to.be.at.least(1);
    expect(result.rounds.length).to.be.below(50);
    const bad = await client.boost(MOONS, { rounds: 0, shrinkage: 1 }).then(
      () => null,
      (e: Error) => e,
    );
    expect(bad?.message).to.contain('1 to 50 rounds');
  });

  it('stacks on the CPU with progress in epochs; cancel rejects as cancelled; a fold missing a class is refused', async () => {
    const progress: [number, number][] = [];
    const r = await client.stack(SPIRAL, { learners: LEARNERS, k: 3, passFeatures: true }, null, (d, t) => progress.push([d, t]));
    expect(r.learners).to.have.length(2);
    expect(r.metaInputs).to.equal(2 * 3 + 2);
    for (const s of [...r.learners, r.average, r.stack]) expect(s.accuracy).to.be.within(0, 1);
    // 2 learners × (3 folds + 1) × 6 epochs, then the meta-learner's 6.
    await waitFor('the last progress call', () => progress.at(-1)?.[0] === 54, 10_000);
    expect(progress.length).to.be.above(3);

    const job = 9102;
    let cancelled = false;
    const stopping = client.stack(
      SPIRAL,
      { learners: LEARNERS, k: 3 },
      null,
      () => {
        if (!cancelled) void client.cancelJob(job);
        cancelled = true;
      },
      job,
    );
    const stopped = await stopping.then(
      () => null,
      (e: Error) => e,
    );
    expect(stopped?.name).to.equal('JobCancelledError');

    const tiny = { ...SPIRAL, dataset: { ...SPIRAL.dataset, size: 30 } };
    const missing = await client.stack(tiny, { learners: LEARNERS, k: 20 }).then(
      () => null,
      (e: Error) => e,
    );
    expect(missing?.message).to.match(/lower k/);
  });

  it('boosts on WebGPU too', async () => {
    const result = await client.boost({ ...MOONS, backend: 'webgpu', epochs: 4 }, { rounds: 2, shrinkage: 1 });
    expect(result.rounds.length).to.be.within(1, 2);
    for (const r of result.rounds) {
      expect(r.error).to.be.within(0, 1);
      expect(Number.isFinite(r.alpha)).to.equal(true);
      expect(r.accuracy.test).to.be.within(0, 1);
    }
  });
});
