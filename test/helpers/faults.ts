import { acquireGpu, type GpuContext } from '../../src/gpu/device.ts';
import type { GpuFailureError } from '../../src/gpu/errors.ts';

/**
 * Fault injection around a real WebGPU device: everything runs on the real device, and the
 * wrapper only adds the failures a test asks for — a lost device, an uncaptured validation
 * error, an out-of-memory error from the next error scope, readbacks that never come back — and
 * counts buffers.
 */
export class FaultyGpu {
  readonly failures: GpuFailureError[] = [];
  created = 0;
  destroyed = 0;
  private loseDevice!: (info: GPUDeviceLostInfo) => void;
  private armedScopeError: 'out-of-memory' | 'validation' | null = null;
  private scopes: GPUErrorFilter[] = [];
  private withholding = false;
  /** mapAsync calls withheld so far (they never settle). */
  withheld = 0;

  private constructor(readonly real: GPUDevice) {}

  /** Acquires a real device through a wrapped navigator.gpu and returns the faulty context. */
  static async create(): Promise<{ faults: FaultyGpu; ctx: GpuContext }> {
    let faults!: FaultyGpu;
    const gpu = {
      requestAdapter: async (options?: GPURequestAdapterOptions) => {
        const adapter = (await navigator.gpu.requestAdapter(options))!;
        return new Proxy(adapter, {
          get: (target, key) => {
            if (key === 'requestDevice') {
              return async (desc?: GPUDeviceDescriptor) => {
                faults = new FaultyGpu(await target.requestDevice(desc));
                return faults.device();
              };
            }
            return bound(target, key);
          },
        });
      },
    } as unknown as GPU;
    const ctx = await acquireGpu((e) => faults.failures.push(e), gpu);
    return { faults, ctx };
  }

  private device(): GPUDevice {
    const lost = new Promise<GPUDeviceLostInfo>((resolve) => (this.loseDevice = resolve));
    return new Proxy(this.real, {
      get: (target, key) => {
        switch (key) {
          case 'lost':
            return Promise.race([lost, target.lost]);
          case 'createBuffer':
            return (d: GPUBufferDescriptor) => this.countBuffer(target.createBuffer(d));
          case 'queue':
            return this.queue(target.queue);
          case 'pushErrorScope':
            return (filter: GPUErrorFilter) => {
              this.scopes.push(filter);
              target.pushErrorScope(filter);
            };
          case 'popErrorScope':
            return () => this.popScope();
          default:
            return bound(target, key);
        }
      },
    });
  }

  /** The queue, whose onSubmittedWorkDone is withheld like readbacks. */
  private queue(real: GPUQueue): GPUQueue {
    return new Proxy(real, {
      get: (target, key) => {
        if (key !== 'onSubmittedWorkDone') return bound(target, key);
        return () => {
          if (!this.withholding) return target.onSubmittedWorkDone();
          this.withheld++;
          return new Promise<undefined>(() => undefined);
        };
      },
    });
  }

  private countBuffer(buffer: GPUBuffer): GPUBuffer {
    this.created++;
    const map = buffer.mapAsync.bind(buffer);
    buffer.mapAsync = (mode: GPUMapModeFlags, offset?: number, size?: number) => {
      if (!this.withholding) return map(mode, offset, size);
      // As if the driver dropped the callback: the promise never settles, not even on destroy.
      this.withheld++;
      return new Promise<undefined>(() => undefined);
    };
    const destroy = buffer.destroy.bind(buffer);
    let done = false;
    buffer.destroy = () => {
      if (!done) this.destroyed++;
      done = true;
      destroy();
    };
    return buffer;
  }

  private async popScope(): Promise<GPUError | null> {
    const filter = this.scopes.pop();
    const real = await this.real.popErrorScope();
    if (filter === this.armedScopeError) {
      this.armedScopeError = null;
      return filter === 'out-of-memory' ? new GPUOutOfMemoryError('injected out-of-memory') : new GPUValidationError('injected validation error');
    }
    return real;
  }

  /** The device reports itself lost (reason 'unknown', as after a driver reset). */
  lose(): void {
    this.loseDevice({ reason: 'unknown', message: 'injected device loss' } as GPUDeviceLostInfo);
  }

  /** The next error scope of this kind reports an error. */
  failNextScope(kind: 'out-of-memory' | 'validation'): void {
    this.armedScopeError = kind;
  }

  /** An uncaptured validation error, as if a command the engine issued were invalid. */
  uncapturedValidationError(): void {
    this.real.dispatchEvent(new GPUUncapturedErrorEvent('uncapturederror', { error: new GPUValidationError('injected uncaptured error') }));
  }

  /**
   * From now on every readback (mapAsync) and every queue.onSubmittedWorkDone never settles,
   * until `withholdReadbacks(false)`; the ones withheld meanwhile stay pending forever. The GPU
   * itself keeps working.
   */
  withholdReadbacks(on = true): void {
    this.withholding = on;
  }

  /** Buffers created and not destroyed. */
  get liveBuffers(): number {
    return this.created - this.destroyed;
  }
}

/** A GPU whose requestAdapter finds nothing, as on a machine with a blocked driver. */
export const NO_ADAPTER = { requestAdapter: async () => null } as unknown as GPU;

function bound(target: object, key: string | symbol): unknown {
  const value = Reflect.get(target, key, target);
  return typeof value === 'function' ? value.bind(target) : value;
}
