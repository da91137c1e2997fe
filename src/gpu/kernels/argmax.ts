import source from '../../../shaders/argmax.wgsl';
import { fold1d, KernelFamily, type OwnedDispatch } from '../kernel.ts';

/** Size of ArgmaxParams in bytes (4 u32). */
export const ARGMAX_PARAMS_BYTES = 16;
const WORKGROUP = 256;

/** Packs ArgmaxParams in WGSL field order. */
export function packArgmaxParams(rows: number, width: number, pitch: number): ArrayBuffer {
  return new Uint32Array([rows, width, pitch, 0]).buffer;
}

/** Wrapper of shaders/argmax.wgsl. */
export class ArgmaxKernel {
  readonly family: KernelFamily;

  constructor(
    device: GPUDevice,
    private readonly maxPerDimension = 65535,
  ) {
    this.family = new KernelFamily(device, 'argmax', source, { u: 'uniform', values: 'read', out: 'rw' });
  }

  /** Class index per row of `values` [rows, width] into `out` (u32). */
  dispatch(label: string, shape: { rows: number; width: number }, buffers: { values: GPUBuffer; out: GPUBuffer }): OwnedDispatch {
    const { rows, width } = shape;
    const { workgroups, pitch } = fold1d(rows, WORKGROUP, this.maxPerDimension);
    // rows·width comparisons; reads rows·width values, writes rows indices.
    const cost = { flops: rows * width, bytes: 4 * (rows * width + rows) };
    return this.family.encode({ label, entry: 'argmax_rows', uniform: packArgmaxParams(rows, width, pitch), buffers, workgroups, cost });
  }
}
