import source from '../../../shaders/loss.wgsl';
import type { LossKind } from '../../nn/spec.ts';
import { KernelFamily, uniformBuffer, type Dispatch } from '../kernel.ts';

/** Loss kernel modes: train writes gradients; eval writes outputs; predict reads no targets. */
export type LossMode = 'train' | 'eval' | 'predict';
const MODE_ID: Record<LossMode, number> = { train: 0, eval: 1, predict: 2 };

/** The LossParams uniform of shaders/loss.wgsl. */
export interface LossParams {
  capacity: number;
  width: number;
  targetWidth: number;
  mode: LossMode;
}

/** Size of LossParams in bytes (4 u32). */
export const LOSS_PARAMS_BYTES = 16;
/** Floats per metrics slot: loss sum, correct count, Σp over positive rows, Σp over the others. */
export const METRICS_SLOT_FLOATS = 4;
/** u32 words of the state buffer before the per-slot row counts: t, slot. */
export const STATE_HEADER_WORDS = 2;

/** Packs LossParams in WGSL field order. */
export function packLossParams(p: LossParams): ArrayBuffer {
  return new Uint32Array([p.capacity, p.width, p.targetWidth, MODE_ID[p.mode]]).buffer;
}

/** Buffers one loss dispatch binds, in binding order after the uniform. */
export interface LossBuffers {
  logits: GPUBuffer;
  targets: GPUBuffer;
  indices: GPUBuffer;
  classWeights: GPUBuffer;
  out: GPUBuffer;
  metrics: GPUBuffer;
  state: GPUBuffer;
}

/** Wrapper of shaders/loss.wgsl. */
export class LossKernel {
  readonly family: KernelFamily;

  constructor(device: GPUDevice) {
    this.family = new KernelFamily(device, 'loss', source, ['uniform', 'read', 'read', 'read', 'read', 'rw', 'rw', 'rw']);
  }

  /** One loss dispatch for `kind`; always a single workgroup (fixed reduction order). */
  dispatch(label: string, kind: LossKind, params: LossParams, b: LossBuffers): { dispatch: Dispatch; uniform: GPUBuffer } {
    const uniform = uniformBuffer(this.family.device, `${label} params`, packLossParams(params));
    const bindGroup = this.family.bindGroup(label, [uniform, b.logits, b.targets, b.indices, b.classWeights, b.out, b.metrics, b.state]);
    // Cost: about 6 flops per logit (max, two exps, sum, divide, gradient); reads the logits and
    // per row an index and its targets, writes one output per logit.
    const { capacity: cap, width, targetWidth } = params;
    const cost = { flops: 6 * cap * width, bytes: 4 * (2 * cap * width + cap * (targetWidth + 1)) };
    return { dispatch: { label: `${kind} · ${label}`, entry: kind, pipeline: this.family.pipeline(kind), bindGroup, workgroups: [1, 1, 1], family: this.family, cost }, uniform };
  }
}
