import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, DEFAULT_REMEDIES, type ExperimentConfig, type RemediesConfig } from '../../src/config/experiment.ts';
import type { BackendSetup } from '../../src/train/training-backend.ts';
import { BatchSchedule } from '../../src/train/schedule.ts';
import { Session } from '../../src/train/session.ts';
import { testGpu } from '../helpers/gpu.ts';

/** Moons with one class at a tenth of the other's size, a small tanh net, ten epochs. */
const IMBALANCED: ExperimentConfig = {
  ...DEFAULT_EXPERIMENT,
  backend: 'cpu',
  dataset: { name: 'moons', size: 1000, noise: 0.3, imbalance: 0.1, classes: 2 },
  hidden: [{ units: 8, activation: 'tanh' }],
  optimizer: { ...DEFAULT_EXPERIMENT.optimizer, learningRate: 0.01 },
  epochs: 10,
  seed: 3,
};

const withRemedies = (cfg: ExperimentConfig, patch: Partial<RemediesConfig>): ExperimentConfig => ({ ...cfg, remedies: { ...DEFAULT_REMEDIES, ...patch } });

/** Recall of class 1 (the minority) over the validation and test rows after training. */
async function minorityRecall(cfg: ExperimentConfig): Promise<number> {
  const s = await Session.create(cfg, testGpu);
  await s.trainer.trainEpochs(cfg.epochs);
  const rows = Uint32Array.from([...s.data.splits.validation, ...s.data.splits.test]);
  const r = await s.backend.evaluate(rows);
  let support = 0;
  let hits = 0;
  rows.forEach((row, i) => {
    if (s.data.table.labels[row] !== 1) return;
    support++;
    if (r.outputs[i * 2 + 1]! > r.outputs[i * 2]!) hits++;
  });
  s.dispose();
  return hits / support;
}

describe('remedies against class imbalance', () => {
  it('balanced class weights and random oversampling each raise the minority recall (same seed)', async () => {
    const baseline = await minorityRecall(IMBALANCED);
    const weighted = await minorityRecall(withRemedies(IMBALANCED, { classWeights: 'balanced' }));
    const oversampled = await minorityRecall(withRemedies(IMBALANCED, { resample: 'oversample' }));
    expect(baseline).to.be.below(0.7);
    expect(weighted).to.be.above(baseline + 0.2);
    expect(oversampled).to.be.above(baseline + 0.2);
  });

  it('class weights come from the training labels only; manual weights of the wrong length are refused', async () => {
    const s = await Session.create(withRemedies(IMBALANCED, { classWeights: 'balanced' }), testGpu);
    const labels = [...s.data.splits.train].map((r) => s.data.table.labels[r]!);
    const n1 = labels.filter((l) => l === 1).length;
    const weights = (s as unknown as { setup: { classWeights: Float32Array } }).setup.classWeights;
    expect(weights[1]).to.be.closeTo(labels.length / (2 * n1), 1e-5);
    s.dispose();
    const refused = await Session.create(withRemedies(IMBALANCED, { classWeights: [1, 2, 3] }), testGpu).then(
      () => null,
      (e: Error) => e,
    );
    expect(refused?.message).to.contain('one entry per class');
  });

  it('oversampling sets the steps per epoch from the resampled length, and save/restore repeats the batches', () => {
    const labels = Uint32Array.from({ length: 40 }, (_, i) => (i < 30 ? 0 : 1));
    const train = Uint32Array.from({ length: 40 }, (_, i) => i);
    const options = { resample: { mode: 'oversample' as const, labels, classes: 2 } };
    const schedule = new BatchSchedule(train, 16, 7, options);
    expect(schedule.stepsPerEpoch).to.equal(Math.ceil(60 / 16));
    schedule.next(2);
    const saved = schedule.save();
    const ahead = [schedule.next(5), schedule.next(5)].map((c) => [...c.chunk.batchIndices]);
    schedule.restore(saved);
    expect([schedule.next(5), schedule.next(5)].map((c) => [...c.chunk.batchIndices])).to.deep.equal(ahead);
    const epoch = new BatchSchedule(train, 60, 7, options).next(1).chunk;
    const minority = [...epoch.batchIndices].filter((r) => labels[r] === 1).length;
    expect(minority).to.equal(30);
  });

  it('without remedies the schedule is exactly the plain one', async () => {
    const train = Uint32Array.from({ length: 25 }, (_, i) => i * 2);
    const a = new BatchSchedule(train, 4, 9);
    const b = new BatchSchedule(train, 4, 9, { resample: { mode: 'none', labels: new Uint32Array(50), classes: 1 } });
    for (let i = 0; i < 20; i++) expect([...a.next(3).chunk.batchIndices]).to.deep.equal([...b.next(3).chunk.batchIndices]);
  });
});

