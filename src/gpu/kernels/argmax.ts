import source from '../../../shaders/argmax.wgsl';
import { fold1d, KernelFamily, uniformBuffer, type Dispatch } from '../kernel.ts';

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
    this.family = new KernelFamily(device, 'argmax', source, ['uniform', 'read', 'rw']);
  }

  /** Class index per row of `values` [rows, width] into `out` (u32). */
  dispatch(label: string, rows: number, width: number, values: GPUBuffer, out: GPUBuffer): { dispatch: Dispatch; uniform: GPUBuffer } {
    const { workgroups, pitch } = fold1d(rows, WORKGROUP, this.maxPerDimension);
    const uniform = uniformBuffer(this.family.device, `${label} params`, packArgmaxParams(rows, width, pitch));
    const bindGroup = this.family.bindGroup(label, [uniform, values, out]);
    // Cost: rows·width comparisons; reads rows·width values, writes rows indices.
    const cost = { flops: rows * width, bytes: 4 * (rows * width + rows) };
    return { dispatch: { label: `argmax_rows · ${label}`, entry: 'argmax_rows', pipeline: this.family.pipeline('argmax_rows'), bindGroup, workgroups, family: this.family, cost }, uniform };
  }
}
