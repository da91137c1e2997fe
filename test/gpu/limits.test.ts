import { expect } from '@esm-bundle/chai';
import { createGpuBackend } from '../../src/gpu/gpu-backend.ts';
import { acquireGpu } from '../../src/gpu/device.ts';
import { GpuLimitError, GpuUnavailableError } from '../../src/gpu/errors.ts';
import { checkPlan, modelsThatFit, planBuffers } from '../../src/gpu/plan.ts';
import { DEFAULT_OPTIMIZER } from '../../src/nn/optimizer.ts';
import type { ModelSpec } from '../../src/nn/spec.ts';
import { testGpu } from '../helpers/gpu.ts';
import { randomDataset } from '../helpers/setups.ts';
import { rejection } from '../helpers/async.ts';

describe('device acquisition and limits', () => {
  it('names each way WebGPU can be unavailable (fault-injected navigator.gpu)', async () => {
    const none = await rejection(acquireGpu(undefined, null));
    expect((none as GpuUnavailableError).reason).to.equal('no-webgpu');
    const noAdapter = { requestAdapter: async () => null } as unknown as GPU;
    const e2 = await rejection(acquireGpu(undefined, noAdapter));
    expect((e2 as GpuUnavailableError).reason).to.equal('no-adapter');
    expect(e2.message).to.contain('no usable GPU adapter');
    const real = await navigator.gpu.requestAdapter();
    const refusing = {
      requestAdapter: async () =>
        new Proxy(real!, {
          get: (t, k) =>
            k === 'requestDevice'
              ? async () => {
                  throw new Error('driver said no');
                }
              : Reflect.get(t, k),
        }),
    } as unknown as GPU;
    const e3 = await rejection(acquireGpu(undefined, refusing));
    expect((e3 as GpuUnavailableError).reason).to.equal('device-request-failed');
    expect(e3.message).to.contain('driver said no');
  });

  it('requests the adapter maximum for storage binding size instead of the default', async () => {
    const { device } = await testGpu();
    const adapter = await navigator.gpu.requestAdapter();
    expect(device.limits.maxStorageBufferBindingSize).to.equal(adapter!.limits.maxStorageBufferBindingSize);
  });

  it('a batch too big for the device says which buffer, the limit, and how many models of the network fit', () => {
    const spec: ModelSpec = { inputSize: 8, hidden: [{ units: 16, activation: 'relu' }], outputSize: 2, loss: 'softmax_ce' };
    const plan = planBuffers(spec, { rows: 100, targetWidth: 1, capacity: 10, models: 300 });
    const limits = { maxStorageBufferBindingSize: 1 << 20, maxBufferSize: 1 << 30 };
    // Evaluation activations of the hidden layer: 512 rows × 16 units × 4 bytes = 32 KiB per model.
    expect(modelsThatFit(plan, limits)).to.equal(32);
    expect(() => checkPlan(plan, limits, 300)).to.throw(
      GpuLimitError,
      /of 300 models needs 9,830,400 .*maxStorageBufferBindingSize is 1,048,576; at most 32 models of this network fit/,
    );
    expect(() => checkPlan(plan, limits, 32)).to.not.throw();
  });

  it('plans the per-row loss weights: a table of the dataset rows per model, named when it does not fit', () => {
    const spec: ModelSpec = { inputSize: 8, hidden: [{ units: 16, activation: 'relu' }], outputSize: 2, loss: 'softmax_ce' };
    const shape = { rows: 10000, targetWidth: 1, capacity: 10, models: 30 };
    const weightsOf = (plan: ReturnType<typeof planBuffers>) => plan.find((b) => b.name === 'class and row weights')!.perModel;
    expect(weightsOf(planBuffers(spec, shape))).to.equal(12);
    const weighted = planBuffers(spec, { ...shape, rowWeights: true });
    expect(weightsOf(weighted)).to.equal(12 + 40000);
    const limits = { maxStorageBufferBindingSize: 1 << 20, maxBufferSize: 1 << 30 };
    expect(() => checkPlan(planBuffers(spec, shape), limits, 30)).to.not.throw();
    expect(() => checkPlan(weighted, limits, 30)).to.throw(GpuLimitError, /The class and row weights buffer of 30 models needs 1,200,360/);
  });

  it('checkPlan names the limit, the buffer and both sizes', () => {
    const spec: ModelSpec = { inputSize: 8, hidden: [{ units: 16, activation: 'relu' }], outputSize: 2, loss: 'softmax_ce' };
    const plan = planBuffers(spec, { rows: 100, targetWidth: 1, capacity: 10, models: 1 });
    try {
      checkPlan(plan, { maxStorageBufferBindingSize: 1024, maxBufferSize: 1 << 30 });
      expect.fail('expected a limit error');
    } catch (e) {
      expect(e).to.be.instanceOf(GpuLimitError);
      expect((e as Error).message).to.equal("The dataset features buffer needs 3,200 but the device's maxStorageBufferBindingSize is 1,024");
    }
  });

  it('rejects a network beyond maxStorageBufferBindingSize before allocating any GPU buffer', async () => {
    const ctx = await testGpu();
    // A device with WebGPU's default limits (128 MiB bindings) makes the test independent of how
    // large the adapter's own limit is.
    const small = await (await navigator.gpu.requestAdapter())!.requestDevice();
    const limit = small.limits.maxStorageBufferBindingSize;
    const units = 4096;
    const spec: ModelSpec = {
      inputSize: 4,
      hidden: Array.from({ length: 3 }, () => ({ units, activation: 'relu' as const })),
      outputSize: 3,
      loss: 'softmax_ce',
    };
    expect((2 * units * units + 4 * units) * 4).to.be.greaterThan(limit);
    let created = 0;
    const counting = new Proxy(small, {
      get: (t, k) => (k === 'createBuffer' ? (d: GPUBufferDescriptor) => (created++, t.createBuffer(d)) : Reflect.get(t, k)),
    });
    const setup = {
      spec,
      data: randomDataset('softmax_ce', 10, 4, 1),
      batchCapacity: 10,
      optimizer: DEFAULT_OPTIMIZER,
      classWeights: null,
      params: new Float32Array(0),
    };
    const error = await rejection(createGpuBackend({ ...ctx, device: counting }, setup));
    expect(error).to.be.instanceOf(GpuLimitError);
    expect(error.message).to.match(/^The parameter arena buffer needs [\d,]+ but the device's maxStorageBufferBindingSize is 134,217,728$/);
    expect(created).to.equal(0);
    small.destroy();
  });
});
