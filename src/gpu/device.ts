import { GpuFailureError, GpuUnavailableError } from './errors.ts';

/** A device plus what the engine learned about it, and the first failure it reported. */
export interface GpuContext {
  device: GPUDevice;
  /** Adapter description for the UI, e.g. "google swiftshader". */
  adapterName: string;
  /** True for software adapters (SwiftShader), where register-blocked kernels win. */
  software: boolean;
  /** First uncaptured error or device loss; once set, all work stops with this error. */
  failure: GpuFailureError | null;
}

/** Limits requested at the adapter's maximum instead of WebGPU's small defaults. */
const WANTED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupsPerDimension',
] as const;

/**
 * Words for an adapter from what the browser tells about it: vendor, architecture and
 * description where given. Some browsers leave every field empty (Firefox does, for privacy);
 * then the adapter is "unnamed adapter" rather than a guess.
 */
export function adapterLabel(info: Partial<Pick<GPUAdapterInfo, 'vendor' | 'architecture' | 'description'>> | null | undefined): string {
  const parts = [info?.vendor, info?.architecture, info?.description].map((p) => (p ?? '').trim()).filter(Boolean);
  return parts.join(' ') || 'unnamed adapter';
}

/**
 * Requests an adapter and a device with the limits the engine needs, or throws a
 * GpuUnavailableError that says why in words. Errors the device reports later land in
 * `context.failure` (and `onFailure`), so training can stop instead of reading zeros.
 */
export async function acquireGpu(
  onFailure?: (e: GpuFailureError) => void,
  gpu: GPU | null | undefined = globalThis.navigator?.gpu,
  /** Optional features to request where the adapter has them (e.g. 'timestamp-query'); see `device.features`. */
  features: readonly GPUFeatureName[] = [],
): Promise<GpuContext> {
  if (!gpu) {
    throw new GpuUnavailableError('no-webgpu', 'This browser does not expose WebGPU (navigator.gpu is missing).');
  }
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    throw new GpuUnavailableError('no-adapter', `WebGPU refused to give an adapter: ${String(e)}`);
  }
  if (!adapter) {
    throw new GpuUnavailableError('no-adapter', 'WebGPU is present but found no usable GPU adapter (blocked driver or no GPU).');
  }
  const requiredLimits: Record<string, number> = {};
  for (const name of WANTED_LIMITS) requiredLimits[name] = adapter.limits[name];
  let device: GPUDevice;
  try {
    const requiredFeatures = features.filter((f) => adapter.features.has(f));
    device = await adapter.requestDevice({ label: 'shaderprop', requiredLimits, requiredFeatures });
  } catch (e) {
    throw new GpuUnavailableError('device-request-failed', `The GPU adapter refused to create a device: ${String(e)}`);
  }
  // Older browsers have no adapter.info at all; Firefox gives one with empty strings.
  const info: Partial<GPUAdapterInfo> = adapter.info ?? {};
  const adapterName = adapterLabel(info);
  const context: GpuContext = {
    device,
    adapterName,
    software: info.architecture === 'swiftshader' || info.isFallbackAdapter === true,
    failure: null,
  };
  const fail = (e: GpuFailureError) => {
    if (context.failure) return;
    context.failure = e;
    onFailure?.(e);
  };
  device.addEventListener('uncapturederror', (event) => {
    const error = (event as GPUUncapturedErrorEvent).error;
    const kind = error instanceof GPUOutOfMemoryError ? 'out-of-memory' : error instanceof GPUValidationError ? 'validation' : 'internal';
    fail(new GpuFailureError(kind, `GPU error: ${error.message}`));
  });
  void device.lost.then((info) => {
    fail(new GpuFailureError('device-lost', `The GPU device was lost (${info.reason}): ${info.message || 'no details'}`));
  });
  return context;
}

/**
 * Runs `create` inside validation and out-of-memory error scopes and throws the first error as
 * a GpuFailureError, so a bad allocation fails where it happened instead of later, silently.
 */
export async function withErrorScopes<T>(device: GPUDevice, what: string, create: () => T): Promise<T> {
  device.pushErrorScope('validation');
  device.pushErrorScope('out-of-memory');
  let value: T | undefined;
  let thrown: { error: unknown } | null = null;
  try {
    value = create();
  } catch (error) {
    thrown = { error };
  }
  // The scopes are popped whether or not create() threw; a scope's error is the better message.
  const oom = await device.popErrorScope();
  const validation = await device.popErrorScope();
  const error = oom ?? validation;
  if (error) throw new GpuFailureError(oom ? 'out-of-memory' : 'validation', `${what} failed: ${error.message}`);
  if (thrown) throw thrown.error;
  return value as T;
}
