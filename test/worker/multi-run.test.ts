import { expect } from '@esm-bundle/chai';
import { waitFor } from '../helpers/async.ts';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import { predictedClasses } from '../../src/metrics/confusion.ts';
import { averageProbabilities } from '../../src/train/ensemble.ts';
import { ENSEMBLE_BOUNDARY_RESOLUTION } from '../../src/train/multi-run.ts';
import { EngineClient } from '../../src/worker/client.ts';

const WORKER = new URL('../../src/worker/worker.ts', import.meta.url);

const MOONS: ExperimentConfig = {
  ...DEFAULT_EXPERIMENT,
  dataset: { name: 'moons', size: 240, noise: 0.2, imbalance: 0.5, classes: 2 },
  hidden: [{ units: 16, activation: 'tanh' }],
  optimizer: { ...DEFAULT_EXPERIMENT.optimizer, learningRate: 0.02 },
  epochs: 15,
  seed: 11,
};

describe('multi-run jobs in the worker', () => {
  let client: EngineClient;
  before(() => (client = EngineClient.start(WORKER)));
  after(() => client.terminate());

  it('cross-validates k folds with finite per-fold scores and mean ± std', async () => {
    const progress: number[] = [];
    const cv = await client.crossValidate(MOONS, 3, true, null, (done) => progress.push(done));
    expect(cv.folds).to.have.length(3);
    for (const f of cv.folds) {
      for (const v of [f.loss, f.accuracy, f.macroF1]) expect(Number.isFinite(v)).to.equal(true);
      expect(f.accuracy).to.be.within(0.5, 1);
      expect(f.epochs).to.equal(15);
    }
    const mean = cv.folds.reduce((s, f) => s + f.accuracy, 0) / 3;
    expect(cv.summary.accuracy.mean).to.be.closeTo(mean, 1e-12);
    expect(Number.isFinite(cv.summary.macroF1.std)).to.equal(true);
    // The 3 folds train together: progress counts their epochs, 45 in all. Progress travels on the
    // callback's own message port, so its last calls may land after the result: wait for them.
    await waitFor('the last progress call', () => progress.at(-1) === 45, 10_000);
    expect(progress.every((p, i) => i === 0 || p > progress[i - 1]!)).to.equal(true);
    const bad = await client.crossValidate(MOONS, 1, false).then(
      () => null,
      (e: Error) => e,
    );
    expect(bad?.message).to.contain('k must be');
  });

  for (const mode of ['seeds', 'bootstrap'] as const) {
    it(`an ensemble (${mode}) reports each member, and its accuracy is that of the averaged probabilities`, async () => {
      const r = await client.trainEnsemble(MOONS, 3, mode);
      expect(r.members.map((m) => m.seed)).to.deep.equal([11, 12, 13]);
      expect(r.split).to.equal('test');
      const rows = r.labels.length;
      const avg = averageProbabilities(r.outputs, rows, r.classes);
      expect([...r.averaged]).to.deep.equal([...avg]);
      const pred = predictedClasses(avg, rows, r.classes);
      expect(r.accuracy).to.equal(pred.filter((p, i) => p === r.labels[i]).length / rows);
      r.members.forEach((m, k) => {
        const own = predictedClasses(r.outputs[k]!, rows, r.classes);
        expect(m.accuracy).to.equal(own.filter((p, i) => p === r.labels[i]).length / rows);
      });
      expect(r.voteAccuracy).to.be.within(0, 1);
      if (mode === 'seeds') expect(new Set(r.members.map((m) => m.loss)).size).to.equal(3);
      // Each member's decision boundary, and the ensemble's from the averaged probabilities: with
      // two classes, a cell where every member agrees goes to the ensemble the same way.
      const b = r.boundaries!;
      const cells = ENSEMBLE_BOUNDARY_RESOLUTION ** 2;
      expect(b.members).to.have.length(3);
      for (const g of [...b.members, b.ensemble]) expect(g.classes.length).to.equal(cells);
      let agreed = 0;
      for (let i = 0; i < cells; i++) {
        const first = b.members[0]!.classes[i]!;
        if (b.members.every((g) => g.classes[i] === first)) {
          agreed++;
          expect(b.ensemble.classes[i]).to.equal(first);
        }
      }
      expect(agreed).to.be.above(cells / 2);
      expect(
        b.members.some((g) => g.classes.some((c, i) => c !== b.members[0]!.classes[i]) || g.confidence.some((v, i) => v !== b.members[0]!.confidence[i])),
      ).to.equal(true);
    });
  }

  it('races optimizers on the same net and seed', async () => {
    const race = await client.raceOptimizers({ ...MOONS, epochs: 5 }, ['sgd', 'adam']);
    expect(race.map((e) => e.optimizer)).to.deep.equal(['sgd', 'adam']);
    for (const e of race) expect(e.history.map((h) => h.epoch)).to.deep.equal([1, 2, 3, 4, 5]);
    expect(race[0]!.history[0]!.trainLoss).to.not.equal(race[1]!.history[0]!.trainLoss);
  });
});
