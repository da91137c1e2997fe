// The cases behind "Does it still match?": each family's kernel tests (test/gpu/*.test.ts) in a
// form the explorer runs on an edited family, with the same sizes and tolerances.
import type { Dispatch, KernelFamily, OwnedDispatch } from '../gpu/kernel.ts';
import { ArgmaxKernel } from '../gpu/kernels/argmax.ts';
import { GatherKernel } from '../gpu/kernels/gather.ts';
import { LossKernel, METRICS_SLOT_FLOATS } from '../gpu/kernels/loss.ts';
import { MatmulKernel, rowMajor as rowMajorView, transposed as transposedView, type Epilogue, type MatmulShape } from '../gpu/kernels/matmul.ts';
import { OptimizerKernel, packModelSettings, packStepFactors } from '../gpu/kernels/optimizer.ts';
import { stateLayout, STATE_HEADER_WORDS } from '../gpu/kernels/state.ts';
import type { Activation } from '../nn/activation.ts';
import { DEFAULT_OPTIMIZER, type OptimizerConfig } from '../nn/optimizer.ts';
import type { Rng } from '../nn/rng.ts';
import type { LossKind } from '../nn/spec.ts';
import { activate, activationGradFromOutput, matmul, rowMajor, transposed } from '../reference/dense.ts';
import { argmaxRows, gatherRows, lossForward } from '../reference/loss.ts';
import { optimizerState, optimizerStep } from '../reference/optimizer.ts';
import { compareArrays, type CaseResult, type CheckContext } from './checks.ts';

function random(rng: Rng, n: number, lo = -1, hi = 1): Float32Array {
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());
}

/** Makes a wrapper's family run `edited`'s current source, and builds dispatches inside error scopes. */
async function build<T extends OwnedDispatch>(c: CheckContext, make: () => T): Promise<Dispatch> {
  const device = c.scratch.device;
  device.pushErrorScope('validation');
  device.pushErrorScope('internal');
  let made: T | null = null;
  let thrown: { error: unknown } | null = null;
  try {
    made = make();
  } catch (error) {
    thrown = { error };
  }
  // The scopes are popped whether or not make() threw; a scope's error is the better message.
  const internal = await device.popErrorScope();
  const validation = await device.popErrorScope();
  if (made) c.scratch.own(made.uniform);
  const error = validation ?? internal;
  if (error) throw new Error(`creating the pipeline failed: ${error.message}`);
  if (thrown) throw thrown.error;
  return made!.dispatch;
}

function useEdited<K extends { family: KernelFamily }>(kernel: K, edited: KernelFamily): K {
  kernel.family.adopt(edited.source, edited.module);
  return kernel;
}

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

interface LossCase {
  kind: LossKind;
  width: number;
  capacity: number;
  rows: number;
  weighted: boolean;
}
const LOSS_CASES: LossCase[] = [
  { kind: 'softmax_ce', width: 3, capacity: 1, rows: 1, weighted: false },
  { kind: 'softmax_ce', width: 11, capacity: 300, rows: 293, weighted: true },
  { kind: 'sigmoid_bce', width: 1, capacity: 257, rows: 251, weighted: true },
  { kind: 'mse', width: 5, capacity: 263, rows: 263, weighted: false },
];

