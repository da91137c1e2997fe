import source from '../../../shaders/gather.wgsl';
import { fold1d, KernelFamily, type OwnedDispatch } from '../kernel.ts';
import type { StateLayout } from './state.ts';

/** Size of GatherParams in bytes (8 u32). */
export const GATHER_PARAMS_BYTES = 32;
const WORKGROUP = 256;

/** What one gather reads and writes, per model. */
export interface GatherShape extends StateLayout {
  capacity: number;
  width: number;
  models: number;
  /** Floats between two models' copies of the dataset; 0 when they share one. */
  srcModelStride: number;
  /** Rows of `out` to skip before the first written row (one model only); 0 when absent. */
  outRow?: number;
}

/** The buffers of a gather, in binding order. */
export interface GatherBuffers {
  src: GPUBuffer;
  indices: GPUBuffer;
  state: GPUBuffer;
  out: GPUBuffer;
}

/** Packs GatherParams in WGSL field order. */
export function packGatherParams(s: GatherShape, pitch: number): ArrayBuffer {
  return new Uint32Array([s.capacity, s.width, pitch, s.slots, s.stateStride, s.srcModelStride, s.outRow ?? 0, 0]).buffer;
}

/** Wrapper of shaders/gather.wgsl. */
export class GatherKernel {
  readonly family: KernelFamily;

  constructor(
    device: GPUDevice,
    private readonly maxPerDimension: number,
  ) {
    this.family = new KernelFamily(device, 'gather', source, { u: 'uniform', src: 'read', indices: 'read', state: 'read', out: 'rw' });
  }

  /** Gathers `capacity` rows of `width` floats per model from `src` by each model's current slot. */
  dispatch(label: string, shape: GatherShape, buffers: GatherBuffers): OwnedDispatch {
    const { capacity, width, models } = shape;
    // Model z's rows start at z·capacity·width, so a shift would run into the next model's.
    if ((shape.outRow ?? 0) > 0 && models !== 1) throw new Error(`a gather with an out_row shift takes one model, got ${models}`);
    const { workgroups, pitch } = fold1d(capacity * width, WORKGROUP, this.maxPerDimension, models);
    // No arithmetic; reads capacity indices and capacity·width floats, writes capacity·width.
    const cost = { flops: 0, bytes: 4 * models * (capacity + 2 * capacity * width) };
    return this.family.encode({ label, entry: 'gather_rows', uniform: packGatherParams(shape, pitch), buffers, workgroups, cost });
  }
}
