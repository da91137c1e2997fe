import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, DEFAULT_REMEDIES, type ExperimentConfig } from '../../src/config/experiment.ts';
import { GAN_PREVIEW_IMAGES } from '../../src/train/gan-oversample.ts';
import { Session } from '../../src/train/session.ts';
import { testGpu } from '../helpers/gpu.ts';
import { rejection } from '../helpers/async.ts';
import { MnistAssets } from '../../src/worker/assets.ts';

const MNIST_ASSETS = new MnistAssets(new URL('/dist/data/', location.origin));

/** 800 MNIST images with class 9 at 0.3 of class 0's share. */
const IMBALANCED_MNIST: ExperimentConfig = {
  ...DEFAULT_EXPERIMENT,
  dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'mnist', size: 800, imbalance: 0.3 },
  hidden: [{ units: 16, activation: 'relu' }],
  batchSize: 64,
  backend: 'webgpu',
  seed: 4,
};

const counts = (s: Session) => {
  const c = new Array<number>(10).fill(0);
  for (const r of s.data.splits.train) c[s.data.table.labels[r]!]!++;
  return c;
};

describe('GAN oversampling of the minority class (MNIST)', () => {
  it("trains a GAN on the minority class's training images and fills that class up to the largest with its samples, training split only", async () => {
    const plain = await Session.create(IMBALANCED_MNIST, testGpu, null, MNIST_ASSETS.source);
    const cfg = { ...IMBALANCED_MNIST, remedies: { ...DEFAULT_REMEDIES, ganOversample: { iterations: 30 } } };
    const s = await Session.create(cfg, testGpu, null, MNIST_ASSETS.source);
    const before = counts(plain);
    const report = s.info.synthetic!;
    expect(report.classIndex).to.equal(9);
    expect(report.real).to.equal(before[9]);
    expect(report.added).to.equal(Math.max(...before) - before[9]!);
    expect(report.backend).to.equal('webgpu');
    const after = counts(s);
    expect(after[9]).to.equal(Math.max(...before));
    expect(after.slice(0, 9)).to.deep.equal(before.slice(0, 9));
    expect([...s.data.splits.validation]).to.deep.equal([...plain.data.splits.validation]);
    expect([...s.data.splits.test]).to.deep.equal([...plain.data.splits.test]);
    const rows = plain.data.table.labels.length;
    const synthetic = s.data.dataset.features.subarray(rows * 784);
    expect(synthetic.length).to.equal(report.added * 784);
    expect(synthetic.every((v) => v >= 0 && v <= 1)).to.equal(true);
    expect([...synthetic.subarray(0, 784)]).to.not.deep.equal([...synthetic.subarray(784, 1568)]);
    expect(report.preview.length).to.equal(Math.min(report.added, GAN_PREVIEW_IMAGES) * 784);
    expect([...s.data.dataset.targets.subarray(rows)].every((t) => t === 9)).to.equal(true);
    await s.trainer.trainEpochs(1);
    [plain, s].forEach((x) => x.dispose());
  });

  it('is refused on data that is not images', async () => {
    const e = await rejection(Session.create({ ...DEFAULT_EXPERIMENT, remedies: { ...DEFAULT_REMEDIES, ganOversample: { iterations: 10 } } }, testGpu));
    expect(e.message).to.contain('28×28');
  });
});
