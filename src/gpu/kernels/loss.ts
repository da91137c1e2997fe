import source from '../../../shaders/loss.wgsl';
import type { LossHead } from '../../nn/spec.ts';
import { KernelFamily, type OwnedDispatch } from '../kernel.ts';
import type { StateLayout } from './state.ts';

/**
 * Loss kernel modes: train writes gradients; eval writes outputs; predict reads no targets;
 * score reduces loss and accuracy only (a validation pass inside a training submit).
 */
export type LossMode = 'train' | 'eval' | 'predict' | 'score';
const MODE_ID: Record<LossMode, number> = { train: 0, eval: 1, predict: 2, score: 3 };

/** The shape of one loss dispatch: the LossParams uniform of shaders/loss.wgsl, plus the model count. */
export interface LossShape extends StateLayout {
  capacity: number;
  width: number;
  targetWidth: number;
  mode: LossMode;
  models: number;
  /** Entries per model in the class-weight table (the width, or 2 for sigmoid_bce). */
  classes: number;
  /**
   * Where the per-row weights start in the `weights` buffer (floats, after every model's class
   * weights) and their stride per model (the dataset rows); train mode reads them. Absent: none.
   */
  rowWeights?: { offset: number; stride: number };
}

/** Size of LossParams in bytes (12 u32). */
export const LOSS_PARAMS_BYTES = 48;
/** Floats per metrics slot: loss sum, correct count, Σp over positive rows, Σp over the others. */
export const METRICS_SLOT_FLOATS = 4;

/** Packs LossParams in WGSL field order. */
export function packLossParams(p: LossShape): ArrayBuffer {
  const rows = p.rowWeights ?? { offset: 0, stride: 0 };
  if (p.rowWeights && p.rowWeights.offset < 1) throw new Error('the row-weight table starts after the class weights, at an offset ≥ 1');
  const words = [p.capacity, p.width, p.targetWidth, MODE_ID[p.mode], p.slots, p.stateStride, p.classes, rows.offset, rows.stride, 0, 0, 0];
  return new Uint32Array(words).buffer;
}

/** Buffers one loss dispatch binds, in binding order after the uniform. */
export interface LossBuffers {
  logits: GPUBuffer;
  targets: GPUBuffer;
  indices: GPUBuffer;
  weights: GPUBuffer;
  out: GPUBuffer;
  metrics: GPUBuffer;
  state: GPUBuffer;
}

/** Wrapper of shaders/loss.wgsl. */
export class LossKernel {
  readonly family: KernelFamily;

  constructor(device: GPUDevice) {
    this.family = new KernelFamily(device, 'loss', source, {
      u: 'uniform',
      logits: 'read',
      targets: 'read',
      indices: 'read',
      weights: 'read',
      out: 'rw',
      metrics: 'rw',
      state: 'rw',
    });
  }

  /** One loss dispatch for `kind`: a single workgroup per model (fixed reduction order). */
  dispatch(label: string, kind: LossHead, shape: LossShape, buffers: LossBuffers): OwnedDispatch {
    // About 6 flops per logit (max, two exps, sum, divide, gradient); reads the logits and per
    // row an index, its targets and (training with row weights) its weight; writes one output per logit.
    const { capacity: cap, width, targetWidth, models } = shape;
    const perRow = targetWidth + 1 + (shape.rowWeights && shape.mode === 'train' ? 1 : 0);
    const cost = { flops: 6 * cap * width * models, bytes: 4 * models * (2 * cap * width + cap * perRow) };
    return this.family.encode({ label, entry: kind, uniform: packLossParams(shape), buffers, workgroups: [1, 1, models], cost });
  }
}
