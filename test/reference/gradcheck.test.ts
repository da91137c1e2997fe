import { ACTIVATIONS } from '../../src/nn/activation.ts';
import { arenaLayout } from '../../src/nn/arena.ts';
import type { LossKind } from '../../src/nn/spec.ts';
import { CpuBackend } from '../../src/reference/reference-model-backend.ts';
import { smallSetup } from '../helpers/setups.ts';
import { expectClose } from '../helpers/tolerance.ts';

const LOSSES: LossKind[] = ['softmax_ce', 'sigmoid_bce', 'mse'];
// Central differences in float64 with h = 1e-6 have truncation error O(h²) and rounding error
// O(ε/h) ≈ 1e-10: |analytic − numeric| ≤ 1e-7 + 1e-5·|numeric|.
const H = 1e-6;

describe('reference backward pass: central-difference gradient check (float64)', () => {
  for (const loss of LOSSES) {
    for (const act of ACTIVATIONS) {
      it(`3-layer net, ${act} hidden layers, ${loss}${loss === 'softmax_ce' ? ' with class weights' : ''}`, async () => {
        const weights = loss === 'softmax_ce' ? new Float32Array([0.5, 2, 1.25]) : null;
        const setup = smallSetup(loss, act, { seed: 7, weights });
        const cpu = new CpuBackend(setup);
        // Non-zero biases so every parameter is exercised away from relu's kink at zero.
        const layout = arenaLayout(setup.spec);
        for (const t of layout.tensors) if (t.kind === 'bias') for (let i = 0; i < t.size; i++) cpu.params[t.offset + i] = 0.1 * Math.sin(i + t.layer);
        const all = Uint32Array.from({ length: setup.data.rows }, (_, i) => i);
        const { grads } = cpu.gradients(all, all.length);
        const numeric = new Float64Array(grads.length);
        for (const t of layout.tensors) {
          for (let i = t.offset; i < t.offset + t.size; i++) {
            const w = cpu.params[i]!;
            cpu.params[i] = w + H;
            const up = (await cpu.evaluate(all)).loss;
            cpu.params[i] = w - H;
            const down = (await cpu.evaluate(all)).loss;
            cpu.params[i] = w;
            numeric[i] = (up - down) / (2 * H);
          }
        }
        expectClose(grads, numeric, 1e-7, 1e-5, `${loss}/${act} gradient`);
      });
    }
  }
});
