import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import { arenaLayout, layerTensors } from '../../src/nn/arena.ts';
import { Session } from '../../src/train/session.ts';
import { testGpu } from '../helpers/gpu.ts';

const SPIRAL: ExperimentConfig = {
  ...DEFAULT_EXPERIMENT,
  dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'spiral', size: 200, noise: 0.1, classes: 3 },
  hidden: [{ units: 4, activation: 'tanh' }],
  seed: 8,
};

describe('A weight typed by a person', () => {
  for (const backend of ['cpu', 'webgpu', 'reference'] as const) {
    it(`${backend}: lands at once in the right place of the arena and keeps the optimizer's state`, async () => {
      const session = await Session.create({ ...SPIRAL, backend }, testGpu);
      await session.trainer.trainEpochs(1);
      const before = await session.backend.batch.readState(0);
      await session.setWeight(1, 2, 1, 0.625);
      const after = await session.backend.batch.readState(0);
      const { weight } = layerTensors(arenaLayout(session.info.spec), 1);
      const index = weight.offset + 2 * 3 + 1;
      expect(after.params[index]).to.equal(0.625);
      const changed = [...after.params].flatMap((v, i) => (v !== before.params[i] ? [i] : []));
      expect(changed).to.deep.equal([index]);
      expect([...after.m]).to.deep.equal([...before.m]);
      expect(after.t).to.equal(before.t);
      // Training goes on from it.
      await session.trainer.trainEpochs(1);
      expect(session.trainer.history).to.have.length(2);
      session.dispose();
    });
  }

  it('refuses what is not a weight, says why, and leaves the arena as it was', async () => {
    const session = await Session.create({ ...SPIRAL, backend: 'cpu' }, testGpu);
    const before = await session.snapshot();
    for (const [args, message] of [
      [[0, 0, 0, NaN], 'a weight must be a number from -1000000 to 1000000, got NaN'],
      [[0, 0, 0, 1e40], 'a weight must be a number from -1000000 to 1000000, got 1e+40'],
      [[0, 5, 0, 1], 'there is no weight from input 6 to unit 1 of layer 1'],
      [[2, 0, 0, 1], 'there is no weight from input 1 to unit 1 of layer 3'],
    ] as const) {
      const error = await session.setWeight(...(args as unknown as [number, number, number, number])).then(
        () => null,
        (e: Error) => e.message,
      );
      expect(error).to.equal(`weight: ${message}`);
    }
    expect([...(await session.snapshot())]).to.deep.equal([...before]);
    session.dispose();
  });
});
