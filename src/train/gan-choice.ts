import type { BackendChoice } from '../config/experiment.ts';
import { cpuGanBackend } from '../cpu/fast-cpu-gan-backend.ts';
import type { GpuContext } from '../gpu/device.ts';
import { GpuUnavailableError } from '../gpu/errors.ts';
import { createGpuGanBackend } from '../gpu/gpu-gan-backend.ts';
import { CpuGanBackend } from '../reference/reference-gan-backend.ts';
import { cachedTrial, pickBackend, timeUnits, trialSummary, type BackendTrial, type TrialKind } from './backend-trial.ts';
import type { GanBackend, GanChunk, GanSetup } from './gan-backend.ts';

/** A GAN backend, why the CPU runs although WebGPU was preferred, and what Auto's trial measured. */
export interface ChosenGan {
  backend: GanBackend;
  fallbackReason: string | null;
  /** Auto's timed trial of both backends (null when a backend was forced or WebGPU is missing). */
  trial: BackendTrial | null;
}

/** `units` iterations of made-up latent vectors and the first images: the cost of real ones. */
function trialChunk(setup: GanSetup, units: number): GanChunk {
  const { batch: B, latent: L, dSteps } = setup.config;
  const images = setup.images.length / 784;
  const z = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i));
  return {
    iterations: units,
    realIndices: Uint32Array.from({ length: units * dSteps * B }, (_, i) => i % images),
    zD: z(units * dSteps * B * L),
    zG: z(units * B * L),
  };
}

/**
 * The backend of a GAN, chosen like a classifier's (see backend-choice.ts): `auto` times real GAN
 * iterations on both backends (cached per device and GAN shape) and keeps the faster. A GAN
 * backend cannot be rewound, so the trial runs on throwaway backends and the winner is built
 * afresh: WebGPU is then built twice, which costs little where it wins (a real GPU).
 */
export async function chooseGanBackend(setup: GanSetup, choice: BackendChoice, gpu: () => Promise<GpuContext>): Promise<ChosenGan> {
  if (choice === 'cpu') return { backend: await cpuGanBackend(setup), fallbackReason: null, trial: null };
  if (choice === 'reference') return { backend: new CpuGanBackend(setup), fallbackReason: null, trial: null };
  try {
    const ctx = await gpu();
    if (choice === 'webgpu') return { backend: await createGpuGanBackend(ctx, setup), fallbackReason: null, trial: null };
    const { config } = setup;
    const key = JSON.stringify(['gan', config.latent, config.generator, config.discriminator, config.activation, config.batch, config.dSteps]);
    const { trial, cached } = await cachedTrial(ctx.device, key, () => measureGan(setup, ctx));
    const backend = trial.choice === 'cpu' ? await cpuGanBackend(setup) : await createGpuGanBackend(ctx, setup);
    return { backend, fallbackReason: null, trial: { ...trial, cached } };
  } catch (e) {
    if (choice === 'webgpu' || !(e instanceof GpuUnavailableError)) throw e;
    return { backend: await cpuGanBackend(setup), fallbackReason: e.message, trial: null };
  }
}

async function measureGan(setup: GanSetup, ctx: GpuContext): Promise<Omit<BackendTrial, 'cached'>> {
  const hint: TrialKind = ctx.software ? 'cpu' : 'webgpu';
  const ms: Record<TrialKind, number> = { webgpu: NaN, cpu: NaN };
  const notes: string[] = [];
  const make: Record<TrialKind, () => Promise<GanBackend>> = { cpu: () => cpuGanBackend(setup), webgpu: () => createGpuGanBackend(ctx, setup) };
  for (const kind of ['webgpu', 'cpu'] as const) {
    let backend: GanBackend | null = null;
    try {
      backend = await make[kind]();
      const b = backend;
      ms[kind] = await timeUnits((units) => b.runIterations(trialChunk(setup, units)));
    } catch (e) {
      if (e instanceof GpuUnavailableError) throw e;
      notes.push(`${kind === 'cpu' ? 'CPU' : 'WebGPU'}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      backend?.dispose();
    }
    if (kind === 'webgpu') await quietGpu(ctx);
  }
  if (!Number.isFinite(ms.webgpu) && !Number.isFinite(ms.cpu)) throw new Error(`neither backend could train this GAN: ${notes.join('; ')}`);
  const picked = pickBackend(ms, hint);
  const trial: Omit<BackendTrial, 'cached'> = { ms, choice: picked, hint, summary: trialSummary(ms, picked, 'iteration') };
  if (notes.length) trial.note = notes.join('; ');
  return trial;
}

/**
 * Waits until the GPU has finished everything submitted so far: the CPU is then timed, and the
 * winner starts, with none of the WebGPU trial's work left on the adapter (a software adapter runs
 * it on the same cores). The trial awaited its last readback, so this is a guarantee, not a wait:
 * 0.1–2 ms on SwiftShader. A queue that never answers is the device's failure, not the trial's.
 */
async function quietGpu(ctx: GpuContext): Promise<void> {
  await ctx.device.queue.onSubmittedWorkDone().catch(() => undefined);
}
