import type { BackendChoice } from '../config/experiment.ts';
import { POOL_DATA_BYTES, poolDataBytes, sharedCpuPool } from '../cpu/cpu-pool.ts';
import { createFastCpuBackend } from '../cpu/fast-cpu-backend.ts';
import { PooledCpuBackend } from '../cpu/pooled-backend.ts';
import { kernelsUnavailable } from '../cpu/kernels.ts';
import { createGpuBatchBackend } from '../gpu/gpu-backend.ts';
import type { GpuContext } from '../gpu/device.ts';
import { GpuUnavailableError } from '../gpu/errors.ts';
import { arenaLayout, parameterCount } from '../nn/arena.ts';
import { ConfigError } from '../config/errors.ts';
import { ReferenceBackend } from '../reference/reference-backend.ts';
import type { BatchBackend, BatchSetup } from './training-backend.ts';
import {
  cachedTrial,
  pickBackend,
  restoreInitial,
  timeQuietly,
  timeSteps,
  trialKey,
  trialSummary,
  type BackendTrial,
  type TrialKind,
} from './backend-trial.ts';

/** Work per training step of one model the CPU reference accepts: about half a second of float64 loops. */
export const CPU_STEP_FLOP_LIMIT = 4e8;
/**
 * Work per training step of one model the fast CPU backend accepts: about 0.3 s at the 15 GFLOP/s
 * its kernels reach on one core here, and still well inside the worker's 4 s heartbeat on a slow
 * phone (it yields between steps, not inside one).
 */
export const FAST_CPU_STEP_FLOP_LIMIT = 4e9;

/** A backend for a batch, why the CPU runs although WebGPU was preferred, and what Auto's trial measured. */
export interface ChosenBackend {
  backend: BatchBackend;
  fallbackReason: string | null;
  /** Auto's timed trial of both backends (null when a backend was forced or WebGPU is missing). */
  trial: BackendTrial | null;
}

/**
 * The backend a batch runs on: `reference` the float64 reference; `cpu` the CPU backend (the fast float32 kernels; the float64
 * reference where WebAssembly SIMD cannot run); `webgpu` the kernels or an error; `auto` the
 * faster of the two for this device and model shape, from a short timed trial of real training
 * steps (cached per device and shape, see backend-trial.ts), and the CPU, saying why, when WebGPU
 * is missing or refused. `gpu` is asked for a device only when WebGPU may be used.
 */
export async function chooseBackend(setup: BatchSetup, choice: BackendChoice, gpu: () => Promise<GpuContext>, cpuWorkers = 1): Promise<ChosenBackend> {
  if (choice === 'cpu') return { backend: await cpuBackend(setup, cpuWorkers), fallbackReason: null, trial: null };
  if (choice === 'reference') return { backend: referenceBackend(setup), fallbackReason: null, trial: null };
  try {
    const ctx = await gpu();
    if (choice === 'webgpu') return { backend: await createGpuBatchBackend(ctx, setup), fallbackReason: null, trial: null };
    return await autoBackend(setup, ctx, cpuWorkers);
  } catch (e) {
    if (choice === 'webgpu' || !(e instanceof GpuUnavailableError)) throw e;
    return { backend: await cpuBackend(setup, cpuWorkers), fallbackReason: e.message, trial: null };
  }
}

/**
 * Builds both backends, times them, keeps the faster (restored to the setup's start) and disposes
 * the other. The CPU is timed on one worker; when it wins a batch of several models, the pool's
 * workers (`cpuWorkers`) train it.
 */
async function autoBackend(setup: BatchSetup, ctx: GpuContext, cpuWorkers: number): Promise<ChosenBackend> {
  const built: Partial<Record<TrialKind, BatchBackend>> = {};
  try {
    const { trial, cached } = await cachedTrial(ctx.device, trialKey(setup), () => measureBoth(setup, ctx, built));
    if (trial.choice === 'cpu' && usesPool(setup, cpuWorkers)) {
      return { backend: await cpuBackend(setup, cpuWorkers), fallbackReason: null, trial: { ...trial, cached } };
    }
    let backend = built[trial.choice];
    if (backend) await restoreInitial(backend, setup);
    else backend = trial.choice === 'cpu' ? await cpuBackend(setup) : await createGpuBatchBackend(ctx, setup);
    delete built[trial.choice];
    return { backend, fallbackReason: null, trial: { ...trial, cached } };
  } finally {
    for (const loser of Object.values(built)) loser.dispose();
  }
}

