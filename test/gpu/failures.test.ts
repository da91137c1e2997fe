import { expect } from '@esm-bundle/chai';
import { createGpuBackend } from '../../src/gpu/gpu-backend.ts';
import { acquireGpu } from '../../src/gpu/device.ts';
import { GpuFailureError } from '../../src/gpu/errors.ts';
import { smallSetup } from '../helpers/setups.ts';
import { rejection } from '../helpers/async.ts';

const CHUNK = { batchIndices: Uint32Array.from({ length: 9 }, (_, i) => i), rows: new Uint32Array([9]) };

describe('GPU failures stop training with a message', () => {
  it('a destroyed (lost) device rejects the next step with a device-lost error', async () => {
    const failures: GpuFailureError[] = [];
    const ctx = await acquireGpu((e) => failures.push(e));
    const backend = await createGpuBackend(ctx, smallSetup('softmax_ce', 'relu'));
    await backend.runSteps(CHUNK);
    ctx.device.destroy();
    const error = await rejection(backend.runSteps(CHUNK));
    expect(error).to.be.instanceOf(GpuFailureError);
    expect((error as GpuFailureError).kind).to.equal('device-lost');
    expect(error.message).to.contain('lost');
    expect(failures).to.have.length(1);
    expect(((await rejection(backend.evaluate(CHUNK.batchIndices))) as GpuFailureError).kind).to.equal('device-lost');
  });

  it('an uncaptured validation error on the device stops the next step instead of reading zeros', async () => {
    const ctx = await acquireGpu();
    const backend = await createGpuBackend(ctx, smallSetup('mse', 'tanh'));
    // A real invalid call (MAP_READ cannot be combined with STORAGE) outside any error scope.
    ctx.device.createBuffer({ label: 'invalid on purpose', size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.STORAGE });
    const error = await rejection(backend.runSteps(CHUNK));
    expect((error as GpuFailureError).kind).to.equal('validation');
    expect(error.message).to.contain('GPU error');
    ctx.device.destroy();
  });
});
