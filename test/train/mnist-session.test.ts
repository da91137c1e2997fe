import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import { Session } from '../../src/train/session.ts';
import { MnistAssets } from '../../src/worker/assets.ts';
import { testGpu } from '../helpers/gpu.ts';

// `npm test` prepares the compressed MNIST assets into dist/data before the browser tests.
export const MNIST_ASSETS = new MnistAssets(new URL('/dist/data/', location.origin));

const MNIST: ExperimentConfig = {
  ...DEFAULT_EXPERIMENT,
  dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'mnist', size: 3000 },
  hidden: [{ units: 64, activation: 'relu' }],
  batchSize: 64,
  backend: 'webgpu',
};

describe('MNIST in the classification engine', () => {
  it('loads the assets once with progress, and trains a small net to ≥ 0.88 on the official test set', async () => {
    const stages: string[] = [];
    const stop = MNIST_ASSETS.listen((_l, _t, stage) => stages.push(stage));
    const session = await Session.create(MNIST, testGpu, null, MNIST_ASSETS.source);
    stop();
    expect(stages).to.include('done');
    expect(session.info.rows.test).to.equal(10000);
    expect(session.info.rows.train + session.info.rows.validation).to.equal(3000);
    expect(session.info.classNames).to.deep.equal(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    await session.trainer.trainEpochs(4);
    const test = await session.evaluate('test');
    console.log(`MNIST 3,000 images, 784→64→10, 4 epochs: test accuracy ${(test.correct / test.rows).toFixed(4)}`);
    expect(test.correct / test.rows).to.be.at.least(0.88);
    // Pixels stay in [0, 1]: no per-pixel standardization for images.
    const f = session.data.dataset.features;
    expect(Math.min(...f.subarray(0, 784 * 5))).to.equal(0);
    expect(Math.max(...f.subarray(0, 784 * 5))).to.be.at.most(1);
    session.dispose();
  });
});
