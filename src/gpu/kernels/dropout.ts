import source from '../../../shaders/dropout.wgsl';
import { fold1d, KernelFamily, type OwnedDispatch } from '../kernel.ts';
import type { StateLayout } from './state.ts';

/** Size of DropoutParams in bytes (8 u32). */
export const DROPOUT_PARAMS_BYTES = 32;
const WORKGROUP = 256;

/** Which pass a dropout dispatch serves. */
export type DropoutPass = 'forward' | 'backward';

/** The shape of one dropout dispatch: `count` elements of hidden layer `layer` per model. */
export interface DropoutShape extends StateLayout {
  pass: DropoutPass;
  count: number;
  layer: number;
  models: number;
  /** Floats per model in the rates table (one rate per hidden layer). */
  rateStride: number;
}

/** The buffers of a dropout dispatch, in binding order. */
export interface DropoutBuffers {
  state: GPUBuffer;
  rates: GPUBuffer;
  /** Forward: the layer's output y; backward: the gradient, scaled in place. */
  data: GPUBuffer;
  /** Forward: the dropped copy of y; backward: bound but unused. */
  out: GPUBuffer;
}

/** Packs DropoutParams in WGSL field order. */
export function packDropoutParams(s: DropoutShape, pitch: number): ArrayBuffer {
  return new Uint32Array([s.count, s.layer, s.pass === 'backward' ? 1 : 0, pitch, s.stateStride, s.rateStride, 0, 0]).buffer;
}

/** Wrapper of shaders/dropout.wgsl. */
export class DropoutKernel {
  readonly family: KernelFamily;

  constructor(
    device: GPUDevice,
    private readonly maxPerDimension: number,
  ) {
    this.family = new KernelFamily(device, 'dropout', source, { u: 'uniform', state: 'read', rates: 'read', data: 'rw', out: 'rw' });
  }

  /** Forward: `out` = dropped copy of `data`. Backward: `data` scaled in place by the same mask. */
  dispatch(label: string, shape: DropoutShape, buffers: DropoutBuffers): OwnedDispatch {
    const { count, models } = shape;
    const { workgroups, pitch } = fold1d(count, WORKGROUP, this.maxPerDimension, models);
    const cost = { flops: count * models, bytes: count * models * 8 };
    return this.family.encode({ label, entry: `dropout_${shape.pass}`, uniform: packDropoutParams(shape, pitch), buffers, workgroups, cost });
  }
}
