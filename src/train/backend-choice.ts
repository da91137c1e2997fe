import type { BackendChoice } from '../config/experiment.ts';
import { createGpuBatchBackend } from '../gpu/batch-backend.ts';
import type { GpuContext } from '../gpu/device.ts';
import { GpuUnavailableError } from '../gpu/errors.ts';
import { arenaLayout, parameterCount } from '../nn/arena.ts';
import { ConfigError } from '../nn/spec.ts';
import { ReferenceBackend } from '../reference/batch-backend.ts';
import type { BatchBackend, BatchSetup } from './backend.ts';

/** Work per training step of one model the CPU reference accepts: about half a second of float64 loops. */
export const CPU_STEP_FLOP_LIMIT = 4e8;

/** A backend for a batch and, when the CPU runs although WebGPU was preferred, why. */
export interface ChosenBackend {
  backend: BatchBackend;
  fallbackReason: string | null;
}

/**
 * The backend a batch runs on: `cpu` the float64 reference; `webgpu` the kernels or an error;
 * `auto` the kernels, falling back to the reference (and saying why) when WebGPU is missing or
 * refused. `gpu` is asked for a device only when WebGPU may be used.
 */
export async function chooseBackend(setup: BatchSetup, choice: BackendChoice, gpu: () => Promise<GpuContext>): Promise<ChosenBackend> {
  if (choice === 'cpu') return { backend: referenceBackend(setup), fallbackReason: null };
  try {
    return { backend: await createGpuBatchBackend(await gpu(), setup), fallbackReason: null };
  } catch (e) {
    if (choice === 'webgpu' || !(e instanceof GpuUnavailableError)) throw e;
    return { backend: referenceBackend(setup), fallbackReason: e.message };
  }
}

/**
 * The float64 reference for a batch, refused up front when one model's step would block its
 * thread for long (the worker must keep answering its heartbeat; it yields between models): 6
 * FLOPs per parameter per row (forward, backward and update).
 */
export function referenceBackend(setup: BatchSetup): ReferenceBackend {
  const flops = 6 * parameterCount(arenaLayout(setup.spec)) * setup.batchCapacity;
  if (flops > CPU_STEP_FLOP_LIMIT) {
    throw new ConfigError(
      'backend',
      `this network and batch size need ${(flops / 1e6).toFixed(0)} MFLOP per step, more than the CPU reference's ${CPU_STEP_FLOP_LIMIT / 1e6} MFLOP limit; use WebGPU, fewer units or a smaller batch`,
    );
  }
  return new ReferenceBackend(setup);
}
