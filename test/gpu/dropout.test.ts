import { expect } from '@esm-bundle/chai';
import { createGpuBackend } from '../../src/gpu/gpu-backend.ts';
import { encodeDispatches } from '../../src/gpu/kernel.ts';
import { DROPOUT_PARAMS_BYTES, DropoutKernel, packDropoutParams, type DropoutPass } from '../../src/gpu/kernels/dropout.ts';
import { stateLayout } from '../../src/gpu/kernels/state.ts';
import { dropoutScale } from '../../src/nn/dropout.ts';
import { CpuBackend } from '../../src/reference/reference-model-backend.ts';
import { readF32, run, storage, testGpu } from '../helpers/gpu.ts';
import { smallSetup } from '../helpers/setups.ts';
import { expectClose } from '../helpers/tolerance.ts';

/** A dropout dispatch over `rates.length` models of `count` elements each, at step t per model. */
function dropout(
  device: GPUDevice,
  pass: DropoutPass,
  count: number,
  rates: number[],
  seeds: number[],
  t: number[],
  layer: number,
  data: GPUBuffer,
  out: GPUBuffer,
) {
  const models = rates.length;
  const layout = stateLayout(1);
  const state = new Uint32Array(models * layout.stateStride);
  const table = new Float32Array(models * 16);
  rates.forEach((r, z) => {
    state.set([t[z]!, 0, seeds[z]!, 0], z * layout.stateStride);
    table[z * 16 + layer] = r;
  });
  const kernel = new DropoutKernel(device, 65535);
  return kernel.dispatch(
    'test',
    { ...layout, pass, count, layer, models, rateStride: 16 },
    { state: storage(device, 'state', state), rates: storage(device, 'rates', table), data, out },
  );
}

describe('dropout.wgsl', () => {
  it('packs DropoutParams into 32 bytes', () => {
    const bytes = packDropoutParams({ pass: 'backward', count: 10, layer: 2, models: 3, slots: 1, stateStride: 5, rateStride: 16 }, 256);
    expect(bytes.byteLength).to.equal(DROPOUT_PARAMS_BYTES);
    expect([...new Uint32Array(bytes)]).to.deep.equal([10, 2, 1, 256, 5, 16, 0, 0]);
  });

  for (const rate of [0.1, 0.5, 0.8]) {
    it(`rate ${rate}: the GPU mask equals the reference mask element for element, drops about ${rate} of units, and scales kept ones by 1/(1 − rate)`, async () => {
      const { device } = await testGpu();
      const count = 10007;
      const out = storage(device, 'out', count);
      const { dispatch } = dropout(device, 'forward', count, [rate], [1234], [41], 3, storage(device, 'ones', new Float32Array(count).fill(1)), out);
      await run(device, (pass) => encodeDispatches(pass, [dispatch]));
      const got = await readF32(device, out, count);
      const want = Float64Array.from({ length: count }, (_, i) => dropoutScale(1234, 3, 41, i, rate));
      expectClose(got, want, 0, 1e-6, 'mask');
      const dropped = got.filter((v) => v === 0).length / count;
      // Binomial standard error at n = 10,007 is under 0.005: a 5σ band.
      expect(Math.abs(dropped - rate)).to.be.lessThan(0.025);
    });
  }

  it('three models: each its own rate, seed and step; a rate of 0 passes values through', async () => {
    const { device } = await testGpu();
    const count = 513;
    const [rates, seeds, t] = [
      [0.3, 0, 0.6],
      [1, 2, 3],
      [10, 20, 30],
    ];
    const values = Float32Array.from({ length: 3 * count }, (_, i) => 1 + (i % 7));
    const out = storage(device, 'out', 3 * count);
    const { dispatch } = dropout(device, 'forward', count, rates, seeds, t, 1, storage(device, 'values', values), out);
    await run(device, (pass) => encodeDispatches(pass, [dispatch]));
    const got = await readF32(device, out, 3 * count);
    const want = Float64Array.from({ length: 3 * count }, (_, i) => {
      const z = Math.floor(i / count);
      return values[i]! * dropoutScale(seeds[z]!, 1, t[z]!, i % count, rates[z]!);
    });
    expectClose(got, want, 0, 1e-6, 'masks of three models');
  });

  it('the backward pass after the loss (t advanced by one) reuses the forward mask', async () => {
    const { device } = await testGpu();
    const count = 999;
    const fwd = storage(device, 'fwd', count);
    const grad = storage(device, 'grad', new Float32Array(count).fill(1));
    const f = dropout(device, 'forward', count, [0.4], [9], [5], 0, storage(device, 'ones', new Float32Array(count).fill(1)), fwd);
    await run(device, (pass) => encodeDispatches(pass, [f.dispatch]));
    const b = dropout(device, 'backward', count, [0.4], [9], [6], 0, grad, fwd);
    await run(device, (pass) => encodeDispatches(pass, [b.dispatch]));
    expect([...(await readF32(device, grad, count))]).to.deep.equal([...(await readF32(device, fwd, count))]);
  });
});

describe('dropout in training', () => {
  for (const act of ['relu', 'tanh'] as const) {
    it(`${act}: three SGD steps with dropout [0.5, 0.25] match the reference; evaluation runs without dropout`, async () => {
      const setup = {
        ...smallSetup('softmax_ce', act, { rows: 11, capacity: 4, seed: 8, optimizer: { kind: 'sgd', learningRate: 0.5 } }),
        dropout: [0.5, 0.25],
        dropoutSeed: 77,
      };
      const gpu = await createGpuBackend(await testGpu(), setup);
      const cpu = new CpuBackend(setup);
      const chunk = { batchIndices: Uint32Array.from({ length: 12 }, (_, i) => i % 11), rows: new Uint32Array([4, 4, 3]) };
      const [g, c] = [await gpu.runSteps(chunk), await cpu.runSteps(chunk)];
      expectClose(
        g.map((m) => m.loss),
        c.map((m) => m.loss),
        1e-5,
        1e-4,
        'step losses',
      );
      expectClose(await gpu.readParams(), await cpu.readParams(), 1e-5, 1e-4, 'params');
      const plain = new CpuBackend({ ...setup, dropout: [], params: await cpu.readParams() });
      const all = Uint32Array.from({ length: 11 }, (_, i) => i);
      expectClose((await gpu.evaluate(all)).outputs, (await plain.evaluate(all)).outputs, 1e-5, 1e-4, 'evaluation without dropout');
      // Two hidden layers with dropout: one forward and one backward dispatch each.
      expect(gpu.batch.stepDispatches.filter((d) => d.entry.startsWith('dropout'))).to.have.length(4);
      gpu.dispose();
    });
  }
});