describe('early stopping', () => {
  const OVERFIT: ExperimentConfig = {
    ...IMBALANCED,
    dataset: { name: 'moons', size: 200, noise: 0.3, imbalance: 1, classes: 2 },
    hidden: [
      { units: 64, activation: 'relu' },
      { units: 64, activation: 'relu' },
    ],
    optimizer: { ...DEFAULT_EXPERIMENT.optimizer, learningRate: 0.03 },
    validationSplit: 0.6,
    epochs: 300,
    seed: 4,
  };
  const ES = withRemedies(OVERFIT, { earlyStopping: { monitor: 'validation_loss', patience: 5, minDelta: 0, restoreBest: true } });

  for (const backend of ['cpu', 'webgpu'] as const) {
    it(`stops, reports the stop and best epochs, and restores the best epoch's weights bit for bit (${backend})`, async () => {
      const s = await Session.create({ ...ES, backend }, testGpu);
      const records = await s.trainer.trainEpochs(300);
      const stop = s.trainer.earlyStop!;
      expect(stop).to.not.equal(null);
      expect(stop.stoppedEpoch).to.equal(records.length).and.be.below(300);
      expect(stop.stoppedEpoch - stop.bestEpoch).to.equal(5);
      expect(records.at(-1)!.stoppedEpoch).to.equal(stop.stoppedEpoch);
      expect(records.at(-1)!.bestEpoch).to.equal(stop.bestEpoch);
      const best = records[stop.bestEpoch - 1]!;
      expect(records.every((r) => r.validationLoss! >= best.validationLoss!)).to.equal(true);
      const restored = await s.snapshot();
      // A twin run without early stopping, stopped at the best epoch, is the snapshot to match.
      const twin = await Session.create({ ...OVERFIT, backend }, testGpu);
      await twin.trainer.trainEpochs(stop.bestEpoch);
      const want = await twin.snapshot();
      expect(restored.length).to.equal(want.length);
      expect(restored.every((v, i) => Object.is(v, want[i]))).to.equal(true);
      const again = await s.evaluate('validation');
      expect(again.loss).to.be.closeTo(best.validationLoss!, 1e-5);
      expect(await s.trainer.trainEpochs(10)).to.deep.equal([]);
      s.dispose();
      twin.dispose();
    });
  }

  it('needs a validation split', async () => {
    const e = await Session.create({ ...ES, validationSplit: 0 }, testGpu).then(
      () => null,
      (x: Error) => x,
    );
    expect(e?.message).to.contain('validation');
  });
});

describe('learning-rate schedules and jitter', () => {
  it('a step schedule multiplies the live base rate per epoch', async () => {
    const s = await Session.create(withRemedies({ ...IMBALANCED, batchSize: 'full' }, { lrSchedule: { kind: 'step', every: 2, factor: 0.5 } }), testGpu);
    // Full batch: one step per epoch, so the rates the steps ran with are the rates per epoch.
    const seen: number[] = [];
    const batch = s.backend.batch;
    const run = batch.runSteps.bind(batch);
    batch.runSteps = (chunk) => {
      chunk.learningRates!.forEach((rate, i) => chunk.rows[i] && seen.push(rate));
      return run(chunk);
    };
    await s.trainer.trainEpochs(4);
    expect(seen).to.deep.equal([0.01, 0.01, 0.005, 0.005]);
    s.trainer.setOptimizer({ ...IMBALANCED.optimizer, learningRate: 0.1 });
    await s.trainer.trainEpochs(3);
    expect(seen.slice(4)).to.deep.equal([0.025, 0.025, 0.0125]);
    s.dispose();
  });

  it('jitter augments training batches only, from the seed and step: same link, same curve; evaluation untouched', async () => {
    const cfg = withRemedies(IMBALANCED, { jitter: 0.1 });
    const [a, b, plain] = [await Session.create(cfg, testGpu), await Session.create(cfg, testGpu), await Session.create(IMBALANCED, testGpu)];
    const setup = (a as unknown as { setup: BackendSetup }).setup;
    expect(setup.augment).to.deep.equal({ kind: 'jitter', sigma: 0.1, seed: IMBALANCED.seed });
    expect(setup.data.features).to.equal(a.data.dataset.features);
    const la = (await a.trainer.trainEpochs(2)).map((r) => r.trainLoss);
    expect((await b.trainer.trainEpochs(2)).map((r) => r.trainLoss)).to.deep.equal(la);
    expect((await plain.trainer.trainEpochs(2)).map((r) => r.trainLoss)).to.not.deep.equal(la);
    const rows = a.data.splits.test;
    const params = await a.backend.readParams();
    await Promise.all([a.backend.writeParams(params), plain.backend.writeParams(params)]);
    expect([...(await a.backend.evaluate(rows)).outputs]).to.deep.equal([...(await plain.backend.evaluate(rows)).outputs]);
    [a, b, plain].forEach((x) => x.dispose());
  });

  it('image augmentation is refused on data that is not 28×28 images', async () => {
    const e = await Session.create(withRemedies(IMBALANCED, { imageAugment: { maxShift: 2, maxAngleDeg: 10, maxZoom: 0.1 } }), testGpu).catch((x: Error) => x);
    expect((e as Error).message).to.contain('28×28');
  });
});
