import { expect } from '@esm-bundle/chai';
import { encodeDispatches } from '../../src/gpu/kernel.ts';
import {
  groupModels,
  MATMUL_PARAMS_BYTES,
  MatmulKernel,
  packMatmulParams,
  rowMajor as rowMajorView,
  runTransposed,
  transposed as transposedView,
  type MatmulShape,
  type MatmulVariant,
} from '../../src/gpu/kernels/matmul.ts';
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

/** A plain row-major product of one model. */
function plain(m: number, n: number, k: number): MatmulShape {
  return { m, n, k, models: 1, a: rowMajorView(k), b: rowMajorView(n), c: { offset: 0, modelStride: 0 }, epilogue: 'none', activation: 'linear' };
}

describe('matmul.wgsl', () => {
  it('packs MatmulParams into 96 bytes in field order', () => {
    const params = {
      m: 1,
      n: 2,
      k: 3,
      aug: true,
      aOff: 4,
      aRs: 5,
      aCs: 6,
      bOff: 7,
      bRs: 8,
      bCs: 9,
      cOff: 10,
      eOff: 11,
      augOff: 12,
      cRs: 13,
      cCs: 14,
      biasOnRows: true,
      aMs: 15,
      bMs: 16,
      cMs: 17,
      eMs: 18,
      models: 19,
      epilogue: 'act_grad' as const,
      activation: 'sigmoid' as const,
    };
    const bytes = packMatmulParams(params);
    expect(bytes.byteLength).to.equal(MATMUL_PARAMS_BYTES);
    expect([...new Uint32Array(bytes)]).to.deep.equal([1, 2, 3, 1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 1, 15, 16, 17, 18, 19, 2, 4, 0]);
  });

  it('packs the small products of many models into fewer blocked workgroups, never the tiled ones', () => {
    // An Iris hidden layer (32×64 by k = 64) of 64 models: 8 models per workgroup, 16 workgroups.
    expect(groupModels('blocked', 32, 64, 64, 64)).to.equal(8);
    // k = 4 would take every model: 16 at most (a 16×16 workgroup), in 2 × 4 workgroups.
    expect(groupModels('blocked', 32, 64, 4, 64)).to.equal(16);
    expect(groupModels('blocked', 32, 64, 4, 6)).to.equal(2);
    // An MNIST hidden layer (128×784 by k = 256) of 8 models: 2 per workgroup, still 400 workgroups.
    expect(groupModels('blocked', 128, 784, 256, 8)).to.equal(2);
    expect(groupModels('tiled', 32, 64, 4, 64)).to.equal(1);
    expect(groupModels('blocked', 32, 64, 4, 1)).to.equal(1);
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
          const aBuf = storage(device, 'a', a);
          const { dispatch } = kernel.dispatch('A·B', plain(m, n, k), { a: aBuf, b: storage(device, 'b', b), e: aBuf, c: out });
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
        const j1 = kernel.dispatch('dW', { ...plain(inputs, units, rows), a: transposedView(inputs) }, { a: xBuf, b: dzBuf, e: xBuf, c: dW });
        const j2 = kernel.dispatch('dX', { ...plain(rows, inputs, units), b: transposedView(units) }, { a: dzBuf, b: wBuf, e: dzBuf, c: dX });
        await run(device, (pass) => encodeDispatches(pass, [j1.dispatch, j2.dispatch]));
        expectClose(await readF32(device, dW, inputs * units), matmul(transposed(x, inputs), rowMajor(dz, units), inputs, units, rows), ATOL, RTOL, 'dW');
        expectClose(await readF32(device, dX, rows * inputs), matmul(rowMajor(dz, units), transposed(w, units), rows, inputs, units), ATOL, RTOL, 'dX');
      });

      // 67×13 runs as it is; 32×3 and 128×1 are narrow, so the blocked variant runs them transposed.
      for (const act of ACTIVATIONS)
        for (const [m, n, k] of [
          [67, 13, 7],
          [32, 3, 9],
          [128, 1, 33],
        ] as const) {
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
            const base = { ...plain(m, n, k), activation: act as Activation, e: { offset: 0, modelStride: 0 } };
            const j1 = kernel.dispatch('bias_act', { ...base, epilogue: 'bias_act' }, { a: aBuf, b: bBuf, e: biasBuf, c: fwd });
            const j2 = kernel.dispatch('act_grad', { ...base, epilogue: 'act_grad' }, { a: aBuf, b: bBuf, e: yBuf, c: grad });
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
        const dzBuf = storage(device, 'dz', dz);
        const shape = { ...plain(inputs, units, rows), a: transposedView(inputs), c: { offset: wOff, modelStride: 0 }, augOffset: bOff };
        const j = kernel.dispatch('dW+db', shape, { a: storage(device, 'x', x), b: dzBuf, e: dzBuf, c: arena });
        await run(device, (pass) => encodeDispatches(pass, [j.dispatch]));
        const got = await readF32(device, arena, 64 * 8);
        const db = new Float64Array(units);
        for (let r = 0; r < rows; r++) for (let c = 0; c < units; c++) db[c]! += dz[r * units + c]!;
        expectClose(got.subarray(wOff, wOff + inputs * units), matmul(transposed(x, inputs), rowMajor(dz, units), inputs, units, rows), ATOL, RTOL, 'dW');
        expectClose(got.subarray(bOff, bOff + units), db, ATOL, RTOL, 'db');
        expectClose(got.subarray(0, wOff), new Float64Array(wOff), 0, 0, 'untouched prefix');
      });

      // 5 models (a prime) and 64: every operand moves by its own model stride; B shared when its
      // stride is 0. Narrow shapes take the transposed path on the blocked variant.
      for (const [models, m, n, k, sharedB] of [
        [5, 37, 11, 7, false],
        [5, 32, 3, 9, true],
        [64, 32, 64, 4, false],
      ] as const) {
        it(`${models} models in one dispatch: ${m}×${k}·${k}×${n} with bias + relu${sharedB ? ', B shared' : ''}`, async () => {
          const { device } = await testGpu();
          const kernel = new MatmulKernel(device, variant);
          const rng = new Rng(models * 7 + n);
          const a = randomArray(rng, models * m * k);
          const b = randomArray(rng, (sharedB ? 1 : models) * k * n);
          // Biases inside an arena-like buffer: model z's at 16 + z·(n + 16).
          const stride = n + 16;
          const bias = randomArray(rng, 16 + models * stride);
          const out = storage(device, 'c', models * m * n);
          const shape: MatmulShape = {
            m,
            n,
            k,
            models,
            a: rowMajorView(k, 0, m * k),
            b: rowMajorView(n, 0, sharedB ? 0 : k * n),
            c: { offset: 0, modelStride: m * n },
            epilogue: 'bias_act',
            activation: 'relu',
            e: { offset: 16, modelStride: stride },
          };
          const { dispatch } = kernel.dispatch('models', shape, {
            a: storage(device, 'a', a),
            b: storage(device, 'b', b),
            e: storage(device, 'bias', bias),
            c: out,
          });
          expect(dispatch.workgroups[2]).to.be.within(1, models);
          await run(device, (pass) => encodeDispatches(pass, [dispatch]));
          const got = await readF32(device, out, models * m * n);
          for (let z = 0; z < models; z++) {
            const prod = matmul(rowMajor(a.subarray(z * m * k), k), rowMajor(b.subarray(sharedB ? 0 : z * k * n), n), m, n, k);
            const want = prod.map((v, i) => activate(v + bias[16 + z * stride + (i % n)]!, 'relu'));
            expectClose(got.subarray(z * m * n, (z + 1) * m * n), want, ATOL, RTOL, `model ${z}`);
          }
        });
      }

      it("three models: dW + db with the aug row lands in each model's own arena", async () => {
        const { device } = await testGpu();
        const kernel = new MatmulKernel(device, variant);
        const rng = new Rng(123);
        const [models, rows, inputs, units, arenaFloats] = [3, 29, 5, 7, 128];
        const [wOff, bOff] = [0, 64];
        const x = randomArray(rng, models * rows * inputs);
        const dz = randomArray(rng, models * rows * units);
        const arena = storage(device, 'arena', models * arenaFloats);
        const dzBuf = storage(device, 'dz', dz);
        const shape: MatmulShape = {
          m: inputs,
          n: units,
          k: rows,
          models,
          a: transposedView(inputs, 0, rows * inputs),
          b: rowMajorView(units, 0, rows * units),
          c: { offset: wOff, modelStride: arenaFloats },
          epilogue: 'none',
          activation: 'linear',
          augOffset: bOff,
        };
        const { dispatch } = kernel.dispatch('dW+db models', shape, { a: storage(device, 'x', x), b: dzBuf, e: dzBuf, c: arena });
        await run(device, (pass) => encodeDispatches(pass, [dispatch]));
        const got = await readF32(device, arena, models * arenaFloats);
        for (let z = 0; z < models; z++) {
          const zx = x.subarray(z * rows * inputs, (z + 1) * rows * inputs);
          const zdz = dz.subarray(z * rows * units, (z + 1) * rows * units);
          const db = new Float64Array(units);
          for (let r = 0; r < rows; r++) for (let c = 0; c < units; c++) db[c]! += zdz[r * units + c]!;
          const base = z * arenaFloats;
          expectClose(
            got.subarray(base + wOff, base + wOff + inputs * units),
            matmul(transposed(zx, inputs), rowMajor(zdz, units), inputs, units, rows),
            ATOL,
            RTOL,
            `model ${z} dW`,
          );
          expectClose(got.subarray(base + bOff, base + bOff + units), db, ATOL, RTOL, `model ${z} db`);
        }
      });
    });
  }
});
