import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import { acquireGpu } from '../../src/gpu/device.ts';
import { GpuFailureError } from '../../src/gpu/errors.ts';
import type { ModelSpec } from '../../src/nn/spec.ts';
import { batchOfOne } from '../../src/train/training-backend.ts';
import { referenceBackend } from '../../src/train/backend-choice.ts';
import { Session } from '../../src/train/session.ts';
import { CHECKPOINT_EVERY, DivergenceError } from '../../src/train/trainer.ts';
import { testGpu } from '../helpers/gpu.ts';
import { expectClose } from '../helpers/tolerance.ts';
import { rejection } from '../helpers/async.ts';

const SGD: ExperimentConfig = { ...DEFAULT_EXPERIMENT, optimizer: { ...DEFAULT_EXPERIMENT.optimizer, kind: 'sgd', learningRate: 0.05 } };

describe('checkpoints, divergence and lost devices', () => {
  for (const backend of ['webgpu', 'cpu'] as const) {
    it(`${backend}: a rollback to the last checkpoint replays the same steps (SGD keeps no state)`, async () => {
      const session = await Session.create({ ...SGD, backend }, testGpu);
      await session.trainer.trainEpochs(50);
      const losses = session.trainer.steps.map((s) => s.loss);
      const checkpoint = session.trainer.lastCheckpoint;
      expect(checkpoint.step).to.be.at.least(CHECKPOINT_EVERY);
      expect(losses.length - checkpoint.step).to.be.at.most(CHECKPOINT_EVERY + 16);
      await session.trainer.restore(checkpoint);
      expect(session.trainer.steps).to.have.length(checkpoint.step);
      await session.trainer.trainEpochs(50 - session.trainer.epoch);
      const replay = session.trainer.steps.map((s) => s.loss);
      if (backend === 'webgpu') expect(replay).to.deep.equal(losses);
      // Checkpoints hold float32 (the arena's format), so the float64 reference replays to within
      // float32 rounding of its weights: |Δ| ≤ 1e-6 + 1e-4·|loss|.
      else expectClose(replay, losses, 1e-6, 1e-4, 'replayed losses');
      session.dispose();
    });

    it(`${backend}: lr = 1e6 diverges, names the step, rolls back to finite weights, and training can go on`, async () => {
      const session = await Session.create({ ...SGD, optimizer: { ...SGD.optimizer, learningRate: 1e6 }, backend }, testGpu);
      const error = await rejection(session.trainer.trainEpochs(400));
      expect(error).to.be.instanceOf(DivergenceError);
      const d = error as DivergenceError;
      expect(d.message).to.contain(`step ${d.step}`);
      expect(session.trainer.steps).to.have.length(d.restoredStep);
      const params = await session.backend.readParams();
      expect(params.every(Number.isFinite)).to.equal(true);
      session.trainer.setOptimizer({ ...SGD.optimizer, learningRate: 0.01 });
      const records = await session.trainer.trainEpochs(3);
      expect(records.every((r) => Number.isFinite(r.trainLoss))).to.equal(true);
      session.dispose();
    });
  }

  it('a destroyed device stops training with device-lost; recover() continues on a fresh device from the checkpoint', async () => {
    const ctx = await acquireGpu();
    let fresh = 0;
    const session = await Session.create({ ...SGD, backend: 'webgpu' }, async () => ctx);
    await session.trainer.trainEpochs(40);
    const stepsBefore = session.trainer.steps.length;
    ctx.device.destroy();
    const error = await rejection(session.trainer.trainEpochs(10));
    expect(error).to.be.instanceOf(GpuFailureError);
    expect((error as GpuFailureError).kind).to.equal('device-lost');
    const resumedAt = await session.recover(async () => {
      fresh++;
      return acquireGpu();
    });
    expect(fresh).to.equal(1);
    expect(resumedAt).to.be.at.least(CHECKPOINT_EVERY).and.at.most(stepsBefore);
    expect(session.trainer.steps).to.have.length(resumedAt);
    const records = await session.trainer.trainEpochs(5);
    expect(records).to.have.length(5);
    expect(session.backend.kind).to.equal('webgpu');
    expect(records.at(-1)!.trainLoss).to.be.lessThan(session.trainer.steps[0]!.loss);
    session.dispose();
  });

  it('the CPU backend refuses networks whose single step would block its worker for long', async () => {
    // Two 4096-wide layers on Iris' full batch (96 rows): some 10 GFLOP per step, past the fast CPU's limit too.
    const big: ExperimentConfig = {
      ...DEFAULT_EXPERIMENT,
      hidden: [
        { units: 4096, activation: 'relu' },
        { units: 4096, activation: 'relu' },
      ],
      batchSize: 'full',
      backend: 'cpu',
    };
    const error = await rejection(Session.create(big, testGpu));
    expect(error.message).to.contain('CPU backend').and.contain('MFLOP');
  });

  it('the float64 CPU reference keeps its own, lower limit', async () => {
    // The article's batch of 32 with two 4096-wide layers: 3.2 GFLOP, which the fast CPU takes and the reference refuses.
    const spec: ModelSpec = {
      inputSize: 4,
      hidden: [
        { units: 4096, activation: 'relu' },
        { units: 4096, activation: 'relu' },
      ],
      outputSize: 3,
      loss: 'softmax_ce',
    };
    const data = { features: new Float32Array(4), targets: new Float32Array(1), rows: 1, inputSize: 4, targetWidth: 1 };
    const setup = batchOfOne({ spec, data, batchCapacity: 32, optimizer: DEFAULT_EXPERIMENT.optimizer, classWeights: null, params: new Float32Array(0) });
    expect(() => referenceBackend(setup)).to.throw(/CPU reference.*MFLOP/);
  });
});
