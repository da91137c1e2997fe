import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import { decodeHash, encodeHash } from '../../src/config/url.ts';
import { expandFeatures, validateFeatures } from '../../src/data/features.ts';
import { loadExperimentData } from '../../src/data/load.ts';
import { DEFAULT_OPTIMIZER } from '../../src/nn/optimizer.ts';
import { Session } from '../../src/train/session.ts';
import { testGpu } from '../helpers/gpu.ts';

const CIRCLES: ExperimentConfig = {
  ...DEFAULT_EXPERIMENT,
  dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'circles', size: 400, noise: 0.05 },
  hidden: [],
  optimizer: { ...DEFAULT_OPTIMIZER, kind: 'adam', learningRate: 0.05 },
  batchSize: 32,
  epochs: 60,
  seed: 11,
  backend: 'cpu',
};

async function testAccuracy(config: ExperimentConfig): Promise<number> {
  const session = await Session.create(config, testGpu);
  await session.trainer.trainEpochs(config.epochs);
  const r = await session.evaluate('test');
  session.dispose();
  return r.correct / r.rows;
}

describe('Input features of 2-D data', () => {
  it("TensorFlow Playground's lesson: no hidden layer and x1, x2 stay near chance on circles; with x1² and x2² the classes separate", async () => {
    const plain = await testAccuracy(CIRCLES);
    const squared = await testAccuracy({ ...CIRCLES, features: ['x1', 'x2', 'x1sq', 'x2sq'] });
    console.log(`circles, no hidden layer: x1,x2 → ${plain.toFixed(3)}; + x1², x2² → ${squared.toFixed(3)}`);
    expect(plain).to.be.below(0.7);
    expect(squared).to.be.above(0.95);
  });

  it('computes each feature of each point, in float32, and the model sees them standardized', async () => {
    expect([...expandFeatures([2, -3], 1, ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'])]).to.deep.equal(
      [2, -3, 4, 9, -6, Math.sin(2), Math.sin(-3)].map(Math.fround),
    );
    const data = await loadExperimentData({ ...CIRCLES, features: ['x1x2', 'sinx1'] });
    expect(data.dataset.inputSize).to.equal(2);
    expect(data.featureNames).to.deep.equal(['x₁·x₂', 'sin(x₁)']);
    expect(data.table.inputSize, 'the plotted points stay the raw plane').to.equal(2);
    const r = data.splits.train[0]!;
    const [x1, x2] = [data.table.features[2 * r]!, data.table.features[2 * r + 1]!];
    const { mean, std } = data.standardizer;
    expect(data.dataset.features[2 * r]).to.be.closeTo((Math.fround(x1 * x2) - mean[0]!) / std[0]!, 1e-5);
  });

  it('travel in the link, in canonical order, and bad lists keep the default with a message', () => {
    const config = { ...CIRCLES, features: validateFeatures(['x2sq', 'x1']) };
    expect(config.features).to.deep.equal(['x1', 'x2sq']);
    const hash = encodeHash(config);
    expect(hash).to.contain('features=x1,x2sq');
    expect(decodeHash(hash).config.features).to.deep.equal(['x1', 'x2sq']);
    expect(encodeHash({ ...CIRCLES, features: ['x1', 'x2'] })).to.not.contain('features=');
    for (const bad of ['', 'x3', 'x1,x1']) {
      const { config: c, messages } = decodeHash(`dataset=circles&features=${bad}`);
      expect(c.features, bad).to.equal(undefined);
      expect(messages.join(' '), bad).to.match(/features/);
    }
  });

  it('refuse data that is not 2-D, with a message naming the field', async () => {
    const error = await loadExperimentData({ ...DEFAULT_EXPERIMENT, features: ['x1sq'] }).then(
      () => null,
      (e: Error) => e.message,
    );
    expect(error).to.equal('features: input features need 2-D data; this data set has 4 columns');
  });
});
