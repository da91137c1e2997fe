import source from '../../../shaders/pixels.wgsl';
import { fold1d, KernelFamily, uniformBuffer, type Dispatch } from '../kernel.ts';

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

/** Wrapper of shaders/pixels.wgsl. */
export class PixelGatherKernel {
  readonly family: KernelFamily;

  constructor(
    device: GPUDevice,
    private readonly maxPerDimension: number,
  ) {
    this.family = new KernelFamily(device, 'pixels', source, ['uniform', 'read', 'read', 'read', 'rw']);
  }

  /** Gathers `capacity` images of `width` pixels into `out` starting at row `outRow`. */
  dispatch(label: string, capacity: number, width: number, outRow: number, src: GPUBuffer, indices: GPUBuffer, state: GPUBuffer, out: GPUBuffer): { dispatch: Dispatch; uniform: GPUBuffer } {
    if (width % 4 !== 0) throw new Error(`image width ${width} is not a multiple of 4`);
    const { workgroups, pitch } = fold1d((capacity * width) / 4, WORKGROUP, this.maxPerDimension);
    const uniform = uniformBuffer(this.family.device, `${label} params`, packPixelParams(capacity, width, outRow, pitch));
    const bindGroup = this.family.bindGroup(label, [uniform, src, indices, state, out]);
    return { dispatch: { label: `gather_pixels · ${label}`, entry: 'gather_pixels', pipeline: this.family.pipeline('gather_pixels'), bindGroup, workgroups }, uniform };
  }
}
