import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import { arenaLayout, layerTensors } from '../../src/nn/arena.ts';
import { initParams } from '../../src/nn/init.ts';
import type { ModelSpec } from '../../src/nn/spec.ts';
import { ReferenceModel } from '../../src/reference/model.ts';
import { healthReport, histogram, HEALTH_BINS } from '../../src/train/health.ts';
import { Session } from '../../src/train/session.ts';
import { randomDataset } from '../helpers/setups.ts';
import { expectClose } from '../helpers/tolerance.ts';
import { testGpu } from '../helpers/gpu.ts';
import { DEFAULT_OPTIMIZER } from '../../src/nn/optimizer.ts';

const SPEC: ModelSpec = {
  inputSize: 3,
  hidden: [
    { units: 5, activation: 'relu' },
    { units: 4, activation: 'tanh' },
  ],
  outputSize: 3,
  loss: 'softmax_ce',
};

describe('Training health', () => {
  it('counts every finite value into its bin, and leaves NaN out', () => {
    const h = histogram([0, 1, 2, 3, NaN, Infinity]);
    expect([h.min, h.max]).to.deep.equal([0, 3]);
    expect(h.counts).to.have.length(HEALTH_BINS);
    expect(h.counts.reduce((a, b) => a + b, 0)).to.equal(4);
    expect(h.counts.at(-1)).to.equal(1);
  });

  it("gradients are the float64 reference's, dead ReLU units are counted, the update ratio is ‖Δw‖ / ‖w‖ per step", () => {
    const data = randomDataset('softmax_ce', 16, 3, 7);
    const params = initParams(SPEC, 7);
    const layout = arenaLayout(SPEC);
    // Two of the first layer's five units get a bias no row overcomes: dead.
    const { bias } = layerTensors(layout, 0);
    params[bias.offset + 1] = -100;
    params[bias.offset + 3] = -100;
    const indices = Uint32Array.from({ length: 16 }, (_, i) => i);
    const model = new ReferenceModel(SPEC, data, { optimizer: DEFAULT_OPTIMIZER, classWeights: null, params, seeds: { dropout: 0, augment: 0 } }, null);
    const { grads } = model.gradients(indices, 16);
    const sample = { x: Float64Array.from(data.features), targets: Float64Array.from(data.targets), rows: 16, classWeights: null };
    const before = Float32Array.from(params, (v) => v * 0.9);
    const report = healthReport(SPEC, params, sample, { params: before, steps: 4 }, 20);
    expect(report.layers.map((l) => l.name)).to.deep.equal(['hidden 1 (relu)', 'hidden 2 (tanh)', 'output']);
    expect(report.layers[0]!.dead).to.deep.equal({ units: 2, of: 5 });
    expect(report.layers[1]!.dead).to.equal(null);
    report.layers.forEach((l, i) => {
      const { weight } = layerTensors(layout, i);
      const g = grads.subarray(weight.offset, weight.offset + weight.size);
      expectClose([l.gradients.min, l.gradients.max], [Math.min(...g), Math.max(...g)], 1e-12, 1e-9, `layer ${i} gradient range`);
      // w − 0.9·w = 0.1·w: a ratio of 0.1 over 4 steps.
      expect(l.updateRatio).to.be.closeTo(0.1 / 4, 1e-6);
      expect(l.weights.counts.reduce((a, b) => a + b, 0)).to.equal(weight.size);
    });
    expect(healthReport(SPEC, params, sample, null, 0).layers[0]!.updateRatio).to.equal(null);
  });

  it("shows the article's lesson: too large a rate jumps the ratio and kills units, too small a one moves nothing", async () => {
    const base: ExperimentConfig = {
      ...DEFAULT_EXPERIMENT,
      dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'spiral', size: 300, noise: 0.1, classes: 3 },
      hidden: [
        { units: 16, activation: 'relu' },
        { units: 16, activation: 'relu' },
      ],
      batchSize: 32,
      seed: 2,
      backend: 'cpu',
    };
    const ratios: number[] = [];
    const dead: number[] = [];
    for (const learningRate of [1e-6, 3]) {
      const session = await Session.create({ ...base, optimizer: { ...DEFAULT_OPTIMIZER, kind: 'sgd', learningRate } }, testGpu);
      await session.health();
      await session.trainer.trainEpochs(3).catch(() => undefined);
      const report = await session.health();
      ratios.push(report.layers[0]!.updateRatio!);
      dead.push(report.layers.reduce((n, l) => n + (l.dead?.units ?? 0), 0));
      session.dispose();
    }
    expect(ratios[0]).to.be.below(1e-5);
    expect(ratios[1]).to.be.above(1e-2);
    expect(dead[1]).to.be.above(dead[0]!);
  });
});
