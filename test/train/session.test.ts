import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import { parseCsv, tableFromCsv } from '../../src/data/csv.ts';
import { Session } from '../../src/train/session.ts';
import { testGpu } from '../helpers/gpu.ts';

const MOONS: ExperimentConfig = {
  ...DEFAULT_EXPERIMENT,
  dataset: { name: 'moons', size: 300, noise: 0.1, imbalance: 1, classes: 2 },
  hidden: [
    { units: 16, activation: 'tanh' },
    { units: 16, activation: 'tanh' },
  ],
  optimizer: { ...DEFAULT_EXPERIMENT.optimizer, learningRate: 0.02 },
  seed: 4,
};

describe('sessions on every kind of dataset', () => {
  it('a 2-D toy set exposes its points, trains, and draws a boundary that agrees with predict', async () => {
    const session = await Session.create(MOONS, testGpu);
    const points = session.info.points!;
    expect(points.labels).to.have.length(300);
    const { bounds } = points;
    for (let i = 0; i < 300; i++) {
      expect(points.features[i * 2]!).to.be.within(bounds.xMin, bounds.xMax);
      expect(points.features[i * 2 + 1]!).to.be.within(bounds.yMin, bounds.yMax);
    }
    await session.trainer.trainEpochs(40);
    const test = await session.evaluate('test');
    expect(test.correct / test.rows).to.be.greaterThan(0.85);
    const grid = await session.boundary(16);
    expect(grid.classes).to.have.length(256);
    // The cell around each test point should mostly predict what the model predicts for the point.
    const agree = [...session.data.splits.test].filter((row, k) => {
      const x = points.features[row * 2]!;
      const y = points.features[row * 2 + 1]!;
      const c = Math.min(15, Math.floor(((x - bounds.xMin) / (bounds.xMax - bounds.xMin)) * 16));
      const r = Math.min(15, Math.floor(((bounds.yMax - y) / (bounds.yMax - bounds.yMin)) * 16));
      const p = test.outputs.subarray(k * 2, k * 2 + 2);
      return grid.classes[r * 16 + c] === (p[1]! > p[0]! ? 1 : 0);
    });
    expect(agree.length / test.rows).to.be.greaterThan(0.8);
    expect([...grid.confidence].every((v) => v >= 0.5 && v <= 1)).to.equal(true);
    session.dispose();
  });

  it('backend "reference" trains on the float64 reference, "cpu" on the float32 kernels: the same curve to float32 rounding', async () => {
    const config = { ...MOONS, epochs: 3 };
    const reference = await Session.create({ ...config, backend: 'reference' }, testGpu);
    const cpu = await Session.create({ ...config, backend: 'cpu' }, testGpu);
    expect(reference.info.backendLabel).to.equal('CPU reference (float64)');
    expect(cpu.info.backendLabel).to.not.equal(reference.info.backendLabel);
    const [a, b] = [await reference.trainer.trainEpochs(3), await cpu.trainer.trainEpochs(3)];
    // float32 against float64 over 3 epochs of a small net: |Δ| ≤ 1e-4 + 1e-3·|loss|.
    a.forEach((r, i) => expect(Math.abs(r.trainLoss - b[i]!.trainLoss)).to.be.at.most(1e-4 + 1e-3 * Math.abs(r.trainLoss)));
    reference.dispose();
    cpu.dispose();
  });

  it('evaluation labels line up with the splits', async () => {
    const session = await Session.create({ ...DEFAULT_EXPERIMENT, backend: 'cpu' }, testGpu);
    expect(session.info.labels.test).to.have.length(30);
    expect(session.info.labels.validation).to.have.length(24);
    expect([...session.info.labels.test]).to.deep.equal([...session.data.splits.test].map((r) => session.data.table.labels[r]));
    expect(session.info.points).to.equal(null);
  });

  it('a CSV table trains; a csv config without its table is refused with a message', async () => {
    const rows = ['a,b,kind'];
    for (let i = 0; i < 60; i++) rows.push(`${(i % 7) / 7},${i % 2 ? 1 : -1},${i % 2 ? 'odd' : 'even'}`);
    const csv = parseCsv(rows.join('\n'));
    const table = tableFromCsv(csv, { features: [0, 1], label: 2 });
    const config: ExperimentConfig = {
      ...DEFAULT_EXPERIMENT,
      dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'csv' },
      epochs: 5,
      optimizer: { ...DEFAULT_EXPERIMENT.optimizer, learningRate: 0.05 },
    };
    const session = await Session.create(config, testGpu, table);
    expect(session.info.classNames).to.deep.equal(['even', 'odd']);
    await session.trainer.trainEpochs(20);
    const test = await session.evaluate('test');
    expect(test.correct / test.rows).to.equal(1);
    session.dispose();
    try {
      await Session.create(config, testGpu);
      expect.fail('expected a refusal');
    } catch (e) {
      expect((e as Error).message).to.contain('load the file again');
    }
  });
});
