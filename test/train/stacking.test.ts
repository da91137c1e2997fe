import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, DEFAULT_REMEDIES, type ExperimentConfig } from '../../src/config/experiment.ts';
import { loadExperimentData } from '../../src/data/load.ts';
import { JobCancelledError } from '../../src/train/multi-run.ts';
import { stack, type BaseLearner } from '../../src/train/stacking.ts';
import { testGpu } from '../helpers/gpu.ts';

const SPIRAL: ExperimentConfig = {
  ...DEFAULT_EXPERIMENT,
  dataset: { name: 'spiral', size: 180, noise: 0.15, imbalance: 1, classes: 3 },
  optimizer: { ...DEFAULT_EXPERIMENT.optimizer, learningRate: 0.03 },
  batchSize: 16,
  epochs: 6,
  seed: 4,
  backend: 'cpu',
};
const LEARNERS: BaseLearner[] = [
  { hidden: [{ units: 8, activation: 'tanh' }] },
  { hidden: [{ units: 6, activation: 'relu' }], optimizer: { ...DEFAULT_EXPERIMENT.optimizer, kind: 'sgd', learningRate: 0.1 } },
];

describe('stacking driver', () => {
  it('trains k fold models and a full-data model per learner, then the meta-learner on out-of-fold probabilities; a rerun gives the same bits', async () => {
    const data = await loadExperimentData(SPIRAL);
    const result = await stack(SPIRAL, testGpu, data, { learners: LEARNERS, k: 3 });
    const pool = data.splits.train.length + data.splits.validation.length;
    expect(result.outOfFold.length).to.equal(pool * 2 * 3);
    // Every row's block of each learner is a probability distribution: every row was predicted once.
    for (let r = 0; r < pool; r++)
      for (let m = 0; m < 2; m++) {
        const block = result.outOfFold.subarray(r * 6 + m * 3, r * 6 + m * 3 + 3);
        expect(block.reduce((s, p) => s + p, 0)).to.be.closeTo(1, 1e-5);
      }
    for (const s of [...result.learners, result.average, result.stack]) {
      expect(s.accuracy).to.be.within(0, 1);
      expect(s.macroF1).to.be.within(0, 1);
    }
    expect(result.learners.length).to.equal(2);
    const again = await stack(SPIRAL, testGpu, data, { learners: LEARNERS, k: 3 });
    expect(again).to.deep.equal(result);
  });

  it('reports each batch trained and cancels between submits', async () => {
    const data = await loadExperimentData(SPIRAL);
    const seen: string[] = [];
    await stack(SPIRAL, testGpu, data, { learners: LEARNERS, k: 3 }, { onProgress: (done, total) => seen.push(`${done}/${total}`) });
    expect(seen).to.deep.equal(['1/3', '2/3', '3/3']);
    let done = 0;
    const cancelled = stack(SPIRAL, testGpu, data, { learners: LEARNERS, k: 3 }, { onProgress: () => done++, shouldStop: () => done >= 1 });
    await cancelled.then(
      () => expect.fail('a cancelled stacking run resolved'),
      (e: Error) => expect(e).to.be.instanceOf(JobCancelledError),
    );
    expect(done).to.equal(1);
  });

  it('refuses bad settings with a message', async () => {
    const data = await loadExperimentData(SPIRAL);
    const refused = (p: Promise<unknown>, pattern: RegExp) =>
      p.then(
        () => expect.fail(`accepted, want ${pattern}`),
        (e: Error) => expect(e.message).to.match(pattern),
      );
    await refused(stack(SPIRAL, testGpu, data, { learners: [], k: 3 }), /1 to 8 base learners/);
    await refused(stack(SPIRAL, testGpu, data, { learners: Array(9).fill(LEARNERS[0]), k: 3 }), /1 to 8 base learners/);
    await refused(stack(SPIRAL, testGpu, data, { learners: LEARNERS, k: 1 }), /k must be/);
    const tiny = await loadExperimentData({ ...SPIRAL, dataset: { ...SPIRAL.dataset, size: 30 } });
    await refused(stack(SPIRAL, testGpu, tiny, { learners: LEARNERS, k: 20 }), /class \d has \d+; lower k/);
    const stopping = {
      ...SPIRAL,
      remedies: { ...DEFAULT_REMEDIES, earlyStopping: { monitor: 'validation_loss' as const, patience: 2, minDelta: 0, restoreBest: true as const } },
    };
    await refused(stack(stopping, testGpu, data, { learners: LEARNERS, k: 3 }), /early stopping/);
  });

  it('passes the original features to the meta-learner when asked, after the probabilities', async () => {
    const data = await loadExperimentData(SPIRAL);
    const without = await stack(SPIRAL, testGpu, data, { learners: LEARNERS, k: 3 });
    const withFeatures = await stack(SPIRAL, testGpu, data, { learners: LEARNERS, k: 3, passFeatures: true });
    expect(without.metaInputs).to.equal(2 * 3);
    expect(withFeatures.metaInputs).to.equal(2 * 3 + data.dataset.inputSize);
    // Only the meta-learner changes: the base learners, their soft vote and the out-of-fold matrix do not.
    expect(withFeatures.learners).to.deep.equal(without.learners);
    expect(withFeatures.average).to.deep.equal(without.average);
    expect(withFeatures.outOfFold).to.deep.equal(without.outOfFold);
    expect(withFeatures.stack.accuracy).to.be.within(0, 1);
    expect(await stack(SPIRAL, testGpu, data, { learners: LEARNERS, k: 3, passFeatures: true })).to.deep.equal(withFeatures);
  });

  it('refuses a base learner that diverges with a message naming it', async () => {
    const data = await loadExperimentData(SPIRAL);
    const wild: BaseLearner = { hidden: [{ units: 8, activation: 'relu' }], optimizer: { ...DEFAULT_EXPERIMENT.optimizer, kind: 'sgd', learningRate: 1e6 } };
    const e = await stack(SPIRAL, testGpu, data, { learners: [LEARNERS[0]!, wild], k: 3 }).then(
      () => null,
      (err: Error) => err,
    );
    expect(e?.message).to.match(/^Base learner 2 diverged .*lower its learning rate/);
  });

  it('reports epochs over every model, finer than batches', async () => {
    const data = await loadExperimentData(SPIRAL);
    const seen: [number, number][] = [];
    await stack(SPIRAL, testGpu, data, { learners: LEARNERS, k: 3 }, { onEpochs: (done, total) => seen.push([done, total]) });
    // Two learners of 4 models each at 6 epochs, then the meta-learner's 6.
    expect(seen.at(-1)).to.deep.equal([54, 54]);
    expect(seen.length).to.be.greaterThan(3);
    expect(seen.every(([d], i) => i === 0 || d >= seen[i - 1]![0])).to.equal(true);
  });
});
