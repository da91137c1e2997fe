import { expect } from '@esm-bundle/chai';
import { createGpuBackend } from '../../src/gpu/gpu-backend.ts';
import type { MatmulVariant } from '../../src/gpu/kernels/matmul.ts';
import { ACTIVATIONS } from '../../src/nn/activation.ts';
import type { LossKind } from '../../src/nn/spec.ts';
import { CpuBackend } from '../../src/reference/reference-model-backend.ts';
import { BatchSchedule } from '../../src/train/schedule.ts';
import { testGpu } from '../helpers/gpu.ts';
import { smallSetup } from '../helpers/setups.ts';
import { expectClose } from '../helpers/tolerance.ts';

const LOSSES: LossKind[] = ['softmax_ce', 'sigmoid_bce', 'mse'];

describe('WebGPU backend against the CPU reference', () => {
  for (const variant of ['blocked', 'tiled'] as MatmulVariant[]) {
    for (const loss of LOSSES) {
      for (const act of ACTIVATIONS) {
        it(`${variant}: one SGD step of a 3-layer ${act} net with ${loss} (padded last batch)`, async () => {
          // 11 rows in batches of 4: the third step has 3 real rows and one padding row.
          const setup = smallSetup(loss, act, {
            rows: 11,
            capacity: 4,
            seed: 3,
            optimizer: { kind: 'sgd', learningRate: 0.5 },
            weights: loss === 'softmax_ce' ? new Float32Array([1, 3, 0.5]) : null,
          });
          const gpu = await createGpuBackend(await testGpu(), setup, { matmul: variant });
          const cpu = new CpuBackend(setup);
          const schedule = new BatchSchedule(
            Uint32Array.from({ length: 11 }, (_, i) => i),
            4,
            5,
          );
          const { chunk } = schedule.next(3);
          expect([...chunk.rows]).to.deep.equal([4, 4, 3]);
          const [g, c] = [await gpu.runSteps(chunk), await cpu.runSteps(chunk)];
          // f32 kernels against float64 over 3 small steps: |Δ| ≤ 1e-5 + 1e-4·|want|.
          expectClose(
            g.map((m) => m.loss),
            c.map((m) => m.loss),
            1e-5,
            1e-4,
            'step losses',
          );
          expect(g.map((m) => m.correct)).to.deep.equal(c.map((m) => m.correct));
          expectClose(await gpu.readParams(), await cpu.readParams(), 1e-5, 1e-4, 'params after 3 steps');
          const all = Uint32Array.from({ length: 11 }, (_, i) => i);
          const [ge, ce] = [await gpu.evaluate(all), await cpu.evaluate(all)];
          expectClose(ge.outputs, ce.outputs, 1e-5, 1e-4, 'evaluation outputs');
          expectClose([ge.loss], [ce.loss], 1e-5, 1e-4, 'evaluation loss');
          gpu.dispose();
        });
      }
    }
  }

  it('predict on uploaded rows matches the reference, across evaluation chunks, growing its buffers', async () => {
    const setup = smallSetup('softmax_ce', 'tanh', { rows: 5, capacity: 4 });
    const gpu = await createGpuBackend(await testGpu(), setup);
    const cpu = new CpuBackend(setup);
    for (const rows of [3, 1100]) {
      const x = Float32Array.from({ length: rows * 3 }, (_, i) => Math.cos(i));
      expectClose(await gpu.predict(x, rows), await cpu.predict(x, rows), 1e-5, 1e-4, `predict ${rows} rows`);
    }
    gpu.dispose();
  });

  it('writeParams resets the optimizer: the same steps from the same params give the same losses', async () => {
    const setup = smallSetup('softmax_ce', 'relu', { rows: 8, capacity: 8, optimizer: { kind: 'adam', learningRate: 0.01 } });
    const gpu = await createGpuBackend(await testGpu(), setup);
    const chunk = { batchIndices: Uint32Array.from({ length: 8 }, (_, i) => i), rows: new Uint32Array([8]) };
    const first = [...(await gpu.runSteps(chunk)), ...(await gpu.runSteps(chunk))].map((m) => m.loss);
    await gpu.writeParams(setup.params);
    const again = [...(await gpu.runSteps(chunk)), ...(await gpu.runSteps(chunk))].map((m) => m.loss);
    expect(again).to.deep.equal(first);
    gpu.dispose();
  });
});
