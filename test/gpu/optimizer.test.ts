import { expect } from '@esm-bundle/chai';
import { encodeDispatches } from '../../src/gpu/kernel.ts';
import { OPTIMIZER_PARAMS_BYTES, OptimizerKernel, packOptimizerParams } from '../../src/gpu/kernels/optimizer.ts';
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

async function compare(cfg: OptimizerConfig, steps: number): Promise<void> {
  const { device } = await testGpu();
  const rng = new Rng(steps);
  const start = randomArray(rng, COUNT);
  const params = storage(device, 'params', start);
  const grads = storage(device, 'grads', COUNT);
  const state = storage(device, 'state', new Uint32Array(4));
  const kernel = new OptimizerKernel(device, COUNT, WEIGHTS_END, 65535);
  const { dispatch } = kernel.dispatch(cfg, { params, grads, m: storage(device, 'm', COUNT), v: storage(device, 'v', COUNT), state });
  const ref = Float64Array.from(start);
  const refState = optimizerState(COUNT);
  for (let s = 1; s <= steps; s++) {
    const g = randomArray(rng, COUNT, -2, 2);
    g[7] = 0; // sign(0) = 0 for L1 on both sides
    device.queue.writeBuffer(grads, 0, g);
    // The loss kernel advances t on the GPU before the optimizer runs; here the test does it.
    device.queue.writeBuffer(state, 0, new Uint32Array([s]));
    await run(device, (pass) => encodeDispatches(pass, [dispatch]));
    optimizerStep(cfg, ref, g, refState, WEIGHTS_END);
  }
  // f32 state over `steps` updates against float64: |Δ| ≤ 2e-6·steps + 1e-5·|want|.
  expectClose(await readF32(device, params, COUNT), ref, 2e-6 * steps, 1e-5, `${cfg.kind} after ${steps} steps`);
}

describe('optimizer.wgsl', () => {
  it('packs OptimizerParams into 48 bytes: 8 floats, then count, weights_end, nesterov, pitch', () => {
    const bytes = packOptimizerParams({ ...DEFAULT_OPTIMIZER, kind: 'adamw', weightDecay: 0.5 }, 10, 4, 256);
    expect(bytes.byteLength).to.equal(OPTIMIZER_PARAMS_BYTES);
    expect(new Float32Array(bytes, 0, 8)[7]).to.equal(0.5);
    expect([...new Uint32Array(bytes, 32, 4)]).to.deep.equal([10, 4, 0, 256]);
  });

  it('adam and adamw differ only by the decoupled decay (adam packs wd = 0)', () => {
    const adam = new Float32Array(packOptimizerParams({ ...DEFAULT_OPTIMIZER, weightDecay: 0.5 }, 1, 1, 1), 0, 8);
    expect(adam[7]).to.equal(0);
  });

  for (const [name, partial] of Object.entries(CONFIGS)) {
    const cfg = { ...DEFAULT_OPTIMIZER, ...partial };
    it(`${name}: one step matches the reference`, () => compare(cfg, 1));
    it(`${name}: 100 steps match the reference (bias correction included)`, () => compare(cfg, 100));
  }
});
