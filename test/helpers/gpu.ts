import { acquireGpu, type GpuContext } from '../../src/gpu/device.ts';

let context: Promise<GpuContext> | null = null;

/** One shared device for a test file (real WebGPU: SwiftShader when there is no GPU). */
export function testGpu(): Promise<GpuContext> {
  context ??= acquireGpu();
  return context;
}

/** A storage buffer holding `data` (f32 or u32), readable back. */
export function storage(device: GPUDevice, label: string, data: Float32Array | Uint32Array | number): GPUBuffer {
  const size = typeof data === 'number' ? data * 4 : data.byteLength;
  const buffer = device.createBuffer({
    label,
    size: Math.max(16, size),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
  });
  if (typeof data !== 'number') device.queue.writeBuffer(buffer, 0, data);
  return buffer;
}

/** Reads `count` floats back from a buffer. */
export async function readF32(device: GPUDevice, buffer: GPUBuffer, count: number): Promise<Float32Array> {
  const staging = device.createBuffer({ label: 'test readback', size: Math.max(16, count * 4), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(buffer, 0, staging, 0, Math.max(16, count * 4));
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(staging.getMappedRange().slice(0, count * 4));
  staging.destroy();
  return out;
}

/** Reads `count` u32 values back from a buffer. */
export async function readU32(device: GPUDevice, buffer: GPUBuffer, count: number): Promise<Uint32Array> {
  return new Uint32Array((await readF32(device, buffer, count)).buffer);
}

/** Submits dispatches in one pass and fails the test on any validation error. */
export async function run(device: GPUDevice, record: (pass: GPUComputePassEncoder) => void): Promise<void> {
  device.pushErrorScope('validation');
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  record(pass);
  pass.end();
  device.queue.submit([encoder.finish()]);
  const error = await device.popErrorScope();
  if (error) throw new Error(`validation error: ${error.message}`);
}
