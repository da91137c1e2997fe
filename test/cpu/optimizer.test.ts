import { CpuArena } from '../../src/cpu/arena.ts';
import { DEFAULT_OPTIMIZER, type OptimizerConfig } from '../../src/nn/optimizer.ts';
import { Rng } from '../../src/nn/rng.ts';
import { optimizerState, optimizerStep } from '../../src/reference/optimizer.ts';
import { expectClose, randomArray } from '../helpers/tolerance.ts';
import { testHeap } from './heap.ts';

const CASES: [string, Partial<OptimizerConfig>][] = [
  ['sgd with L2', { kind: 'sgd', learningRate: 0.1, l2: 0.01 }],
  ['sgd with L1 (zero weights included)', { kind: 'sgd', learningRate: 0.1, l1: 0.05 }],
  ['momentum', { kind: 'momentum', learningRate: 0.05, momentum: 0.9 }],
  ['Nesterov momentum with L1 and L2', { kind: 'momentum', learningRate: 0.05, momentum: 0.8, nesterov: true, l1: 0.01, l2: 0.02 }],
  ['Adam', { kind: 'adam', learningRate: 0.01 }],
  ['Adam, β1 0.5 (the GAN), L2', { kind: 'adam', learningRate: 2e-4, beta1: 0.5, l2: 0.1 }],
  ['AdamW', { kind: 'adamw', learningRate: 0.01, weightDecay: 0.1 }],
];

describe('CPU kernels: optimizer step against the float64 reference, step by step', () => {
  for (const [name, patch] of CASES) {
    it(`${name}: 5 steps over weights (regularized) and biases (not)`, async () => {
      const heap = await testHeap();
      const cfg: OptimizerConfig = { ...DEFAULT_OPTIMIZER, ...patch };
      // 3 × 64 floats: two blocks of weights, then biases; a few weights are exactly 0 (sign 0).
      const [count, weightsEnd] = [192, 128];
      const rng = new Rng(9);
      const init = randomArray(rng, count);
      init[3] = 0;
      init[130] = 0;
      const arena = new CpuArena(heap, count, weightsEnd, init);
      const ref = Float64Array.from(init);
      const state = optimizerState(count);
      for (let step = 0; step < 5; step++) {
        const g = randomArray(rng, count);
        heap.f32(arena.grads, count).set(g);
        // A schedule's rate on the third step.
        const lr = step === 2 ? cfg.learningRate / 2 : undefined;
        arena.step(cfg, lr);
        optimizerStep(lr === undefined ? cfg : { ...cfg, learningRate: lr }, ref, g, state, weightsEnd);
        // float32 against float64 (Adam's first steps move each weight by about lr): |Δ| ≤ 1e-6 + 1e-5·|want|.
        expectClose(arena.read(), ref, 1e-6, 1e-5, `params after step ${step + 1}`);
        expectClose(heap.f32(arena.m, count), state.m, 1e-6, 1e-5, `m after step ${step + 1}`);
        expectClose(heap.f32(arena.v, count), state.v, 1e-7, 1e-5, `v after step ${step + 1}`);
      }
    });
  }

  it('load() restarts the moments and the step count', async () => {
    const heap = await testHeap();
    const cfg: OptimizerConfig = { ...DEFAULT_OPTIMIZER, learningRate: 0.01 };
    const init = randomArray(new Rng(2), 64);
    const arena = new CpuArena(heap, 64, 64, init);
    heap.f32(arena.grads, 64).fill(0.5);
    arena.step(cfg);
    const first = arena.read();
    arena.step(cfg);
    arena.load(init);
    arena.step(cfg);
    expectClose(arena.read(), first, 0, 0, 'the first step again');
  });
});