/** loss.wgsl in train mode: gradient (padding rows zero), loss sum and correct count. */
export async function lossCases(c: CheckContext): Promise<CaseResult[]> {
  const s = c.scratch;
  const kernel = useEdited(new LossKernel(s.device), c.family);
  const out: CaseResult[] = [];
  for (const lc of LOSS_CASES) {
    const datasetRows = lc.capacity + 5;
    const targetWidth = lc.kind === 'mse' ? lc.width : 1;
    const classes = lc.kind === 'softmax_ce' ? lc.width : 2;
    const targets = lc.kind === 'mse' ? random(c.rng, datasetRows * targetWidth) : Float32Array.from({ length: datasetRows }, () => c.rng.int(classes));
    const logits = random(c.rng, lc.capacity * lc.width, -6, 6);
    const indices = c.rng.shuffle(Uint32Array.from({ length: datasetRows }, (_, i) => i)).slice(0, lc.capacity);
    const weights = lc.weighted ? random(c.rng, classes, 0.2, 3) : new Float32Array(classes).fill(1);
    const outBuf = s.buffer('out', lc.capacity * lc.width);
    const metrics = s.buffer('metrics', METRICS_SLOT_FLOATS);
    const state = new Uint32Array(STATE_HEADER_WORDS + 1);
    state.set([7, 0, 0, 0, lc.rows]);
    const shape = { ...stateLayout(1), capacity: lc.capacity, width: lc.width, targetWidth, mode: 'train' as const, models: 1, classes };
    const d = await build(c, () =>
      kernel.dispatch('check loss', lc.kind, shape, {
        logits: s.buffer('logits', logits),
        targets: s.buffer('targets', targets),
        indices: s.buffer('indices', indices),
        weights: s.buffer('weights', weights),
        out: outBuf,
        metrics,
        state: s.buffer('state', state),
      }),
    );
    await s.run([d]);
    const rowTargets = gatherRows(targets, targetWidth, indices, lc.rows);
    const want = lossForward(lc.kind, logits.subarray(0, lc.rows * lc.width), rowTargets, lc.rows, lc.width, lc.weighted ? weights : null);
    const grad = new Float64Array(lc.capacity * lc.width);
    grad.set(want.grad);
    const name = `${lc.kind} width ${lc.width}, ${lc.rows} of ${lc.capacity} rows`;
    // f32 exp/log against float64 (test/gpu/loss.test.ts): 1e-5 + 1e-4·|want|; the sum 1e-4·rows.
    out.push(compareArrays(`${name}: gradient`, await s.read(outBuf, lc.capacity * lc.width), grad, 1e-5, 1e-4));
    const m = await s.read(metrics, METRICS_SLOT_FLOATS);
    out.push(compareArrays(`${name}: loss sum`, [m[0]!], [want.lossSum], 1e-4 * lc.rows, 1e-4));
    if (lc.kind !== 'mse') out.push(compareArrays(`${name}: correct count`, [m[1]!], [want.correct], 0, 0));
  }
  return out;
}

/** gather.wgsl: rows of a slot by index, zero padding; exact. */
export async function gatherCases(c: CheckContext): Promise<CaseResult[]> {
  const s = c.scratch;
  const kernel = useEdited(new GatherKernel(s.device, 65535), c.family);
  const out: CaseResult[] = [];
  for (const [capacity, width, rows, slot] of [
    [1, 1, 1, 0],
    [13, 7, 11, 2],
    [300, 3, 300, 1],
    [67, 260, 61, 0],
  ] as const) {
    const datasetRows = 2 * capacity + 3;
    const src = random(c.rng, datasetRows * width);
    const indices = Uint32Array.from({ length: 3 * capacity }, () => c.rng.int(datasetRows));
    const layout = stateLayout(3);
    const state = new Uint32Array(layout.stateStride);
    state[1] = slot;
    state[STATE_HEADER_WORDS + slot] = rows;
    const outBuf = s.buffer('out', capacity * width);
    const shape = { ...layout, capacity, width, models: 1, srcModelStride: 0 };
    const d = await build(c, () =>
      kernel.dispatch('check gather', shape, { src: s.buffer('src', src), indices: s.buffer('idx', indices), state: s.buffer('state', state), out: outBuf }),
    );
    await s.run([d]);
    const want = new Float64Array(capacity * width);
    want.set(gatherRows(src, width, indices.subarray(slot * capacity), rows));
    out.push(compareArrays(`${rows} of ${capacity} rows × ${width}, slot ${slot}`, await s.read(outBuf, capacity * width), want, 0, 0));
  }
  return out;
}

