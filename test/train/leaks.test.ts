import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import { Session } from '../../src/train/session.ts';
import { FaultyGpu } from '../helpers/faults.ts';

// Buffers are counted on a real device through the fault wrapper (no faults armed).
const SMALL: ExperimentConfig = { ...DEFAULT_EXPERIMENT, backend: 'webgpu', hidden: [{ units: 16, activation: 'relu' }] };

describe('no GPU memory leaks', () => {
  it('live buffers return to zero after each of 20 build, train, evaluate, predict and dispose cycles', async () => {
    const { faults, ctx } = await FaultyGpu.create();
    const live: number[] = [];
    for (let cycle = 0; cycle < 20; cycle++) {
      const session = await Session.create({ ...SMALL, seed: cycle, dataset: { ...SMALL.dataset, name: cycle % 2 ? 'iris' : 'spiral' } }, async () => ctx);
      await session.trainer.trainEpochs(2);
      await session.evaluate('test');
      if (session.info.points) await session.boundary(16 + cycle);
      await session.snapshot();
      session.dispose();
      live.push(faults.liveBuffers);
    }
    expect(live).to.deep.equal(new Array(20).fill(0));
  });

  it('live buffers stay flat over 10,000 training steps with checkpoints and evaluations', async () => {
    const { faults, ctx } = await FaultyGpu.create();
    const session = await Session.create({ ...SMALL, batchSize: 4 }, async () => ctx);
    const perEpoch = session.trainer.stepsPerEpoch;
    // Warm-up past a few checkpoints: the staging pool grows to the number of readbacks that
    // can be in flight at once (two submits, a validation pass, a checkpoint), then stops.
    await session.trainer.trainEpochs(Math.ceil(400 / perEpoch));
    const warm = faults.liveBuffers;
    await session.trainer.trainEpochs(Math.ceil(5000 / perEpoch));
    const middle = faults.liveBuffers;
    await session.trainer.trainEpochs(Math.ceil(5000 / perEpoch));
    expect(session.trainer.steps.length).to.be.at.least(10000);
    // Flat over the last 5,000 steps; the pool may take a last staging buffer when readbacks
    // first happen to overlap in a new way, so the warm-up level is allowed a small margin.
    expect(faults.liveBuffers).to.equal(middle);
    expect(middle - warm).to.be.within(0, 2);
    session.dispose();
    expect(faults.liveBuffers).to.equal(0);
  });
});
