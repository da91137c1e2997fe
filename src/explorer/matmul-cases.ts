// The check cases of matmul.wgsl, the largest family: plain products over every strategy, the
// fused epilogues, the bias-gradient row and several models in one dispatch. Separate from the
// other families' cases (check-cases.ts) by size alone; they share check-case-helpers.ts.
import { MatmulKernel, rowMajor as rowMajorView, transposed as transposedView, type Epilogue, type MatmulShape } from '../gpu/kernels/matmul.ts';
import type { Activation } from '../nn/activation.ts';
import { activate, activationGradFromOutput, matmul, rowMajor, transposed } from '../reference/dense.ts';
import { build, random, useEdited } from './check-case-helpers.ts';
import { compareArrays, type CaseResult, type CheckContext } from './checks.ts';

// f32 against float64 over k ≤ 131 terms of magnitude ≤ 1 (test/gpu/matmul.test.ts).
const MM_TOL = [1e-4, 1e-4] as const;
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [7, 13, 5],
  [67, 3, 131],
  [130, 71, 67],
];

/** matmul.wgsl: plain products, both fused epilogues, and the bias-gradient row. */
export async function matmulCases(c: CheckContext): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  const s = c.scratch;
  for (const variant of c.matmulVariants) {
    const kernel = useEdited(new MatmulKernel(s.device, variant), c.family);
    for (const [m, n, k] of SHAPES) {
      const a = random(c.rng, m * k);
      const b = random(c.rng, k * n);
      const cBuf = s.buffer('c', m * n);
      const shape: MatmulShape = {
        m,
        n,
        k,
        models: 1,
        a: rowMajorView(k),
        b: rowMajorView(n),
        c: { offset: 0, modelStride: 0 },
        epilogue: 'none',
        activation: 'linear',
      };
      const aBuf = s.buffer('a', a);
      const d = await build(c, () => kernel.dispatch('check A·B', shape, { a: aBuf, b: s.buffer('b', b), e: aBuf, c: cBuf }));
      await s.run([d]);
      out.push(compareArrays(`${variant} ${m}×${k}·${k}×${n}`, await s.read(cBuf, m * n), matmul(rowMajor(a, k), rowMajor(b, n), m, n, k), ...MM_TOL));
    }
    for (const [epilogue, act] of [
      ['bias_act', 'relu'],
      ['bias_act', 'tanh'],
      ['act_grad', 'sigmoid'],
      ['act_grad', 'leaky_relu'],
    ] as [Epilogue, Activation][]) {
      const [m, n, k] = [67, 13, 7];
      const a = random(c.rng, m * k);
      const b = random(c.rng, k * n);
      const e = epilogue === 'bias_act' ? random(c.rng, n) : Float32Array.from(random(c.rng, m * n), (v) => activate(v, act));
      const cBuf = s.buffer('c', m * n);
      const shape: MatmulShape = {
        m,
        n,
        k,
        models: 1,
        a: rowMajorView(k),
        b: rowMajorView(n),
        c: { offset: 0, modelStride: 0 },
        epilogue,
        activation: act,
        e: { offset: 0, modelStride: 0 },
      };
      const d = await build(c, () => kernel.dispatch(`check ${epilogue}`, shape, { a: s.buffer('a', a), b: s.buffer('b', b), e: s.buffer('e', e), c: cBuf }));
      await s.run([d]);
      const prod = matmul(rowMajor(a, k), rowMajor(b, n), m, n, k);
      const want = prod.map((v, i) => (epilogue === 'bias_act' ? activate(v + e[i % n]!, act) : v * activationGradFromOutput(e[i]!, act)));
      out.push(compareArrays(`${variant} ${epilogue} ${act}`, await s.read(cBuf, m * n), want, ...MM_TOL));
    }
    out.push(await augCase(c, kernel, variant));
    out.push(await modelsCase(c, kernel, variant));
  }
  return out;
}

/** Three models in one dispatch: each reads its own A, B and bias and writes its own C. */
async function modelsCase(c: CheckContext, kernel: MatmulKernel, variant: string): Promise<CaseResult> {
  const s = c.scratch;
  const [m, n, k, models] = [37, 11, 5, 3];
  const a = random(c.rng, models * m * k);
  const b = random(c.rng, models * k * n);
  const bias = random(c.rng, models * n);
  const cBuf = s.buffer('c', models * m * n);
  const shape: MatmulShape = {
    m,
    n,
    k,
    models,
    a: rowMajorView(k, 0, m * k),
    b: rowMajorView(n, 0, k * n),
    c: { offset: 0, modelStride: m * n },
    epilogue: 'bias_act',
    activation: 'tanh',
    e: { offset: 0, modelStride: n },
  };
  const d = await build(c, () => kernel.dispatch('check 3 models', shape, { a: s.buffer('a', a), b: s.buffer('b', b), e: s.buffer('e', bias), c: cBuf }));
  await s.run([d]);
  const want = new Float64Array(models * m * n);
  for (let z = 0; z < models; z++) {
    const prod = matmul(rowMajor(a.subarray(z * m * k), k), rowMajor(b.subarray(z * k * n), n), m, n, k);
    want.set(
      prod.map((v, i) => activate(v + bias[z * n + (i % n)]!, 'tanh')),
      z * m * n,
    );
  }
  return compareArrays(`${variant} 3 models, bias + tanh`, await s.read(cBuf, models * m * n), want, ...MM_TOL);
}

/** dW = Xᵀ·dZ with db as the augmented row, at offsets into one arena. */
async function augCase(c: CheckContext, kernel: MatmulKernel, variant: string): Promise<CaseResult> {
  const s = c.scratch;
  const [rows, inputs, units] = [131, 3, 65];
  const x = random(c.rng, rows * inputs);
  const dz = random(c.rng, rows * units);
  const [wOff, bOff] = [64, 64 * 5];
  const arena = s.buffer('arena', 64 * 8);
  const shape: MatmulShape = {
    m: inputs,
    n: units,
    k: rows,
    models: 1,
    a: transposedView(inputs),
    b: rowMajorView(units),
    c: { offset: wOff, modelStride: 0 },
    epilogue: 'none',
    activation: 'linear',
    augOffset: bOff,
  };
  const dzBuf = s.buffer('dz', dz);
  const d = await build(c, () => kernel.dispatch('check dW+db', shape, { a: s.buffer('x', x), b: dzBuf, e: dzBuf, c: arena }));
  await s.run([d]);
  const got = await s.read(arena, 64 * 8);
  const want = new Float64Array(64 * 8);
  want.set(matmul(transposed(x, inputs), rowMajor(dz, units), inputs, units, rows), wOff);
  for (let r = 0; r < rows; r++) for (let j = 0; j < units; j++) want[bOff + j]! += dz[r * units + j]!;
  return compareArrays(`${variant} dW + db (augmented row)`, got, want, ...MM_TOL);
}
