import { expect } from '@esm-bundle/chai';
import { createGpuBackend } from '../../src/gpu/backend.ts';
import { encodeDispatches } from '../../src/gpu/kernel.ts';
import { DROPOUT_PARAMS_BYTES, DropoutKernel, packDropoutParams } from '../../src/gpu/kernels/dropout.ts';
import { dropoutScale } from '../../src/nn/dropout.ts';
import { CpuBackend } from '../../src/reference/backend.ts';
import { readF32, run, storage, testGpu } from '../helpers/gpu.ts';
import { smallSetup } from '../helpers/setups.ts';
import { expectClose } from '../helpers/tolerance.ts';

describe('dropout.wgsl', () => {
  it('packs DropoutParams into 32 bytes with the rate as a float', () => {
    const bytes = packDropoutParams(10, 0.25, 7, 2, true, 256);
    expect(bytes.byteLength).to.equal(DROPOUT_PARAMS_BYTES);
    expect(new Float32Array(bytes, 4, 1)[0]).to.equal(0.25);
    expect([...new Uint32Array(bytes)].filter((_, i) => i !== 1).slice(0, 5)).to.deep.equal([10, 7, 2, 1, 256]);
  });

  for (const rate of [0.1, 0.5, 0.8]) {
    it(`rate ${rate}: the GPU mask equals the reference mask element for element, drops about ${rate} of units, and scales kept ones by 1/(1 − rate)`, async () => {
      const { device } = await testGpu();
      const count = 10007;
      const kernel = new DropoutKernel(device, 65535);
      const state = storage(device, 'state', new Uint32Array([41, 0]));
      const out = storage(device, 'out', count);
      const { dispatch } = kernel.dispatch('test', 'forward', count, rate, 1234, 3, state, storage(device, 'ones', new Float32Array(count).fill(1)), out);
      await run(device, (pass) => encodeDispatches(pass, [dispatch]));
      const got = await readF32(device, out, count);
      const want = Float64Array.from({ length: count }, (_, i) => dropoutScale(1234, 3, 41, i, rate));
      expectClose(got, want, 0, 1e-6, 'mask');
      const dropped = got.filter((v) => v === 0).length / count;
      // Binomial standard error at n = 10,007 is under 0.005: a 5σ band.
      expect(Math.abs(dropped - rate)).to.be.lessThan(0.025);
    });
  }

  it('the backward pass after the loss (t advanced by one) reuses the forward mask', async () => {
    const { device } = await testGpu();
    const count = 999;
    const kernel = new DropoutKernel(device, 65535);
    const state = storage(device, 'state', new Uint32Array([5, 0]));
    const fwd = storage(device, 'fwd', count);
    const grad = storage(device, 'grad', new Float32Array(count).fill(1));
    const f = kernel.dispatch('f', 'forward', count, 0.4, 9, 0, state, storage(device, 'ones', new Float32Array(count).fill(1)), fwd);
    await run(device, (pass) => encodeDispatches(pass, [f.dispatch]));
    device.queue.writeBuffer(state, 0, new Uint32Array([6]));
    const b = kernel.dispatch('b', 'backward', count, 0.4, 9, 0, state, grad, fwd);
    await run(device, (pass) => encodeDispatches(pass, [b.dispatch]));
    expect([...(await readF32(device, grad, count))]).to.deep.equal([...(await readF32(device, fwd, count))]);
  });
});

describe('dropout in training', () => {
  for (const act of ['relu', 'tanh'] as const) {
    it(`${act}: three SGD steps with dropout [0.5, 0.25] match the reference; evaluation runs without dropout`, async () => {
      const setup = { ...smallSetup('softmax_ce', act, { rows: 11, capacity: 4, seed: 8, optimizer: { kind: 'sgd', learningRate: 0.5 } }), dropout: [0.5, 0.25], dropoutSeed: 77 };
      const gpu = await createGpuBackend(await testGpu(), setup);
      const cpu = new CpuBackend(setup);
      const chunk = { batchIndices: Uint32Array.from({ length: 12 }, (_, i) => i % 11), rows: new Uint32Array([4, 4, 3]) };
      const [g, c] = [await gpu.runSteps(chunk), await cpu.runSteps(chunk)];
      expectClose(g.map((m) => m.loss), c.map((m) => m.loss), 1e-5, 1e-4, 'step losses');
      expectClose(await gpu.readParams(), await cpu.readParams(), 1e-5, 1e-4, 'params');
      const plain = new CpuBackend({ ...setup, dropout: [], params: await cpu.readParams() });
      const all = Uint32Array.from({ length: 11 }, (_, i) => i);
      expectClose((await gpu.evaluate(all)).outputs, (await plain.evaluate(all)).outputs, 1e-5, 1e-4, 'evaluation without dropout');
      // Two hidden layers with dropout: one forward and one backward dispatch each.
      expect(gpu.stepDispatches.filter((d) => d.entry.startsWith('dropout'))).to.have.length(4);
      gpu.dispose();
    });
  }
});
