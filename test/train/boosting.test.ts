import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import { ConfigError } from '../../src/config/errors.ts';
import { loadExperimentData } from '../../src/data/load.ts';
import { boost } from '../../src/train/boosting.ts';
import { sammePredict, sammeRound, uniformWeights } from '../../src/train/samme.ts';
import { testGpu } from '../helpers/gpu.ts';
import { expectClose } from '../helpers/tolerance.ts';

/** A weak learner: two tanh units for eight epochs on noisy moons, on the CPU. */
const WEAK: ExperimentConfig = {
  ...DEFAULT_EXPERIMENT,
  dataset: { name: 'moons', size: 160, noise: 0.3, imbalance: 1, classes: 2 },
  hidden: [{ units: 2, activation: 'tanh' }],
  optimizer: { ...DEFAULT_EXPERIMENT.optimizer, learningRate: 0.05 },
  batchSize: 16,
  epochs: 8,
  seed: 3,
  backend: 'cpu',
};

describe('boosting driver', () => {
  it('each round’s vote and the next weights are SAMME’s on that round’s predictions, and a rerun gives the same bits', async () => {
    const data = await loadExperimentData(WEAK);
    const result = await boost(WEAK, testGpu, data, { rounds: 4, shrinkage: 0.5 });
    expect(result.rounds.length).to.be.at.least(2);
    const train = data.splits.train;
    const labels = train.map((i) => data.table.labels[i]!);
    let weights = uniformWeights(train.length);
    result.predictions.forEach((pred, m) => {
      const r = sammeRound(
        weights,
        train.map((i) => pred[i]!),
        labels,
        2,
        0.5,
        m,
      );
      expect(result.rounds[m]!.outcome).to.equal(r.outcome);
      expectClose([result.rounds[m]!.error, result.rounds[m]!.alpha], [r.error, r.alpha], 0, 0, `round ${m + 1}`);
      weights = r.weights;
    });
    if (result.rounds.length === result.predictions.length) expectClose(result.weights, weights, 0, 0, 'final weights');
    // Later rounds train on different weights, so they are different networks.
    expect([...result.predictions[1]!]).not.to.deep.equal([...result.predictions[0]!]);
    const votes = sammePredict(result.predictions, result.alphas, data.dataset.rows, 2);
    const test = data.splits.test;
    const last = result.rounds[result.rounds.length - 1]!;
    expect(last.accuracy.test).to.equal(test.filter((i) => votes[i] === data.table.labels[i]).length / test.length);
    const again = await boost(WEAK, testGpu, data, { rounds: 4, shrinkage: 0.5 });
    expect(again.rounds).to.deep.equal(result.rounds);
  });

  it('cancelling keeps the rounds done; bad settings are refused with a message', async () => {
    const data = await loadExperimentData(WEAK);
    let seen = 0;
    const result = await boost(WEAK, testGpu, data, { rounds: 10, shrinkage: 1 }, { onRound: () => seen++, shouldStop: () => seen >= 1 });
    expect(result.cancelled).to.equal(true);
    expect(result.rounds.length).to.equal(1);
    for (const rounds of [0, 51, 2.5]) {
      await boost(WEAK, testGpu, data, { rounds, shrinkage: 1 }).then(
        () => expect.fail(`${rounds} rounds were accepted`),
        (e: Error) => expect(e.message).to.match(/1 to 50 rounds/),
      );
    }
    await boost(WEAK, testGpu, data, { rounds: 3, shrinkage: 0 }).then(
      () => expect.fail('a shrinkage of 0 was accepted'),
      (e: Error) => expect(e.message).to.match(/shrinkage/),
    );
    const regression: ExperimentConfig = { ...WEAK, task: 'regression' };
    await boost(regression, testGpu, data, { rounds: 3, shrinkage: 1 }).then(
      () => expect.fail('regression was accepted'),
      (e: Error) => expect(e).to.be.instanceOf(ConfigError),
    );
  });

  it('a network that diverges is left out and stops boosting with the reason; 2-D rounds keep their weights and boundaries', async () => {
    const data = await loadExperimentData(WEAK);
    const wild: ExperimentConfig = { ...WEAK, hidden: [{ units: 8, activation: 'relu' }], optimizer: { ...WEAK.optimizer, kind: 'sgd', learningRate: 1e6 } };
    const r = await boost(wild, testGpu, data, { rounds: 5, shrinkage: 1 });
    expect(r.rounds.map((x) => x.outcome)).to.deep.equal(['diverged']);
    expect(r.alphas).to.deep.equal([]);
    expect(r.message).to.equal("Round 1's network diverged, so it is left out and boosting stops here.");
    expect(r.rounds[0]!.view!.boundaries).to.equal(null);
    const ok = await boost(WEAK, testGpu, data, { rounds: 2, shrinkage: 1 });
    for (const round of ok.rounds) {
      const w = round.view!.weights;
      // Mean 1 over the training rows, 0 elsewhere.
      expect([...data.splits.train].reduce((s, i) => s + w[i]!, 0) / data.splits.train.length).to.be.closeTo(1, 1e-5);
      expect([...data.splits.test].every((i) => w[i] === 0)).to.equal(true);
    }
  });
});
