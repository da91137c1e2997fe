// The cases behind "Does it still match?": each family's kernel tests (test/gpu/*.test.ts) in a
// form the explorer runs on an edited family, with the same sizes and tolerances. The matmul
// family's cases are in matmul-cases.ts; the helpers all families share in check-case-helpers.ts.
import { ArgmaxKernel } from '../gpu/kernels/argmax.ts';
import { GatherKernel } from '../gpu/kernels/gather.ts';
import { LossKernel, METRICS_SLOT_FLOATS } from '../gpu/kernels/loss.ts';
import { OptimizerKernel, packModelSettings, packStepFactors } from '../gpu/kernels/optimizer.ts';
import { stateLayout, STATE_HEADER_WORDS } from '../gpu/kernels/state.ts';
import { DEFAULT_OPTIMIZER, type OptimizerConfig } from '../nn/optimizer.ts';
import type { LossHead } from '../nn/spec.ts';
import { argmaxRows, gatherRows, lossForward } from '../reference/loss.ts';
import { optimizerState, optimizerStep } from '../reference/optimizer.ts';
import { build, random, useEdited } from './check-case-helpers.ts';
import { compareArrays, type CaseResult, type CheckContext } from './checks.ts';

interface LossCase {
  kind: LossHead;
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
  { kind: 'least_squares', width: 1, capacity: 257, rows: 251, weighted: true },
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
