import source from '../../../shaders/gather.wgsl';
import { fold1d, KernelFamily, uniformBuffer, type Dispatch } from '../kernel.ts';

/** Size of GatherParams in bytes (4 u32). */
export const GATHER_PARAMS_BYTES = 16;
const WORKGROUP = 256;

/** Packs GatherParams in WGSL field order. */
export function packGatherParams(capacity: number, width: number, pitch: number): ArrayBuffer {
  return new Uint32Array([capacity, width, pitch, 0]).buffer;
}

/** Wrapper of shaders/gather.wgsl. */
export class GatherKernel {
  readonly family: KernelFamily;

  constructor(
    device: GPUDevice,
    private readonly maxPerDimension: number,
  ) {
    this.family = new KernelFamily(device, 'gather', source, ['uniform', 'read', 'read', 'read', 'rw']);
  }

  /** Gathers `capacity` rows of `width` floats from `src` by the current slot's indices. */
  dispatch(label: string, capacity: number, width: number, src: GPUBuffer, indices: GPUBuffer, state: GPUBuffer, out: GPUBuffer): { dispatch: Dispatch; uniform: GPUBuffer } {
    const { workgroups, pitch } = fold1d(capacity * width, WORKGROUP, this.maxPerDimension);
    const uniform = uniformBuffer(this.family.device, `${label} params`, packGatherParams(capacity, width, pitch));
    const bindGroup = this.family.bindGroup(label, [uniform, src, indices, state, out]);
    // Cost: no arithmetic; reads capacity indices and capacity·width floats, writes capacity·width.
    const cost = { flops: 0, bytes: 4 * (capacity + 2 * capacity * width) };
    return { dispatch: { label: `gather_rows · ${label}`, entry: 'gather_rows', pipeline: this.family.pipeline('gather_rows'), bindGroup, workgroups, family: this.family, cost }, uniform };
  }
}
