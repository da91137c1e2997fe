import { expect } from '@esm-bundle/chai';
import { createGpuGanBackend } from '../../src/gpu/gpu-gan-backend.ts';
import { Rng } from '../../src/nn/rng.ts';
import { CpuGanBackend } from '../../src/reference/reference-gan-backend.ts';
import type { GanSetup } from '../../src/train/gan-backend.ts';
import { ARTICLE_GAN, IMAGE_PIXELS, initGan, type GanConfig } from '../../src/train/gan-config.ts';
import { GanTrainer, GRID_SAMPLES } from '../../src/train/gan-trainer.ts';
import { testGpu } from '../helpers/gpu.ts';
import { expectClose } from '../helpers/tolerance.ts';

function setup(patch: Partial<GanConfig>, images = 40): GanSetup {
  const config: GanConfig = { ...ARTICLE_GAN, latent: 8, generator: [16], discriminator: [12], batch: 6, seed: 3, ...patch };
  const rng = new Rng(11);
  return { config, images: Uint8Array.from({ length: images * IMAGE_PIXELS }, () => rng.int(256)), params: initGan(config) };
}

const CASES: [string, Partial<GanConfig>][] = [
  ['non-saturating, relu', {}],
  ['minimax, leaky relu, 2 D steps, label smoothing 0.1', { nonSaturating: false, activation: 'leaky_relu', dSteps: 2, labelSmoothing: 0.1 }],
];

describe('GAN: WebGPU against the CPU reference', () => {
  for (const [name, patch] of CASES) {
    it(`${name}: 3 iterations give the same metrics and parameters`, async () => {
      const s = setup(patch);
      const gpu = await createGpuGanBackend(await testGpu(), s);
      const cpu = new CpuGanBackend(s);
      const [tg, tc] = [new GanTrainer(gpu, s.config, 40, 3), new GanTrainer(cpu, s.config, 40, 3)];
      await Promise.all([tg.train(3), tc.train(3)]);
      // f32 against float64 through 3 Adam steps of both networks: |Δ| ≤ 1e-4 + 1e-3·|want|.
      for (const key of ['dLoss', 'dAccuracy', 'gLoss', 'dReal', 'dFake'] as const) {
        expectClose(
          tg.history.map((m) => m[key]),
          tc.history.map((m) => m[key]),
          1e-4,
          1e-3,
          key,
        );
      }
      const [pg, pc] = [await gpu.readParams(), await cpu.readParams()];
      expectClose(pg.d, pc.d, 1e-4, 1e-3, 'D parameters');
      expectClose(pg.g, pc.g, 1e-4, 1e-3, 'G parameters');
      expectClose(await tg.grid(), await tc.grid(), 1e-4, 1e-3, 'sample grid');
      gpu.dispose();
    });
  }

  it('the generator step back-propagates through D without D weight gradients and updates only G', async () => {
    const s = setup({});
    const gpu = await createGpuGanBackend(await testGpu(), s);
    const { dStep, gStep } = gpu.iterationDispatches;
    const labels = gStep.map((d) => d.label);
    expect(labels.filter((l) => l.includes('D to G weight'))).to.deep.equal([]);
    expect(labels.filter((l) => l.includes('D to G input gradient'))).to.have.length(2);
    expect(labels.filter((l) => l.includes('· G weight and bias gradient'))).to.have.length(2);
    const optimizers = (list: typeof gStep) => list.filter((d) => d.entry === 'optimizer_step');
    expect(optimizers(gStep)).to.have.length(1);
    expect(optimizers(dStep)).to.have.length(1);
    expect(optimizers(gStep)[0]!.bindGroup).to.not.equal(optimizers(dStep)[0]!.bindGroup);
    // With 2 layers each: D step = z gather + 2 G fwd + pixel gather + 2 D fwd + loss + 3 D bwd
    // + Adam = 11; G step = z gather + 2 G fwd + 2 D fwd + loss + 2 D→G + 3 G bwd + Adam = 12.
    expect([dStep.length, gStep.length]).to.deep.equal([11, 12]);
    gpu.dispose();
  });

  it('the sample grid uses the same latent vectors for the whole run', async () => {
    const s = setup({});
    const trainer = new GanTrainer(new CpuGanBackend(s), s.config, 40);
    const z = trainer.fixedLatents.slice();
    const first = await trainer.grid();
    expect(first).to.have.length(GRID_SAMPLES * IMAGE_PIXELS);
    await trainer.train(2);
    expect(trainer.fixedLatents).to.deep.equal(z);
    expect(await trainer.grid()).to.not.deep.equal(first);
    expect([...first].every((v) => v >= -1 && v <= 1)).to.equal(true);
  });
});
