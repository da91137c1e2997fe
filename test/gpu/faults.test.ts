import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import { createGpuBackend } from '../../src/gpu/gpu-backend.ts';
import { acquireGpu } from '../../src/gpu/device.ts';
import { GpuFailureError, GpuUnavailableError } from '../../src/gpu/errors.ts';
import { Session } from '../../src/train/session.ts';
import { Engine } from '../../src/worker/engine.ts';
import { FaultyGpu, NO_ADAPTER } from '../helpers/faults.ts';
import { smallSetup } from '../helpers/setups.ts';
import { rejection, waitFor } from '../helpers/async.ts';
import type { BackendStatus } from '../../src/worker/api.ts';

const CONFIG: ExperimentConfig = { ...DEFAULT_EXPERIMENT, backend: 'webgpu', optimizer: { ...DEFAULT_EXPERIMENT.optimizer, kind: 'sgd', learningRate: 0.05 } };

describe('injected GPU faults', () => {
  it('a device lost mid-training (driver reset) stops it with a message; recovery resumes on a fresh device', async () => {
    const { faults, ctx } = await FaultyGpu.create();
    const session = await Session.create(CONFIG, async () => ctx);
    await session.trainer.trainEpochs(40);
    const running = session.trainer.trainEpochs(1000);
    faults.lose();
    const error = await rejection(running);
    expect((error as GpuFailureError).kind).to.equal('device-lost');
    expect(error.message).to.contain('injected device loss');
    expect(faults.failures.map((f) => f.kind)).to.deep.equal(['device-lost']);
    const step = await session.recover(() => acquireGpu());
    expect(session.trainer.steps).to.have.length(step);
    await session.trainer.trainEpochs(2);
    expect(faults.liveBuffers, 'the lost backend released its buffers').to.equal(0);
    session.dispose();
  });

  it('an out-of-memory error while building the model is reported and leaks nothing', async () => {
    const { faults, ctx } = await FaultyGpu.create();
    faults.failNextScope('out-of-memory');
    const error = await rejection(createGpuBackend(ctx, smallSetup('softmax_ce', 'relu')));
    expect(error).to.be.instanceOf(GpuFailureError);
    expect((error as GpuFailureError).kind).to.equal('out-of-memory');
    expect(error.message).to.contain('Creating the GPU model failed');
    expect(faults.created).to.be.greaterThan(0);
    expect(faults.liveBuffers).to.equal(0);
  });

  it('an uncaptured validation error stops the next step instead of reading zeros', async () => {
    const { faults, ctx } = await FaultyGpu.create();
    const backend = await createGpuBackend(ctx, smallSetup('mse', 'tanh'));
    const chunk = { batchIndices: Uint32Array.from({ length: 9 }, (_, i) => i), rows: new Uint32Array([9]) };
    await backend.runSteps(chunk);
    faults.uncapturedValidationError();
    const error = await rejection(backend.runSteps(chunk));
    expect((error as GpuFailureError).kind).to.equal('validation');
    backend.dispose();
  });

  it('a null adapter: auto falls back to the CPU reference and says why; webgpu refuses', async () => {
    const noGpu = () => acquireGpu(undefined, NO_ADAPTER);
    const session = await Session.create({ ...CONFIG, backend: 'auto' }, noGpu);
    expect(session.info.backend).to.equal('cpu');
    expect(session.info.fallbackReason).to.contain('no usable GPU adapter');
    const error = await rejection(Session.create(CONFIG, noGpu));
    expect(error).to.be.instanceOf(GpuUnavailableError);
  });

  it('no navigator.gpu at all: the engine (as in a worker) falls back to the CPU and names the reason', async () => {
    const engine = new Engine(() => acquireGpu(undefined, null));
    const statuses: BackendStatus[] = [];
    // Auto trains on the CPU at once, and says why it stays there as soon as it knows.
    const { info } = await engine.createSession({ ...DEFAULT_EXPERIMENT, epochs: 2 }, null, undefined, (e) => e.type === 'backend' && statuses.push(e.status));
    expect(info.backend).to.equal('cpu');
    await waitFor('the backend status', () => statuses.length > 0);
    expect(statuses[0]!.backendState).to.equal('cpu');
    expect(statuses[0]!.fallbackReason).to.contain('navigator.gpu is missing');
  });
});
