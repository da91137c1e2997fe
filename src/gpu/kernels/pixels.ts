import source from '../../../shaders/pixels.wgsl';
import { fold1d, KernelFamily, type OwnedDispatch } from '../kernel.ts';

/** Size of PixelParams in bytes (4 u32). */
export const PIXEL_PARAMS_BYTES = 16;
const WORKGROUP = 256;

/** Packs PixelParams in WGSL field order. */
export function packPixelParams(capacity: number, width: number, outRow: number, pitch: number): ArrayBuffer {
  return new Uint32Array([capacity, width, outRow, pitch]).buffer;
}

/** Packs 8-bit pixels four to a u32 (little-endian), the layout gather_pixels reads. */
export function packPixels(bytes: Uint8Array): Uint32Array {
  if (bytes.length % 4 !== 0) throw new Error(`pixel count ${bytes.length} is not a multiple of 4`);
  return new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

/** What one pixel gather writes: `capacity` images of `width` pixels from row `outRow` on. */
export interface PixelShape {
  capacity: number;
  width: number;
  outRow: number;
}

/** The buffers of a pixel gather, in binding order. */
export interface PixelBuffers {
  src: GPUBuffer;
  indices: GPUBuffer;
  state: GPUBuffer;
  out: GPUBuffer;
}

/** Wrapper of shaders/pixels.wgsl. */
export class PixelGatherKernel {
  readonly family: KernelFamily;

  constructor(
    device: GPUDevice,
    private readonly maxPerDimension: number,
  ) {
    this.family = new KernelFamily(device, 'pixels', source, { u: 'uniform', src: 'read', indices: 'read', state: 'read', out: 'rw' });
  }

  /** Gathers `capacity` images of `width` pixels into `out` starting at row `outRow` (one model: a GAN's D). */
  dispatch(label: string, shape: PixelShape, buffers: PixelBuffers): OwnedDispatch {
    const { capacity, width, outRow } = shape;
    if (width % 4 !== 0) throw new Error(`image width ${width} is not a multiple of 4`);
    const { workgroups, pitch } = fold1d((capacity * width) / 4, WORKGROUP, this.maxPerDimension);
    // No arithmetic beyond the unpacking; reads capacity indices and capacity·width bytes, writes capacity·width floats.
    const cost = { flops: 2 * capacity * width, bytes: 4 * capacity + 5 * capacity * width };
    return this.family.encode({ label, entry: 'gather_pixels', uniform: packPixelParams(capacity, width, outRow, pitch), buffers, workgroups, cost });
  }
}