const OPTIMIZER_CASES: Record<string, Partial<OptimizerConfig>> = {
  'sgd + L1 + L2': { kind: 'sgd', learningRate: 0.05, l1: 0.01, l2: 0.1 },
  nesterov: { kind: 'momentum', learningRate: 0.02, momentum: 0.8, nesterov: true },
  adam: { kind: 'adam', learningRate: 1e-2, l2: 0.05 },
  adamw: { kind: 'adamw', learningRate: 1e-2, weightDecay: 0.1, beta1: 0.5 },
};

/** optimizer.wgsl: 10 steps over a 300-float arena (200 weights) against optimizerStep. */
export async function optimizerCases(c: CheckContext): Promise<CaseResult[]> {
  const s = c.scratch;
  const [count, weightsEnd, steps] = [300, 200, 10];
  const out: CaseResult[] = [];
  for (const [name, partial] of Object.entries(OPTIMIZER_CASES)) {
    const cfg = { ...DEFAULT_OPTIMIZER, ...partial };
    const kernel = useEdited(new OptimizerKernel(s.device, 65535), c.family);
    const start = random(c.rng, count);
    const layout = stateLayout(1);
    // The loss kernel would have advanced slot to 1: this step's factors are at slot 0.
    const stateWords = new Uint32Array(layout.stateStride);
    stateWords[1] = 1;
    const [params, grads, stepsBuf] = [s.buffer('params', start), s.buffer('grads', count), s.buffer('steps', 4)];
    const settings = s.buffer('settings', new Float32Array(packModelSettings([cfg])));
    const buffers = { grads, state: s.buffer('state', stateWords), settings, steps: stepsBuf, params, m: s.buffer('m', count), v: s.buffer('v', count) };
    const d = await build(c, () => kernel.dispatch('check arena', { ...layout, count, weightsEnd, models: 1 }, buffers));
    const ref = Float64Array.from(start);
    const refState = optimizerState(count);
    const t = [0];
    for (let step = 1; step <= steps; step++) {
      const g = random(c.rng, count, -2, 2);
      s.device.queue.writeBuffer(grads, 0, g);
      s.device.queue.writeBuffer(stepsBuf, 0, packStepFactors([cfg], t, [1], 1, 1));
      await s.run([d]);
      optimizerStep(cfg, ref, g, refState, weightsEnd);
    }
    // f32 state over `steps` updates (test/gpu/optimizer.test.ts): 2e-6·steps + 1e-5·|want|.
    out.push(compareArrays(`${name}, ${steps} steps`, await s.read(params, count), ref, 2e-6 * steps, 1e-5));
  }
  return out;
}

/** argmax.wgsl: first index of the largest value per row, ties included; exact. */
export async function argmaxCases(c: CheckContext): Promise<CaseResult[]> {
  const s = c.scratch;
  const kernel = useEdited(new ArgmaxKernel(s.device), c.family);
  const out: CaseResult[] = [];
  for (const [rows, width] of [
    [1, 3],
    [257, 10],
    [31, 2],
    [300, 1],
  ] as const) {
    const values = width === 1 ? random(c.rng, rows, 0, 1) : random(c.rng, rows * width);
    if (width > 1) values[0] = values[1]!; // a tie: the first index wins
    const outBuf = s.buffer('out', rows);
    const d = await build(c, () => kernel.dispatch('check argmax', { rows, width }, { values: s.buffer('values', values), out: outBuf }));
    await s.run([d]);
    const got = new Uint32Array((await s.read(outBuf, rows)).buffer);
    const want = width === 1 ? Array.from(values, (v) => (v > 0.5 ? 1 : 0)) : argmaxRows(values, rows, width);
    out.push(compareArrays(`${rows} rows × ${width}`, got, want, 0, 0));
  }
  return out;
}
