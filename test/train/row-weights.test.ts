// Per-row loss weights (ModelSetup.rowWeights, a boosting round's) on every backend: the float64
// reference's gradient against central differences, the fast CPU and WebGPU against the reference,
// weights of all ones against none, and a row of weight 0 against the same row changed.
import { expect } from '@esm-bundle/chai';
import { createFastCpuBackend } from '../../src/cpu/fast-cpu-backend.ts';
import { createGpuBatchBackend } from '../../src/gpu/gpu-backend.ts';
import { arenaLayout } from '../../src/nn/arena.ts';
import { Rng } from '../../src/nn/rng.ts';
import type { LossKind } from '../../src/nn/spec.ts';
import { ReferenceBackend } from '../../src/reference/reference-backend.ts';
import { batchOfOne, type BatchBackend, type BatchSetup } from '../../src/train/training-backend.ts';
import { testGpu } from '../helpers/gpu.ts';
import { smallSetup } from '../helpers/setups.ts';
import { expectClose } from '../helpers/tolerance.ts';

type Engine = (setup: BatchSetup) => Promise<BatchBackend>;
const ENGINES: [string, Engine][] = [
  ['float64 reference', async (s) => new ReferenceBackend(s)],
  ['fast CPU', (s) => createFastCpuBackend(s)],
  ['WebGPU', async (s) => createGpuBatchBackend(await testGpu(), s)],
];
const LOSSES: LossKind[] = ['softmax_ce', 'sigmoid_bce', 'mse'];
const ROWS = 23;
const CAPACITY = 9;
/** Rows of each of the steps: a full batch, a short one, one of a single row. */
const STEP_ROWS = [9, 7, 9, 1, 5];
const ZERO_ROW = 4;

/** Weights in [0.2, 3) with row ZERO_ROW at 0, seeded. */
function rowWeights(seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: ROWS }, (_, i) => (i === ZERO_ROW ? 0 : 0.2 + 2.8 * rng.uniform()));
}

/** One model of `loss` (class-weighted for the classifiers) with the given row weights. */
function setupOf(loss: LossKind, weights: Float32Array | undefined, models = 1): BatchSetup {
  const classWeights = loss === 'softmax_ce' ? new Float32Array([0.5, 2, 1.25]) : loss === 'sigmoid_bce' ? new Float32Array([1.5, 0.75]) : null;
  const one = batchOfOne({ ...smallSetup(loss, 'tanh', { rows: ROWS, capacity: CAPACITY, seed: 5, optimizer: { learningRate: 0.05 } }), classWeights });
  const model = weights ? { ...one.models[0]!, rowWeights: weights } : one.models[0]!;
  return { ...one, models: Array.from({ length: models }, () => model) };
}

/** STEP_ROWS steps over seeded shuffles of the rows, every one holding ZERO_ROW, for `models` models. */
function chunkOf(models: number) {
  const steps = STEP_ROWS.length;
  const rng = new Rng(11);
  const one = new Uint32Array(steps * CAPACITY);
  STEP_ROWS.forEach((r, s) => {
    const order = rng.shuffle(Uint32Array.from({ length: ROWS }, (_, i) => i)).filter((i) => i !== ZERO_ROW);
    one.set([ZERO_ROW, ...order.subarray(0, r - 1)], s * CAPACITY);
  });
  const batchIndices = new Uint32Array(models * one.length);
  for (let z = 0; z < models; z++) batchIndices.set(one, z * one.length);
  const rows = new Uint32Array(models * steps);
  for (let z = 0; z < models; z++) rows.set(STEP_ROWS, z * steps);
  return { steps, batchIndices, rows };
}

/** Step losses and final parameters of every model after the chunk. */
async function train(engine: Engine, setup: BatchSetup): Promise<{ losses: number[][]; params: Float32Array[] }> {
  const backend = await engine(setup);
  try {
    const metrics = await backend.runSteps(chunkOf(setup.models.length));
    const params = await Promise.all(setup.models.map((_, z) => backend.readParams(z)));
    return { losses: metrics.map((m) => m.map((s) => s.loss)), params };
  } finally {
    backend.dispose();
  }
}

