import { expect } from '@esm-bundle/chai';
import { encodeDispatches, fold1d } from '../../src/gpu/kernel.ts';
import { ARGMAX_PARAMS_BYTES, ArgmaxKernel, packArgmaxParams } from '../../src/gpu/kernels/argmax.ts';
import { GATHER_PARAMS_BYTES, GatherKernel, packGatherParams } from '../../src/gpu/kernels/gather.ts';
import { Rng } from '../../src/nn/rng.ts';
import { argmaxRows, gatherRows } from '../../src/reference/loss.ts';
import { readF32, readU32, run, storage, testGpu } from '../helpers/gpu.ts';
import { expectClose, randomArray } from '../helpers/tolerance.ts';

describe('gather.wgsl', () => {
  it('packs GatherParams into 16 bytes', () => {
    expect(packGatherParams(1, 2, 3).byteLength).to.equal(GATHER_PARAMS_BYTES);
  });

  for (const [capacity, width, rows, slot] of [[1, 1, 1, 0], [13, 7, 11, 2], [300, 3, 300, 1], [67, 260, 61, 0]] as const) {
    it(`gathers ${rows} of ${capacity} rows × ${width} for slot ${slot}, padding with zeros`, async () => {
      const { device } = await testGpu();
      const rng = new Rng(capacity + width);
      const datasetRows = 2 * capacity + 3;
      const src = randomArray(rng, datasetRows * width);
      const indices = Uint32Array.from({ length: 3 * capacity }, () => rng.int(datasetRows));
      const state = new Uint32Array([0, slot, 0, 0, 0]);
      state[2 + slot] = rows;
      const out = storage(device, 'out', capacity * width);
      const kernel = new GatherKernel(device, 65535);
      const { dispatch } = kernel.dispatch('test', capacity, width, storage(device, 'src', src), storage(device, 'idx', indices), storage(device, 'state', state), out);
      await run(device, (pass) => encodeDispatches(pass, [dispatch]));
      const want = new Float64Array(capacity * width);
      want.set(gatherRows(src, width, indices.subarray(slot * capacity), rows));
      expectClose(await readF32(device, out, capacity * width), want, 0, 0, 'gathered rows');
    });
  }

  it('folds dispatches past the per-dimension limit into 2-D and still covers every element', async () => {
    const { device } = await testGpu();
    // A tiny artificial limit forces the 2-D fold on a small problem.
    const kernel = new GatherKernel(device, 3);
    const [capacity, width] = [37, 29];
    expect(fold1d(capacity * width, 256, 3).workgroups[1]).to.be.greaterThan(1);
    const src = randomArray(new Rng(4), capacity * width);
    const out = storage(device, 'out', capacity * width);
    const indices = Uint32Array.from({ length: capacity }, (_, i) => capacity - 1 - i);
    const { dispatch } = kernel.dispatch('fold', capacity, width, storage(device, 'src', src), storage(device, 'idx', indices), storage(device, 'state', new Uint32Array([0, 0, capacity])), out);
    await run(device, (pass) => encodeDispatches(pass, [dispatch]));
    expectClose(await readF32(device, out, capacity * width), gatherRows(src, width, indices), 0, 0, 'folded gather');
  });
});

describe('argmax.wgsl', () => {
  it('packs ArgmaxParams into 16 bytes', () => {
    expect(packArgmaxParams(1, 2, 3).byteLength).to.equal(ARGMAX_PARAMS_BYTES);
  });

  for (const [rows, width] of [[1, 3], [257, 10], [31, 2]] as const) {
    it(`argmax of ${rows} rows × ${width}`, async () => {
      const { device } = await testGpu();
      const values = randomArray(new Rng(rows), rows * width);
      values[0] = values[1]!; // a tie: the first index wins on both sides
      const out = storage(device, 'out', rows);
      const { dispatch } = new ArgmaxKernel(device).dispatch('test', rows, width, storage(device, 'values', values), out);
      await run(device, (pass) => encodeDispatches(pass, [dispatch]));
      expect([...(await readU32(device, out, rows))]).to.deep.equal([...argmaxRows(values, rows, width)]);
    });
  }
});
