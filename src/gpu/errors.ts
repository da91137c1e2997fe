/** Why WebGPU could not be used; the UI shows `message` and falls back to the CPU reference. */
export type GpuUnavailableReason = 'no-webgpu' | 'no-adapter' | 'device-request-failed';

/** WebGPU is missing or refused; carries a reason a person can act on. */
export class GpuUnavailableError extends Error {
  constructor(
    readonly reason: GpuUnavailableReason,
    message: string,
  ) {
    super(message);
    this.name = 'GpuUnavailableError';
  }
}

/** The GPU failed while working: device lost, uncaptured validation or out-of-memory error. */
export class GpuFailureError extends Error {
  constructor(
    readonly kind: 'device-lost' | 'validation' | 'out-of-memory' | 'internal',
    message: string,
  ) {
    super(message);
    this.name = 'GpuFailureError';
  }
}

/** A tensor or dispatch does not fit the device's limits; names the limit and both sizes. */
export class GpuLimitError extends Error {
  constructor(
    readonly limit: string,
    readonly what: string,
    readonly needed: number,
    readonly allowed: number,
  ) {
    super(`${what} needs ${needed.toLocaleString('en-US')} but the device's ${limit} is ${allowed.toLocaleString('en-US')}`);
    this.name = 'GpuLimitError';
  }
}