/** The dataset with row ZERO_ROW's features and target changed. */
function withRowChanged(setup: BatchSetup): BatchSetup {
  const features = Float32Array.from(setup.data.features);
  const targets = Float32Array.from(setup.data.targets);
  const { inputSize, targetWidth } = setup.data;
  for (let i = 0; i < inputSize; i++) features[ZERO_ROW * inputSize + i] = 3 - 2 * i;
  for (let i = 0; i < targetWidth; i++)
    targets[ZERO_ROW * targetWidth + i] = setup.spec.loss === 'mse' ? 5 : 1 - Math.min(1, targets[ZERO_ROW * targetWidth + i]!);
  return { ...setup, data: { ...setup.data, features, targets } };
}

describe('per-row loss weights', () => {
  // Central differences in float64, h = 1e-6 (as test/reference/gradcheck.test.ts).
  for (const loss of LOSSES) {
    it(`float64 reference, ${loss}: the row-weighted gradient passes a central-difference check`, () => {
      const backend = new ReferenceBackend(setupOf(loss, rowWeights(3)));
      const model = backend.members[0]!;
      const layout = arenaLayout(setupOf(loss, undefined).spec);
      const all = Uint32Array.from({ length: ROWS }, (_, i) => i);
      const meanLoss = () => model.gradients(all, ROWS).lossSum / ROWS;
      const { grads } = model.gradients(all, ROWS);
      const numeric = new Float64Array(grads.length);
      const H = 1e-6;
      for (const t of layout.tensors) {
        for (let i = t.offset; i < t.offset + t.size; i++) {
          const w = model.params[i]!;
          model.params[i] = w + H;
          const up = meanLoss();
          model.params[i] = w - H;
          const down = meanLoss();
          model.params[i] = w;
          numeric[i] = (up - down) / (2 * H);
        }
      }
      expectClose(grads, numeric, 1e-7, 1e-5, `${loss} row-weighted gradient`);
      // The weights matter: the unweighted gradient is not the same.
      const plain = new ReferenceBackend(setupOf(loss, undefined)).members[0]!.gradients(all, ROWS).grads;
      expect(grads.some((g, i) => Math.abs(g - plain[i]!) > 1e-6)).to.equal(true);
    });
  }

  for (const [name, engine] of ENGINES) {
    for (const loss of LOSSES) {
      it(`${name}, ${loss}: weights of all ones train exactly as none; a row of weight 0 has no influence`, async () => {
        const plain = await train(engine, setupOf(loss, undefined));
        const ones = await train(engine, setupOf(loss, new Float32Array(ROWS).fill(1)));
        expect(ones.losses).to.deep.equal(plain.losses);
        expect([...ones.params[0]!]).to.deep.equal([...plain.params[0]!]);
        const weighted = setupOf(loss, rowWeights(3));
        const a = await train(engine, weighted);
        const b = await train(engine, withRowChanged(weighted));
        expect(b.losses, 'step losses with the zero-weight row changed').to.deep.equal(a.losses);
        expect([...b.params[0]!], 'parameters with the zero-weight row changed').to.deep.equal([...a.params[0]!]);
        expect(a.losses).not.to.deep.equal(plain.losses);
      });
    }
  }

  for (const [name, engine] of ENGINES.slice(1)) {
    it(`${name}: two models of a batch, one row-weighted and one not, match the float64 reference`, async () => {
      for (const loss of LOSSES) {
        const setup = setupOf(loss, undefined, 2);
        setup.models = [{ ...setup.models[0]!, rowWeights: rowWeights(8) }, setup.models[1]!];
        const got = await train(engine, setup);
        const want = await train(ENGINES[0]![1], setup);
        // float32 against float64 over 5 steps of a small net: 1e-5 + 1e-4·|want|.
        got.losses.forEach((l, z) => expectClose(l, want.losses[z]!, 1e-5, 1e-4, `${loss} model ${z} step losses`));
        got.params.forEach((p, z) => expectClose(p, want.params[z]!, 1e-5, 1e-4, `${loss} model ${z} parameters`));
        expect(got.losses[0]).not.to.deep.equal(got.losses[1]);
      }
    });
  }
});
