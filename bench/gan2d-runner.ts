// gan-2d (issue 30): the 2-D GAN lab's default ring setup trained as the lab trains it — a
// Gan2dTrainer on the engine's GAN backend, its latent vectors drawn in TypeScript, 16 iterations
// per submit — one GAN (`gan-2d`, unit: one iteration) or 8 seeds in compare mode (`gan-2d-x8`,
// unit: one iteration of every variant, the variants trained in turns as the lab's compare mode does).
import { cpuGanBackend } from '../src/cpu/fast-cpu-gan-backend.ts';
import { Gan2dCompare, gan2dVariants } from '../src/gan2d/compare.ts';
import type { Gan2dBackendFactory } from '../src/gan2d/trainer.ts';
import type { GpuContext } from '../src/gpu/device.ts';
import { createGpuGanBackend } from '../src/gpu/gpu-gan-backend.ts';
import { CpuGanBackend } from '../src/reference/reference-gan-backend.ts';
import type { Runner } from './measure.ts';
import type { ShaderpropEngine } from './shaderprop-runners.ts';
import { STEPS_PER_READBACK, type Gan2dWorkload } from './workloads.ts';

/** The backend factory of one engine (Auto has no cell: the lab's Auto is the MNIST lab's timed trial, measured by mnist-gan). */
function factory(engine: ShaderpropEngine, ctx: GpuContext | null): Gan2dBackendFactory {
  if (engine === 'reference') return (s) => new CpuGanBackend(s);
  if (engine === 'cpu') return (s) => cpuGanBackend(s);
  if (engine === 'webgpu' && ctx) return (s) => createGpuGanBackend(ctx, s);
  throw new Error(`gan-2d has no ${engine} cell`);
}

/** The runner of gan-2d or gan-2d-x8 on `engine`. */
export async function gan2dRunner(w: Gan2dWorkload, engine: ShaderpropEngine, ctx: GpuContext | null): Promise<Runner> {
  const variants = w.variants === 1 ? [{ label: 'default', config: w.config }] : gan2dVariants(w.config, { kind: 'seed', count: w.variants, from: 0, to: 0 });
  const compare = await Gan2dCompare.create(variants, factory(engine, ctx));
  return {
    maxChunk: STEPS_PER_READBACK,
    async run(units) {
      await compare.train(units);
      const failed = compare.runs.find((r) => r.error !== null);
      if (failed) throw new Error(failed.error!);
    },
    extras() {
      const last = compare.runs.map((r) => r.trainer.history.at(-1));
      const loss = last.reduce((s, m) => s + (m ? m.dLoss + m.gLoss : NaN), 0) / last.length;
      return { last_loss: loss, label: compare.runs[0]!.trainer.backend.label, variants: w.variants };
    },
    dispose: () => compare.dispose(),
  };
}
