import { expect } from '@esm-bundle/chai';
import { encodeDispatches } from '../../src/gpu/kernel.ts';
import { MATMUL_PARAMS_BYTES, MatmulKernel, packMatmulParams, rowMajorOperand, runTransposed, transposedOperand, type MatmulVariant } from '../../src/gpu/kernels/matmul.ts';
import { ACTIVATIONS, type Activation } from '../../src/nn/activation.ts';
import { Rng } from '../../src/nn/rng.ts';
import { activate, activationGradFromOutput, matmul, rowMajor, transposed } from '../../src/reference/dense.ts';
import { readF32, run, storage, testGpu } from '../helpers/gpu.ts';
import { expectClose, randomArray } from '../helpers/tolerance.ts';

// Sizes: 1, primes, and larger than / not a multiple of the 64-wide workgroup tile.
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [7, 13, 5],
  [67, 3, 131],
  [130, 71, 67],
];
// f32 against float64 over k ≤ 131 terms of magnitude ≤ 1: |Δ| ≤ 1e-4 + 1e-4·|want|.
const ATOL = 1e-4;
const RTOL = 1e-4;

describe('matmul.wgsl', () => {
  it('packs MatmulParams into 64 bytes in field order', () => {
    const bytes = packMatmulParams({ m: 1, n: 2, k: 3, aug: true, aOff: 4, aRs: 5, aCs: 6, bOff: 7, bRs: 8, bCs: 9, cOff: 10, eOff: 11, augOff: 12, cRs: 13, cCs: 14, biasOnRows: true });
    expect(bytes.byteLength).to.equal(MATMUL_PARAMS_BYTES);
    expect([...new Uint32Array(bytes)]).to.deep.equal([1, 2, 3, 1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 1]);
  });

  it('runs a narrow blocked product transposed, and never a tiled one', () => {
    expect(runTransposed('blocked', 32, 3)).to.equal(true);
    expect(runTransposed('blocked', 128, 1)).to.equal(true);
    expect(runTransposed('blocked', 128, 10)).to.equal(false);
    expect(runTransposed('blocked', 64, 784)).to.equal(false);
    expect(runTransposed('blocked', 32, 64)).to.equal(false);
    expect(runTransposed('blocked', 3, 32)).to.equal(false);
    expect(runTransposed('tiled', 32, 3)).to.equal(false);
  });

  for (const variant of ['blocked', 'tiled'] as MatmulVariant[]) {
    describe(variant, () => {
      for (const [m, n, k] of SHAPES) {
        it(`C = A·B for ${m}×${k}·${k}×${n}`, async () => {
          const { device } = await testGpu();
          const kernel = new MatmulKernel(device, variant);
          const rng = new Rng(m * 1000 + n * 10 + k);
          const a = randomArray(rng, m * k);
          const b = randomArray(rng, k * n);
          const out = storage(device, 'c', m * n);
          const { dispatch } = kernel.dispatch({
            label: 'A·B', m, n, k, a: rowMajorOperand(storage(device, 'a', a), k), b: rowMajorOperand(storage(device, 'b', b), n),
            c: { buffer: out, offset: 0 }, epilogue: 'none', activation: 'linear',
          });
          await run(device, (pass) => encodeDispatches(pass, [dispatch]));
          expectClose(await readF32(device, out, m * n), matmul(rowMajor(a, k), rowMajor(b, n), m, n, k), ATOL, RTOL, `${variant} A·B`);
        });
      }

      it('transposed operands on non-square shapes (dW = Xᵀ·dZ, dX = dZ·Wᵀ)', async () => {
        const { device } = await testGpu();
        const kernel = new MatmulKernel(device, variant);
        const rng = new Rng(5);
        const [rows, inputs, units] = [97, 5, 70];
        const x = randomArray(rng, rows * inputs);
        const dz = randomArray(rng, rows * units);
        const w = randomArray(rng, inputs * units);
        const xBuf = storage(device, 'x', x);
        const dzBuf = storage(device, 'dz', dz);
        const wBuf = storage(device, 'w', w);
        const dW = storage(device, 'dW', inputs * units);
        const dX = storage(device, 'dX', rows * inputs);
        const j1 = kernel.dispatch({ label: 'dW', m: inputs, n: units, k: rows, a: transposedOperand(xBuf, inputs), b: rowMajorOperand(dzBuf, units), c: { buffer: dW, offset: 0 }, epilogue: 'none', activation: 'linear' });
        const j2 = kernel.dispatch({ label: 'dX', m: rows, n: inputs, k: units, a: rowMajorOperand(dzBuf, units), b: transposedOperand(wBuf, units), c: { buffer: dX, offset: 0 }, epilogue: 'none', activation: 'linear' });
        await run(device, (pass) => encodeDispatches(pass, [j1.dispatch, j2.dispatch]));
        expectClose(await readF32(device, dW, inputs * units), matmul(transposed(x, inputs), rowMajor(dz, units), inputs, units, rows), ATOL, RTOL, 'dW');
        expectClose(await readF32(device, dX, rows * inputs), matmul(rowMajor(dz, units), transposed(w, units), rows, inputs, units), ATOL, RTOL, 'dX');
      });

      // 67×13 runs as it is; 32×3 and 128×1 are narrow, so the blocked variant runs them transposed.
      for (const act of ACTIVATIONS) for (const [m, n, k] of [[67, 13, 7], [32, 3, 9], [128, 1, 33]] as const) {
        it(`fused bias + ${act}, and × ${act}'(y), ${m}×${n}`, async () => {
          if (variant === 'blocked') expect(runTransposed(variant, m, n)).to.equal(n < 13);
          const { device } = await testGpu();
          const kernel = new MatmulKernel(device, variant);
          const rng = new Rng(ACTIVATIONS.indexOf(act) + 11 + n);
          const a = randomArray(rng, m * k);
          const b = randomArray(rng, k * n);
          const bias = randomArray(rng, n);
          const y = Float32Array.from(randomArray(rng, m * n), (v) => activate(v, act as Activation));
          const [aBuf, bBuf, biasBuf, yBuf] = [storage(device, 'a', a), storage(device, 'b', b), storage(device, 'bias', bias), storage(device, 'y', y)];
          const fwd = storage(device, 'fwd', m * n);
          const grad = storage(device, 'grad', m * n);
          const base = { m, n, k, a: rowMajorOperand(aBuf, k), b: rowMajorOperand(bBuf, n), activation: act as Activation };
          const j1 = kernel.dispatch({ ...base, label: 'bias_act', c: { buffer: fwd, offset: 0 }, epilogue: 'bias_act', e: { buffer: biasBuf, offset: 0 } });
          const j2 = kernel.dispatch({ ...base, label: 'act_grad', c: { buffer: grad, offset: 0 }, epilogue: 'act_grad', e: { buffer: yBuf, offset: 0 } });
          await run(device, (pass) => encodeDispatches(pass, [j1.dispatch, j2.dispatch]));
          const prod = matmul(rowMajor(a, k), rowMajor(b, n), m, n, k);
          const wantFwd = prod.map((v, i) => activate(v + bias[i % n]!, act as Activation));
          const wantGrad = prod.map((v, i) => v * activationGradFromOutput(y[i]!, act as Activation));
          expectClose(await readF32(device, fwd, m * n), wantFwd, ATOL, RTOL, `${act} forward`);
          expectClose(await readF32(device, grad, m * n), wantGrad, ATOL, RTOL, `${act} gradient`);
        });
      }

      it('augmented row of ones writes column sums (db) at its own offset, with offsets into one buffer', async () => {
        const { device } = await testGpu();
        const kernel = new MatmulKernel(device, variant);
        const rng = new Rng(99);
        const [rows, inputs, units] = [131, 3, 65];
        const x = randomArray(rng, rows * inputs);
        const dz = randomArray(rng, rows * units);
        const arena = storage(device, 'arena', 64 * 8);
        const wOff = 64;
        const bOff = 64 * 5;
        const j = kernel.dispatch({
          label: 'dW+db', m: inputs, n: units, k: rows, a: transposedOperand(storage(device, 'x', x), inputs), b: rowMajorOperand(storage(device, 'dz', dz), units),
          c: { buffer: arena, offset: wOff }, epilogue: 'none', activation: 'linear', augOffset: bOff,
        });
        await run(device, (pass) => encodeDispatches(pass, [j.dispatch]));
        const got = await readF32(device, arena, 64 * 8);
        const db = new Float64Array(units);
        for (let r = 0; r < rows; r++) for (let c = 0; c < units; c++) db[c]! += dz[r * units + c]!;
        expectClose(got.subarray(wOff, wOff + inputs * units), matmul(transposed(x, inputs), rowMajor(dz, units), inputs, units, rows), ATOL, RTOL, 'dW');
        expectClose(got.subarray(bOff, bOff + units), db, ATOL, RTOL, 'db');
        expectClose(got.subarray(0, wOff), new Float64Array(wOff), 0, 0, 'untouched prefix');
      });
    });
  }
});
