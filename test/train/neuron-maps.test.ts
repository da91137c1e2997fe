import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import { arenaLayout, layerTensors } from '../../src/nn/arena.ts';
import type { ModelSpec } from '../../src/nn/spec.ts';
import { neuronMaps } from '../../src/train/neuron-maps.ts';
import { Session } from '../../src/train/session.ts';
import { boundaryFeatures } from '../../src/train/boundary.ts';
import { testGpu } from '../helpers/gpu.ts';
import { expectClose } from '../helpers/tolerance.ts';

describe('Neuron maps: what every unit computes over the plane', () => {
  it('equal a hand computation of a 2 → 2 tanh → 2 softmax network', () => {
    const spec: ModelSpec = { inputSize: 2, hidden: [{ units: 2, activation: 'tanh' }], outputSize: 2, loss: 'softmax_ce' };
    const layout = arenaLayout(spec);
    const params = new Float32Array(layout.totalFloats);
    const w = (layer: number, values: number[], bias: number[]) => {
      const { weight, bias: b } = layerTensors(layout, layer);
      params.set(values, weight.offset);
      params.set(bias, b.offset);
    };
    // Weights row-major [inputs, units]: unit 0 = tanh(x1 + 0.5), unit 1 = tanh(-x2).
    w(0, [1, 0, 0, -1], [0.5, 0]);
    w(1, [2, -1, 0, 1], [0, 0.25]);
    const grid = new Float32Array([0.3, -0.7, -1, 2]);
    const cells = [
      [0.3, -0.7],
      [-1, 2],
    ];
    // A 2² grid: the two cells, twice.
    const two = neuronMaps(spec, params, new Float32Array([...grid, ...grid]), 2);
    expect(two.layers).to.have.length(2);
    cells.forEach(([x1, x2], i) => {
      const h = [Math.tanh(x1! + 0.5), Math.tanh(-x2!)];
      const z = [2 * h[0]!, -h[0]! + h[1]! + 0.25];
      const e = z.map((v) => Math.exp(v - Math.max(...z)));
      const p = e.map((v) => v / (e[0]! + e[1]!));
      expectClose([two.layers[0]!.values[i]!, two.layers[0]!.values[4 + i]!], h, 1e-6, 1e-6, `hidden at cell ${i}`);
      expectClose([two.layers[1]!.values[i]!, two.layers[1]!.values[4 + i]!], p, 1e-6, 1e-6, `output at cell ${i}`);
    });
    expect(two.layers[0]!.min).to.be.at.most(two.layers[0]!.max);
  });

  it("a session's output maps are what its backend predicts on the same grid", async () => {
    const config: ExperimentConfig = {
      ...DEFAULT_EXPERIMENT,
      dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'spiral', size: 200, noise: 0.1, classes: 3 },
      hidden: [{ units: 6, activation: 'tanh' }],
      seed: 4,
      backend: 'webgpu',
    };
    const session = await Session.create(config, testGpu);
    await session.trainer.trainEpochs(2);
    const maps = await session.neuronMaps(16);
    expect(maps.layers.map((l) => l.units)).to.deep.equal([6, 3]);
    const grid = boundaryFeatures(session.info.points!.bounds, session.data.standardizer, 16);
    const predicted = await session.backend.predict(grid, 256);
    const output = maps.layers[1]!;
    const fromMaps = Array.from({ length: 256 * 3 }, (_, i) => output.values[(i % 3) * 256 + Math.floor(i / 3)]!);
    expectClose(fromMaps, predicted, 1e-5, 1e-4, 'output probabilities');
    session.dispose();
  });
});
