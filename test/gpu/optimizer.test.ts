import { expect } from '@esm-bundle/chai';
import { encodeDispatches } from '../../src/gpu/kernel.ts';
import {
  MODEL_SETTINGS_BYTES,
  OPTIMIZER_PARAMS_BYTES,
  OptimizerKernel,
  packModelSettings,
  packOptimizerParams,
  packStepFactors,
} from '../../src/gpu/kernels/optimizer.ts';
import { stateLayout } from '../../src/gpu/kernels/state.ts';
import { DEFAULT_OPTIMIZER, type OptimizerConfig } from '../../src/nn/optimizer.ts';
import { Rng } from '../../src/nn/rng.ts';
import { optimizerState, optimizerStep } from '../../src/reference/optimizer.ts';
import { readF32, run, storage, testGpu } from '../helpers/gpu.ts';
import { expectClose, randomArray } from '../helpers/tolerance.ts';

const CONFIGS: Record<string, Partial<OptimizerConfig>> = {
  sgd: { kind: 'sgd', learningRate: 0.05 },
  'sgd + L1 + L2': { kind: 'sgd', learningRate: 0.05, l1: 0.01, l2: 0.1 },
  momentum: { kind: 'momentum', learningRate: 0.02, momentum: 0.9 },
  nesterov: { kind: 'momentum', learningRate: 0.02, momentum: 0.8, nesterov: true },
  adam: { kind: 'adam', learningRate: 1e-3 },
  'adam + L2': { kind: 'adam', learningRate: 1e-2, l2: 0.05 },
  adamw: { kind: 'adamw', learningRate: 1e-2, weightDecay: 0.1, beta1: 0.5 },
};

// An arena of 300 floats (more than one workgroup, not a multiple of 256); the first 200 are weights.
const COUNT = 300;
const WEIGHTS_END = 200;

/**
 * Tolerance of `steps` updates in f32 against float64. Each step rounds w (≤ 2^-24·|w|) and
 * computes its update from f32 state to a few ulps, so errors grow about linearly with the
 * steps: 2e-8·steps absolute plus 4e-7 relative. Adam's bias corrections 1 − β^t come from the
 * host in float64; computed with f32 pow on the GPU they made every step about 2e-5 too large,
 * which over 100 steps of lr 1e-2 is about 2e-5 absolute and fails this bound.
 */
function tolerance(steps: number): [number, number] {
  return [2e-8 * steps, 4e-7];
}

/** The buffers of an optimizer dispatch for `models` arenas, with step factors at slot 0. */
function optimizerBuffers(device: GPUDevice, start: Float32Array, cfgs: OptimizerConfig[]) {
  const models = cfgs.length;
  const layout = stateLayout(1);
  // The loss kernel has advanced each model's slot to 1 when the optimizer runs.
  const state = new Uint32Array(models * layout.stateStride);
  for (let z = 0; z < models; z++) state[z * layout.stateStride + 1] = 1;
  return {
    layout,
    buffers: {
      grads: storage(device, 'grads', models * COUNT),
      state: storage(device, 'state', state),
      settings: storage(device, 'settings', new Uint32Array(packModelSettings(cfgs))),
      steps: storage(device, 'steps', models * 4),
      params: storage(device, 'params', start),
      m: storage(device, 'm', models * COUNT),
      v: storage(device, 'v', models * COUNT),
    },
  };
}

async function compare(cfg: OptimizerConfig, steps: number): Promise<void> {
  const { device } = await testGpu();
  const rng = new Rng(steps);
  const start = randomArray(rng, COUNT);
  const { layout, buffers } = optimizerBuffers(device, start, [cfg]);
  const kernel = new OptimizerKernel(device, 65535);
  const { dispatch } = kernel.dispatch('test', { ...layout, count: COUNT, weightsEnd: WEIGHTS_END, models: 1 }, buffers);
  const ref = Float64Array.from(start);
  const refState = optimizerState(COUNT);
  const t = [0];
  for (let s = 1; s <= steps; s++) {
    const g = randomArray(rng, COUNT, -2, 2);
    g[7] = 0; // sign(0) = 0 for L1 on both sides
    device.queue.writeBuffer(buffers.grads, 0, g);
    device.queue.writeBuffer(buffers.steps, 0, packStepFactors([cfg], t, [1], 1, 1));
    await run(device, (pass) => encodeDispatches(pass, [dispatch]));
    optimizerStep(cfg, ref, g, refState, WEIGHTS_END);
  }
  expect(t[0]).to.equal(steps);
  expectClose(await readF32(device, buffers.params, COUNT), ref, ...tolerance(steps), `${cfg.kind} after ${steps} steps`);
}

