import { withErrorScopes, type GpuContext } from './device.ts';
import { GpuFailureError } from './errors.ts';
import { GpuBuffers } from './gpu-buffers.ts';
import { abandonDevice, DeadlineError } from './deadline.ts';

/**
 * Builds a GPU object inside error scopes with a fresh buffer set it takes over: an allocation
 * or validation error rejects with a typed error, and every buffer created before the failure is
 * destroyed, even when `build` throws half-way.
 */
export async function buildInScopes<T>(ctx: GpuContext, what: string, build: (mem: GpuBuffers) => T): Promise<T> {
  const mem = new GpuBuffers(ctx.device);
  try {
    return await withErrorScopes(ctx.device, what, () => build(mem));
  } catch (e) {
    mem.destroy();
    throw e;
  }
}

/**
 * The checks every GPU backend runs around its work: refuses calls after dispose or after the
 * device failed, and turns a failed readback into the device's own failure (lost device,
 * uncaptured error), which says more than a rejected mapAsync, always with a `kind`.
 */
export class GpuGuard {
  disposed = false;

  constructor(
    private readonly ctx: GpuContext,
    /** What is guarded, for messages: "GPU model", "GAN". */
    private readonly what: string,
  ) {}

  /** Throws if the object was disposed or its device has failed. */
  check(): void {
    if (this.disposed) throw new Error(`This ${this.what} was disposed`);
    if (this.ctx.failure) throw this.ctx.failure;
  }

  /**
   * Awaits GPU work; a failure becomes the device's failure or a GpuFailureError. Work that
   * missed its deadline abandons the device, so every backend on it stops as on a lost device.
   */
  async run<T>(work: Promise<T>): Promise<T> {
    let value: T;
    try {
      value = await work;
    } catch (e) {
      // Work past its deadline gives up on the device: it becomes a lost device, resumed on a fresh one.
      if (e instanceof DeadlineError) abandonDevice(this.ctx, e);
      // A lost device rejects pending maps before `lost` resolves: give it a moment to say why.
      await Promise.race([this.ctx.device.lost, new Promise((r) => setTimeout(r, 200))]);
      this.check();
      if (e instanceof GpuFailureError) throw e;
      throw new GpuFailureError('internal', `${this.what}: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.check();
    return value;
  }
}