/**
 * The trial itself: each backend built (into `built`, where the caller takes what it keeps and
 * disposes the rest) and timed alone (timeQuietly); one that cannot be built or run is NaN with a
 * note. The backends' models have trained: restore them before use.
 */
export async function measureBoth(setup: BatchSetup, ctx: GpuContext, built: Partial<Record<TrialKind, BatchBackend>>): Promise<Omit<BackendTrial, 'cached'>> {
  const hint: TrialKind = ctx.software ? 'cpu' : 'webgpu';
  const ms: Record<TrialKind, number> = { webgpu: NaN, cpu: NaN };
  const notes: string[] = [];
  let gpuError: unknown = null;
  const make: Record<TrialKind, () => Promise<BatchBackend>> = { cpu: () => cpuBackend(setup), webgpu: () => createGpuBatchBackend(ctx, setup) };
  for (const kind of ['webgpu', 'cpu'] as const) {
    try {
      const backend = (built[kind] = await make[kind]());
      ms[kind] = await timeQuietly(() => timeSteps(backend, setup));
    } catch (e) {
      // A lost device is the fallback's business; anything else just rules the backend out.
      if (e instanceof GpuUnavailableError) throw e;
      if (kind === 'webgpu') gpuError = e;
      built[kind]?.dispose();
      delete built[kind];
      notes.push(`${kind === 'cpu' ? 'CPU' : 'WebGPU'}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (!Number.isFinite(ms.webgpu) && !Number.isFinite(ms.cpu)) throw gpuError ?? new Error(`neither backend could train this model: ${notes.join('; ')}`);
  const choice = pickBackend(ms, hint);
  const trial: Omit<BackendTrial, 'cached'> = { ms, choice, hint, summary: trialSummary(ms, choice) };
  if (notes.length) trial.note = notes.join('; ');
  return trial;
}

/** What a backend is, as the status's `data-state` names it (`trial` is a session's, not a backend's). */
export function backendStateOf(backend: BatchBackend): 'webgpu' | 'cpu' | 'reference' {
  return backend.kind === 'webgpu' ? 'webgpu' : backend instanceof ReferenceBackend ? 'reference' : 'cpu';
}

/** 6 FLOPs per parameter per row (forward, backward and update) of one model's step. */
function stepFlops(setup: BatchSetup): number {
  return 6 * parameterCount(arenaLayout(setup.spec)) * setup.batchCapacity;
}

function refuse(flops: number, what: string, limit: number): ConfigError {
  return new ConfigError(
    'backend',
    `this network and batch size need ${(flops / 1e6).toFixed(0)} MFLOP per step, more than the ${what}'s ${limit / 1e6} MFLOP limit; use WebGPU, fewer units or a smaller batch`,
  );
}

/**
 * The CPU backend of a batch: the fast float32 kernels (src/cpu/), or the float64 reference where
 * WebAssembly SIMD cannot run (an old browser, a Content-Security-Policy without
 * 'wasm-unsafe-eval'). Refused up front when one model's step would block its thread for long.
 */
export async function cpuBackend(setup: BatchSetup, cpuWorkers = 1): Promise<BatchBackend> {
  if ((await kernelsUnavailable()) !== null) return referenceBackend(setup);
  const flops = stepFlops(setup);
  if (flops > FAST_CPU_STEP_FLOP_LIMIT) throw refuse(flops, 'CPU backend', FAST_CPU_STEP_FLOP_LIMIT);
  const pool = usesPool(setup, cpuWorkers) ? sharedCpuPool() : null;
  if (pool) {
    try {
      return await PooledCpuBackend.create(pool, setup, cpuWorkers);
    } catch (e) {
      // No pool here (nested workers refused, the script failed to load): the batch runs on this worker, as with 1.
      console.warn(`shaderprop: the CPU worker pool could not start, training on one worker: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return createFastCpuBackend(setup);
}

/**
 * True when a batch is spread over the CPU pool: several models, more than one worker asked for,
 * and data within the copy each worker may hold (POOL_DATA_BYTES).
 */
function usesPool(setup: BatchSetup, cpuWorkers: number): boolean {
  return cpuWorkers > 1 && setup.models.length > 1 && poolDataBytes(setup) <= POOL_DATA_BYTES;
}

/**
 * The float64 reference for a batch, refused up front when one model's step would block its
 * thread for long (the worker must keep answering its heartbeat; it yields between models).
 */
export function referenceBackend(setup: BatchSetup): ReferenceBackend {
  const flops = stepFlops(setup);
  if (flops > CPU_STEP_FLOP_LIMIT) throw refuse(flops, 'CPU reference', CPU_STEP_FLOP_LIMIT);
  return new ReferenceBackend(setup);
}
