import { expect } from '@esm-bundle/chai';
import { encodeDispatches } from '../../src/gpu/kernel.ts';
import { LOSS_PARAMS_BYTES, LossKernel, METRICS_SLOT_FLOATS, packLossParams, type LossMode } from '../../src/gpu/kernels/loss.ts';
import { stateLayout } from '../../src/gpu/kernels/state.ts';
import { Rng } from '../../src/nn/rng.ts';
import type { LossHead } from '../../src/nn/spec.ts';
import { lossForward } from '../../src/reference/loss.ts';
import { readF32, readU32, run, storage, testGpu } from '../helpers/gpu.ts';
import { expectClose, randomArray } from '../helpers/tolerance.ts';

// f32 exp/log against float64, summed over ≤ 300 rows: |Δ| ≤ 1e-5 + 1e-4·|want| per element,
// and 1e-4·rows on the loss sum.
const ATOL = 1e-5;
const RTOL = 1e-4;

interface Case {
  kind: LossHead;
  width: number;
  capacity: number;
  rows: number;
  weighted: boolean;
  /** Per-row weights in the weights buffer: seeded values in [0, 3) with some zeros, or all ones. */
  rowWeights?: 'random' | 'ones';
}

const CASES: Case[] = [
  { kind: 'softmax_ce', width: 3, capacity: 1, rows: 1, weighted: false },
  { kind: 'softmax_ce', width: 11, capacity: 300, rows: 293, weighted: true },
  { kind: 'softmax_ce', width: 2, capacity: 37, rows: 37, weighted: false },
  { kind: 'sigmoid_bce', width: 1, capacity: 257, rows: 251, weighted: true },
  { kind: 'sigmoid_bce', width: 1, capacity: 1, rows: 1, weighted: false },
  { kind: 'mse', width: 5, capacity: 263, rows: 263, weighted: false },
  { kind: 'mse', width: 1, capacity: 13, rows: 7, weighted: false },
  { kind: 'least_squares', width: 1, capacity: 257, rows: 251, weighted: true },
  { kind: 'least_squares', width: 1, capacity: 1, rows: 1, weighted: false },
  { kind: 'softmax_ce', width: 7, capacity: 131, rows: 127, weighted: true, rowWeights: 'random' },
  { kind: 'sigmoid_bce', width: 1, capacity: 61, rows: 59, weighted: true, rowWeights: 'random' },
  { kind: 'mse', width: 3, capacity: 17, rows: 17, weighted: false, rowWeights: 'random' },
  { kind: 'least_squares', width: 1, capacity: 29, rows: 23, weighted: true, rowWeights: 'random' },
];

/** Row weights of `datasetRows` rows for each model: every fourth one 0, the others in [0.1, 3). */
function rowWeightsOf(c: Case, rng: Rng, models: number, datasetRows: number): Float32Array | null {
  if (!c.rowWeights) return null;
  if (c.rowWeights === 'ones') return new Float32Array(models * datasetRows).fill(1);
  return Float32Array.from({ length: models * datasetRows }, (_, i) => (i % 4 === 1 ? 0 : 0.1 + 2.9 * rng.uniform()));
}

/** One loss dispatch over `rows.length` models; model z has rows[z] of the capacity's rows. */
async function runLoss(c: Case, mode: LossMode, seed: number, rows: number[] = [c.rows]) {
  const { device } = await testGpu();
  const rng = new Rng(seed);
  const models = rows.length;
  const datasetRows = c.capacity + 5;
  const targetWidth = c.kind === 'mse' ? c.width : 1;
  const classes = c.kind === 'softmax_ce' ? c.width : 2;
  const targets = c.kind === 'mse' ? randomArray(rng, datasetRows * targetWidth) : Float32Array.from({ length: datasetRows }, () => rng.int(classes));
  const logits = randomArray(rng, models * c.capacity * c.width, -6, 6);
  const indices = new Uint32Array(models * c.capacity);
  for (let z = 0; z < models; z++) indices.set(rng.shuffle(Uint32Array.from({ length: datasetRows }, (_, i) => i)).slice(0, c.capacity), z * c.capacity);
  const classWeights = c.weighted ? randomArray(rng, models * classes, 0.2, 3) : new Float32Array(models * classes).fill(1);
  const rowWeights = rowWeightsOf(c, rng, models, datasetRows);
  const weights = rowWeights ? Float32Array.from([...classWeights, ...rowWeights]) : classWeights;
  const layout = stateLayout(1);
  const stateWords = new Uint32Array(models * layout.stateStride);
  rows.forEach((r, z) => stateWords.set([7 + z, 0, 0, 0, r], z * layout.stateStride));
  const kernel = new LossKernel(device);
  const out = storage(device, 'out', models * c.capacity * c.width);
  const metrics = storage(device, 'metrics', models * METRICS_SLOT_FLOATS);
  const state = storage(device, 'state', stateWords);
  const rowLayout = rowWeights ? { offset: models * classes, stride: datasetRows } : undefined;
  const shape = { ...layout, capacity: c.capacity, width: c.width, targetWidth, mode, models, classes, rowWeights: rowLayout };
  const { dispatch } = kernel.dispatch('test', c.kind, shape, {
    logits: storage(device, 'logits', logits),
    targets: storage(device, 'targets', targets),
    indices: storage(device, 'indices', indices),
    weights: storage(device, 'weights', weights),
    out,
    metrics,
    state,
  });
  await run(device, (pass) => encodeDispatches(pass, [dispatch]));
  const want = rows.map((r, z) => {
    const rowTargets = new Float64Array(r * targetWidth);
    for (let i = 0; i < r; i++)
      for (let t = 0; t < targetWidth; t++) rowTargets[i * targetWidth + t] = targets[indices[z * c.capacity + i]! * targetWidth + t]!;
    const zLogits = logits.subarray(z * c.capacity * c.width, (z * c.capacity + r) * c.width);
    // Row weights weigh training only: the other modes must ignore them.
    const zRows = rowWeights && mode === 'train' ? Array.from({ length: r }, (_, i) => rowWeights[z * datasetRows + indices[z * c.capacity + i]!]!) : null;
    return lossForward(c.kind, zLogits, rowTargets, r, c.width, c.weighted ? classWeights.subarray(z * classes, (z + 1) * classes) : null, zRows);
  });
  return {
    want,
    out: await readF32(device, out, models * c.capacity * c.width),
    metrics: await readF32(device, metrics, models * METRICS_SLOT_FLOATS),
    state: await readU32(device, state, models * layout.stateStride),
    stride: layout.stateStride,
  };
}