describe('optimizer.wgsl', () => {
  it('packs OptimizerParams into 32 bytes and ModelSettings into 48 bytes per model', () => {
    const bytes = packOptimizerParams(10, 4, 256, stateLayout(32));
    expect(bytes.byteLength).to.equal(OPTIMIZER_PARAMS_BYTES);
    expect([...new Uint32Array(bytes)]).to.deep.equal([10, 4, 256, 32, 36, 0, 0, 0]);
    const settings = packModelSettings([DEFAULT_OPTIMIZER, { ...DEFAULT_OPTIMIZER, kind: 'adamw', weightDecay: 0.5, nesterov: true }]);
    expect(settings.byteLength).to.equal(2 * MODEL_SETTINGS_BYTES);
    expect(new Float32Array(settings, MODEL_SETTINGS_BYTES, 7)[6]).to.equal(0.5);
    expect([...new Uint32Array(settings, MODEL_SETTINGS_BYTES + 28, 2)]).to.deep.equal([2, 1]);
  });

  it('adam packs wd = 0; adamw packs its decay', () => {
    expect(new Float32Array(packModelSettings([{ ...DEFAULT_OPTIMIZER, weightDecay: 0.5 }]), 0, 7)[6]).to.equal(0);
  });

  it('step factors: bias corrections in float64 from the post-increment t and the f32 betas, nothing for a step sat out', () => {
    const cfg = { ...DEFAULT_OPTIMIZER, beta1: 0.9, beta2: 0.999, learningRate: 0.5 };
    const t = [4, 0];
    const table = packStepFactors([cfg, cfg], t, [1, 0, 0, 1], 2, 3, [0.1, 0.2, 0.3, 0.4]);
    expect(t).to.deep.equal([5, 1]);
    expect([...table.subarray(0, 4)]).to.deep.equal([Math.fround(0.1), Math.fround(1 - Math.fround(0.9) ** 5), Math.fround(1 - Math.fround(0.999) ** 5), 1]);
    expect([...table.subarray(4, 8)]).to.deep.equal([0, 0, 0, 0]);
    expect([...table.subarray(12, 16)]).to.deep.equal([0, 0, 0, 0]);
    expect(table[16]).to.equal(Math.fround(0.4));
    expect(table[17]).to.equal(Math.fround(1 - Math.fround(0.9)));
  });

  for (const [name, partial] of Object.entries(CONFIGS)) {
    const cfg = { ...DEFAULT_OPTIMIZER, ...partial };
    it(`${name}: one step matches the reference`, () => compare(cfg, 1));
    it(`${name}: 100 steps match the reference (bias correction included)`, () => compare(cfg, 100));
  }

  it('three models of different kinds and rates in one dispatch; a model sitting a step out is untouched', async () => {
    const { device } = await testGpu();
    const rng = new Rng(3);
    const cfgs: OptimizerConfig[] = [
      { ...DEFAULT_OPTIMIZER, kind: 'sgd', learningRate: 0.05, l1: 0.01 },
      { ...DEFAULT_OPTIMIZER, kind: 'momentum', learningRate: 0.02, nesterov: true },
      { ...DEFAULT_OPTIMIZER, kind: 'adamw', learningRate: 1e-2, weightDecay: 0.1 },
    ];
    const start = randomArray(rng, 3 * COUNT);
    const { layout, buffers } = optimizerBuffers(device, start, cfgs);
    const { dispatch } = new OptimizerKernel(device, 65535).dispatch('test', { ...layout, count: COUNT, weightsEnd: WEIGHTS_END, models: 3 }, buffers);
    const refs = cfgs.map((_, z) => ({ params: Float64Array.from(start.subarray(z * COUNT, (z + 1) * COUNT)), state: optimizerState(COUNT) }));
    const t = [0, 0, 0];
    const steps = 20;
    for (let s = 0; s < steps; s++) {
      const g = randomArray(rng, 3 * COUNT, -2, 2);
      // Model 1 sits out every third step (a stopped or finished model): rows 0.
      const rows = [1, s % 3 === 0 ? 0 : 1, 1];
      device.queue.writeBuffer(buffers.grads, 0, g);
      device.queue.writeBuffer(buffers.steps, 0, packStepFactors(cfgs, t, rows, 1, 1));
      await run(device, (pass) => encodeDispatches(pass, [dispatch]));
      cfgs.forEach((cfg, z) => rows[z] && optimizerStep(cfg, refs[z]!.params, g.subarray(z * COUNT, (z + 1) * COUNT), refs[z]!.state, WEIGHTS_END));
    }
    const got = await readF32(device, buffers.params, 3 * COUNT);
    refs.forEach((r, z) => expectClose(got.subarray(z * COUNT, (z + 1) * COUNT), r.params, ...tolerance(steps), `model ${z} (${cfgs[z]!.kind})`));
    expect(t).to.deep.equal([20, 13, 20]);
  });
});
