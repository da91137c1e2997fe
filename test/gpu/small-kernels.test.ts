import { expect } from '@esm-bundle/chai';
import { encodeDispatches, fold1d } from '../../src/gpu/kernel.ts';
import { ARGMAX_PARAMS_BYTES, ArgmaxKernel, packArgmaxParams } from '../../src/gpu/kernels/argmax.ts';
import { GATHER_PARAMS_BYTES, GatherKernel, packGatherParams } from '../../src/gpu/kernels/gather.ts';
import { stateLayout, STATE_HEADER_WORDS } from '../../src/gpu/kernels/state.ts';
import { Rng } from '../../src/nn/rng.ts';
import { argmaxRows, gatherRows } from '../../src/reference/loss.ts';
import { readF32, readU32, run, storage, testGpu } from '../helpers/gpu.ts';
import { expectClose, randomArray } from '../helpers/tolerance.ts';

/** Gathers with `models` models; model z reads slot `slot` with rows[z] rows. */
async function gather(
  device: GPUDevice,
  kernel: GatherKernel,
  capacity: number,
  width: number,
  slot: number,
  rows: number[],
  srcShared: boolean,
  seed: number,
) {
  const rng = new Rng(seed);
  const models = rows.length;
  const datasetRows = 2 * capacity + 3;
  const src = randomArray(rng, (srcShared ? 1 : models) * datasetRows * width);
  const layout = stateLayout(3);
  const indices = Uint32Array.from({ length: models * 3 * capacity }, () => rng.int(datasetRows));
  const state = new Uint32Array(models * layout.stateStride);
  rows.forEach((r, z) => {
    state[z * layout.stateStride + 1] = slot;
    state[z * layout.stateStride + STATE_HEADER_WORDS + slot] = r;
  });
  const out = storage(device, 'out', models * capacity * width);
  const shape = { ...layout, capacity, width, models, srcModelStride: srcShared ? 0 : datasetRows * width };
  const { dispatch } = kernel.dispatch('test', shape, {
    src: storage(device, 'src', src),
    indices: storage(device, 'idx', indices),
    state: storage(device, 'state', state),
    out,
  });
  await run(device, (pass) => encodeDispatches(pass, [dispatch]));
  const want = new Float64Array(models * capacity * width);
  rows.forEach((r, z) => {
    const zSrc = src.subarray(srcShared ? 0 : z * datasetRows * width);
    want.set(gatherRows(zSrc, width, indices.subarray((z * 3 + slot) * capacity), r), z * capacity * width);
  });
  return { got: await readF32(device, out, models * capacity * width), want };
}

describe('gather.wgsl', () => {
  it('packs GatherParams into 32 bytes', () => {
    const bytes = packGatherParams({ capacity: 1, width: 2, models: 3, slots: 4, stateStride: 8, srcModelStride: 9 }, 5);
    expect(bytes.byteLength).to.equal(GATHER_PARAMS_BYTES);
    expect([...new Uint32Array(bytes)]).to.deep.equal([1, 2, 5, 4, 8, 9, 0, 0]);
  });

  for (const [capacity, width, rows, slot] of [
    [1, 1, 1, 0],
    [13, 7, 11, 2],
    [300, 3, 300, 1],
    [67, 260, 61, 0],
  ] as const) {
    it(`gathers ${rows} of ${capacity} rows × ${width} for slot ${slot}, padding with zeros`, async () => {
      const { device } = await testGpu();
      const { got, want } = await gather(device, new GatherKernel(device, 65535), capacity, width, slot, [rows], true, capacity + width);
      expectClose(got, want, 0, 0, 'gathered rows');
    });
  }

  it('three models: each its own index stream and rows (one sits out), from a shared dataset or its own copy', async () => {
    const { device } = await testGpu();
    const kernel = new GatherKernel(device, 65535);
    for (const shared of [true, false]) {
      const { got, want } = await gather(device, kernel, 13, 7, 1, [11, 0, 13], shared, 77);
      expectClose(got, want, 0, 0, shared ? 'shared dataset' : 'own copies');
    }
  });

  it('out_row: one model writes its rows after the first out_row rows, leaving those as they were', async () => {
    const { device } = await testGpu();
    const [capacity, width, outRow, slot] = [7, 2, 5, 1];
    const rng = new Rng(12);
    const src = randomArray(rng, 20 * width);
    const layout = stateLayout(2);
    const indices = Uint32Array.from({ length: 2 * capacity }, () => rng.int(20));
    const state = new Uint32Array(layout.stateStride);
    state[1] = slot;
    state[STATE_HEADER_WORDS + slot] = 2 * capacity; // the D input's row count, as a GAN's D step sets it
    const before = randomArray(rng, (outRow + capacity) * width, 5, 6);
    const out = storage(device, 'out', before);
    const shape = { ...layout, capacity, width, models: 1, srcModelStride: 0, outRow };
    expect([...new Uint32Array(packGatherParams(shape, 9))]).to.deep.equal([capacity, width, 9, 2, layout.stateStride, 0, outRow, 0]);
    const kernel = new GatherKernel(device, 65535);
    const { dispatch } = kernel.dispatch('test', shape, {
      src: storage(device, 'src', src),
      indices: storage(device, 'idx', indices),
      state: storage(device, 'state', state),
      out,
    });
    await run(device, (pass) => encodeDispatches(pass, [dispatch]));
    const want = Float64Array.from(before);
    want.set(gatherRows(src, width, indices.subarray(slot * capacity), capacity), outRow * width);
    expectClose(await readF32(device, out, (outRow + capacity) * width), want, 0, 0, 'shifted gather');
    expect(() => kernel.dispatch('test', { ...shape, models: 2 }, { src: out, indices: out, state: out, out })).to.throw(/one model/);
  });

  it('folds dispatches past the per-dimension limit into 2-D and still covers every element', async () => {
    const { device } = await testGpu();
    // A tiny artificial limit forces the 2-D fold on a small problem.
    const kernel = new GatherKernel(device, 3);
    expect(fold1d(37 * 29, 256, 3).workgroups[1]).to.be.greaterThan(1);
    const { got, want } = await gather(device, kernel, 37, 29, 0, [37, 30], true, 4);
    expectClose(got, want, 0, 0, 'folded gather');
  });
});

describe('argmax.wgsl', () => {
  it('packs ArgmaxParams into 16 bytes', () => {
    expect(packArgmaxParams(1, 2, 3).byteLength).to.equal(ARGMAX_PARAMS_BYTES);
  });

  for (const [rows, width] of [
    [1, 3],
    [257, 10],
    [31, 2],
  ] as const) {
    it(`argmax of ${rows} rows × ${width}`, async () => {
      const { device } = await testGpu();
      const values = randomArray(new Rng(rows), rows * width);
      values[0] = values[1]!; // a tie: the first index wins on both sides
      const out = storage(device, 'out', rows);
      const { dispatch } = new ArgmaxKernel(device).dispatch('test', { rows, width }, { values: storage(device, 'values', values), out });
      await run(device, (pass) => encodeDispatches(pass, [dispatch]));
      expect([...(await readU32(device, out, rows))]).to.deep.equal([...argmaxRows(values, rows, width)]);
    });
  }
});
