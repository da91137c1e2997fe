import { expect } from '@esm-bundle/chai';
import { encodeDispatches } from '../../src/gpu/kernel.ts';
import { LOSS_PARAMS_BYTES, LossKernel, METRICS_SLOT_FLOATS, packLossParams, type LossMode } from '../../src/gpu/kernels/loss.ts';
import { Rng } from '../../src/nn/rng.ts';
import type { LossKind } from '../../src/nn/spec.ts';
import { lossForward } from '../../src/reference/loss.ts';
import { readF32, readU32, run, storage, testGpu } from '../helpers/gpu.ts';
import { expectClose, randomArray } from '../helpers/tolerance.ts';

// f32 exp/log against float64, summed over ≤ 300 rows: |Δ| ≤ 1e-5 + 1e-4·|want| per element,
// and 1e-4·rows on the loss sum.
const ATOL = 1e-5;
const RTOL = 1e-4;

interface Case {
  kind: LossKind;
  width: number;
  capacity: number;
  rows: number;
  weighted: boolean;
}

const CASES: Case[] = [
  { kind: 'softmax_ce', width: 3, capacity: 1, rows: 1, weighted: false },
  { kind: 'softmax_ce', width: 11, capacity: 300, rows: 293, weighted: true },
  { kind: 'softmax_ce', width: 2, capacity: 37, rows: 37, weighted: false },
  { kind: 'sigmoid_bce', width: 1, capacity: 257, rows: 251, weighted: true },
  { kind: 'sigmoid_bce', width: 1, capacity: 1, rows: 1, weighted: false },
  { kind: 'mse', width: 5, capacity: 263, rows: 263, weighted: false },
  { kind: 'mse', width: 1, capacity: 13, rows: 7, weighted: false },
];

async function runLoss(c: Case, mode: LossMode, seed: number) {
  const { device } = await testGpu();
  const rng = new Rng(seed);
  const datasetRows = c.capacity + 5;
  const targetWidth = c.kind === 'mse' ? c.width : 1;
  const classes = c.kind === 'softmax_ce' ? c.width : 2;
  const targets = c.kind === 'mse' ? randomArray(rng, datasetRows * targetWidth) : Float32Array.from({ length: datasetRows }, () => rng.int(classes));
  const logits = randomArray(rng, c.capacity * c.width, -6, 6);
  const indices = rng.shuffle(Uint32Array.from({ length: datasetRows }, (_, i) => i)).slice(0, c.capacity);
  const weights = c.weighted ? randomArray(rng, classes, 0.2, 3) : new Float32Array(classes).fill(1);
  const kernel = new LossKernel(device);
  const out = storage(device, 'out', c.capacity * c.width);
  const metrics = storage(device, 'metrics', METRICS_SLOT_FLOATS);
  const state = storage(device, 'state', new Uint32Array([7, 0, c.rows]));
  const { dispatch } = kernel.dispatch('test', c.kind, { capacity: c.capacity, width: c.width, targetWidth, mode }, {
    logits: storage(device, 'logits', logits), targets: storage(device, 'targets', targets), indices: storage(device, 'indices', indices),
    classWeights: storage(device, 'weights', weights), out, metrics, state,
  });
  await run(device, (pass) => encodeDispatches(pass, [dispatch]));
  const rowTargets = new Float64Array(c.rows * targetWidth);
  for (let r = 0; r < c.rows; r++) for (let t = 0; t < targetWidth; t++) rowTargets[r * targetWidth + t] = targets[indices[r]! * targetWidth + t]!;
  const want = lossForward(c.kind, logits.subarray(0, c.rows * c.width), rowTargets, c.rows, c.width, c.weighted ? weights : null);
  return {
    want,
    out: await readF32(device, out, c.capacity * c.width),
    metrics: await readF32(device, metrics, METRICS_SLOT_FLOATS),
    state: await readU32(device, state, 3),
  };
}

describe('loss.wgsl', () => {
  it('packs LossParams into 16 bytes', () => {
    expect(packLossParams({ capacity: 1, width: 2, targetWidth: 3, mode: 'eval' }).byteLength).to.equal(LOSS_PARAMS_BYTES);
    expect([...new Uint32Array(packLossParams({ capacity: 1, width: 2, targetWidth: 3, mode: 'eval' }))]).to.deep.equal([1, 2, 3, 1]);
  });

  CASES.forEach((c, i) => {
    it(`${c.kind} width ${c.width}, ${c.rows} of ${c.capacity} rows${c.weighted ? ', class-weighted' : ''}: gradient, loss sum, correct`, async () => {
      const { want, out, metrics, state } = await runLoss(c, 'train', 100 + i);
      expectClose(out.subarray(0, c.rows * c.width), want.grad, ATOL, RTOL, 'gradient');
      expectClose(out.subarray(c.rows * c.width), new Float32Array((c.capacity - c.rows) * c.width), 0, 0, 'padding gradient');
      expectClose([metrics[0]!], [want.lossSum], 1e-4 * c.rows, RTOL, 'loss sum');
      expect(metrics[1]).to.equal(want.correct);
      expectClose([metrics[2]!, metrics[3]!], [want.positiveScore, want.negativeScore], 1e-4 * c.rows, RTOL, 'Σp split');
      expect([...state], 'train mode advances t and slot').to.deep.equal([8, 1, c.rows]);
    });

    it(`${c.kind} width ${c.width}: eval mode writes outputs and leaves t alone`, async () => {
      const { want, out, state } = await runLoss(c, 'eval', 200 + i);
      expectClose(out.subarray(0, c.rows * c.width), want.outputs, ATOL, RTOL, 'outputs');
      expect(state[0]).to.equal(7);
      expect(state[1]).to.equal(1);
    });
  });
});