describe('loss.wgsl', () => {
  it('packs LossParams into 48 bytes', () => {
    const shape = { capacity: 1, width: 2, targetWidth: 3, mode: 'eval' as const, slots: 4, stateStride: 8, models: 5, classes: 6 };
    expect(packLossParams(shape).byteLength).to.equal(LOSS_PARAMS_BYTES);
    expect([...new Uint32Array(packLossParams(shape))]).to.deep.equal([1, 2, 3, 1, 4, 8, 6, 0, 0, 0, 0, 0]);
    const rowWeighted = { ...shape, rowWeights: { offset: 30, stride: 9 } };
    expect([...new Uint32Array(packLossParams(rowWeighted))]).to.deep.equal([1, 2, 3, 1, 4, 8, 6, 30, 9, 0, 0, 0]);
    expect(() => packLossParams({ ...shape, rowWeights: { offset: 0, stride: 9 } })).to.throw(/offset/);
  });

  for (const kind of ['softmax_ce', 'sigmoid_bce', 'mse', 'least_squares'] as const) {
    it(`${kind}: row weights of all ones train exactly like none`, async () => {
      const c = CASES.find((x) => x.kind === kind && x.rowWeights)!;
      const plain = await runLoss({ ...c, rowWeights: undefined }, 'train', 400);
      const ones = await runLoss({ ...c, rowWeights: 'ones' }, 'train', 400);
      expect([...ones.out], 'gradient').to.deep.equal([...plain.out]);
      expect([...ones.metrics], 'metrics').to.deep.equal([...plain.metrics]);
    });
  }

  CASES.forEach((c, i) => {
    const weighting = `${c.weighted ? ', class-weighted' : ''}${c.rowWeights ? ', row-weighted' : ''}`;
    it(`${c.kind} width ${c.width}, ${c.rows} of ${c.capacity} rows${weighting}: gradient, loss sum, correct`, async () => {
      const {
        want: [want],
        out,
        metrics,
        state,
      } = await runLoss(c, 'train', 100 + i);
      expectClose(out.subarray(0, c.rows * c.width), want!.grad, ATOL, RTOL, 'gradient');
      expectClose(out.subarray(c.rows * c.width), new Float32Array((c.capacity - c.rows) * c.width), 0, 0, 'padding gradient');
      expectClose([metrics[0]!], [want!.lossSum], 1e-4 * c.rows, RTOL, 'loss sum');
      expect(metrics[1]).to.equal(want!.correct);
      expectClose([metrics[2]!, metrics[3]!], [want!.positiveScore, want!.negativeScore], 1e-4 * c.rows, RTOL, 'Σp split');
      expect([...state.subarray(0, 2)], 'train mode advances t and slot').to.deep.equal([8, 1]);
    });

    it(`${c.kind} width ${c.width}: eval mode writes outputs${c.rowWeights ? ', ignores row weights' : ''} and leaves t alone`, async () => {
      const {
        want: [want],
        out,
        metrics,
        state,
      } = await runLoss(c, 'eval', 200 + i);
      expectClose(out.subarray(0, c.rows * c.width), want!.outputs, ATOL, RTOL, 'outputs');
      expectClose([metrics[0]!], [want!.lossSum], 1e-4 * c.rows, RTOL, 'loss sum');
      expect(state[0]).to.equal(7);
      expect(state[1]).to.equal(1);
    });
  });

  for (const c of [CASES[1]!, CASES[3]!, CASES[5]!, CASES[7]!, CASES[9]!]) {
    it(`${c.kind}: three models in one dispatch, each with its own rows, weights and state; one sits the step out`, async () => {
      const rows = [c.rows, 0, Math.max(1, c.rows - 3)];
      const { want, out, metrics, state, stride } = await runLoss(c, 'train', 300, rows);
      const per = c.capacity * c.width;
      rows.forEach((r, z) => {
        expectClose(out.subarray(z * per, z * per + r * c.width), want[z]!.grad, ATOL, RTOL, `model ${z} gradient`);
        expectClose(out.subarray(z * per + r * c.width, (z + 1) * per), new Float32Array(per - r * c.width), 0, 0, `model ${z} padding`);
        expectClose([metrics[z * METRICS_SLOT_FLOATS]!], [want[z]!.lossSum], 1e-4 * Math.max(1, r), RTOL, `model ${z} loss sum`);
        // t advances only for a model that trained in this step.
        expect([...state.subarray(z * stride, z * stride + 2)], `model ${z} t and slot`).to.deep.equal([7 + z + (r > 0 ? 1 : 0), 1]);
      });
    });
  }
});
