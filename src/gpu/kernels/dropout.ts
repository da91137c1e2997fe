import source from '../../../shaders/dropout.wgsl';
import { fold1d, KernelFamily, uniformBuffer, type Dispatch } from '../kernel.ts';

/** Size of DropoutParams in bytes (8 × 4). */
export const DROPOUT_PARAMS_BYTES = 32;
const WORKGROUP = 256;

/** Packs DropoutParams in WGSL field order. */
export function packDropoutParams(count: number, rate: number, seed: number, layer: number, afterLoss: boolean, pitch: number): ArrayBuffer {
  const buffer = new ArrayBuffer(DROPOUT_PARAMS_BYTES);
  const u = new Uint32Array(buffer);
  u.set([count, 0, seed >>> 0, layer, afterLoss ? 1 : 0, pitch]);
  new Float32Array(buffer, 4, 1)[0] = rate;
  return buffer;
}

/** Wrapper of shaders/dropout.wgsl. */
export class DropoutKernel {
  readonly family: KernelFamily;

  constructor(
    device: GPUDevice,
    private readonly maxPerDimension: number,
  ) {
    this.family = new KernelFamily(device, 'dropout', source, ['uniform', 'read', 'rw', 'rw']);
  }

  /**
   * Forward: `out` = dropped copy of `data`. Backward: `data` scaled in place by the same mask
   * (`out` is bound but unused).
   */
  dispatch(label: string, pass: 'forward' | 'backward', count: number, rate: number, seed: number, layer: number, state: GPUBuffer, data: GPUBuffer, out: GPUBuffer): { dispatch: Dispatch; uniform: GPUBuffer } {
    const { workgroups, pitch } = fold1d(count, WORKGROUP, this.maxPerDimension);
    const uniform = uniformBuffer(this.family.device, `${label} params`, packDropoutParams(count, rate, seed, layer, pass === 'backward', pitch));
    const entry = `dropout_${pass}`;
    const bindGroup = this.family.bindGroup(label, [uniform, state, data, out]);
    return { dispatch: { label: `${entry} · ${label}`, entry, pipeline: this.family.pipeline(entry), bindGroup, workgroups, family: this.family, cost: { flops: count, bytes: count * 8 } }, uniform };
  }
}
