import source from '../../../shaders/optimizer.wgsl';
import type { OptimizerConfig, OptimizerKind } from '../../nn/optimizer.ts';
import { fold1d, KernelFamily, type OwnedDispatch } from '../kernel.ts';
import type { StateLayout } from './state.ts';

/** Size of OptimizerParams in bytes (8 u32). */
export const OPTIMIZER_PARAMS_BYTES = 32;
/** Size of one model's ModelSettings in bytes (12 × 4). */
export const MODEL_SETTINGS_BYTES = 48;
/** Floats per model and step in the steps table: lr, c1, c2, active. */
export const STEP_FACTOR_FLOATS = 4;
const WORKGROUP = 256;
/** Arena elements each invocation updates (PER_INVOCATION in shaders/optimizer.wgsl). */
const PER_INVOCATION = 4;

const KIND_ID: Record<OptimizerKind, number> = { sgd: 0, momentum: 1, adam: 2, adamw: 2 };

/** Packs every model's ModelSettings in WGSL field order; `wd` is nonzero only for AdamW. */
export function packModelSettings(cfgs: readonly OptimizerConfig[]): ArrayBuffer {
  const buffer = new ArrayBuffer(cfgs.length * MODEL_SETTINGS_BYTES);
  cfgs.forEach((cfg, z) => {
    const wd = cfg.kind === 'adamw' ? cfg.weightDecay : 0;
    new Float32Array(buffer, z * MODEL_SETTINGS_BYTES, 7).set([cfg.beta1, cfg.beta2, cfg.epsilon, cfg.momentum, cfg.l1, cfg.l2, wd]);
    new Uint32Array(buffer, z * MODEL_SETTINGS_BYTES + 28, 2).set([KIND_ID[cfg.kind], cfg.nesterov ? 1 : 0]);
  });
  return buffer;
}

/**
 * Fills the steps table of one submit, [models, slots] × (lr, c1, c2, active), and advances each
 * model's step counter `t` (in place) once per step in which it trains (rows > 0). The bias
 * corrections 1 − β^t are computed in float64 from the post-increment t and the float32 β the
 * kernel holds: its moments weigh gradients by (1 − β) and β in float32, so dividing by a
 * correction built from the same β keeps m / c1 and v / c2 unbiased in its own arithmetic.
 * `rows[z·steps + s]` are the rows of model z in step s; `learningRates`, when given, has the
 * same shape and overrides each config's rate (a schedule) where it is not NaN.
 */
export function packStepFactors(
  cfgs: readonly OptimizerConfig[],
  t: number[],
  rows: ArrayLike<number>,
  steps: number,
  slots: number,
  learningRates?: ArrayLike<number>,
): Float32Array {
  const table = new Float32Array(cfgs.length * slots * STEP_FACTOR_FLOATS);
  cfgs.forEach((cfg, z) => {
    for (let s = 0; s < steps; s++) {
      if (rows[z * steps + s]! === 0) continue;
      const tz = ++t[z]!;
      const given = learningRates?.[z * steps + s];
      const lr = given === undefined || Number.isNaN(given) ? cfg.learningRate : given;
      table.set([lr, 1 - Math.pow(Math.fround(cfg.beta1), tz), 1 - Math.pow(Math.fround(cfg.beta2), tz), 1], (z * slots + s) * STEP_FACTOR_FLOATS);
    }
  });
  return table;
}

/** Packs OptimizerParams in WGSL field order. */
export function packOptimizerParams(count: number, weightsEnd: number, pitch: number, layout: StateLayout): ArrayBuffer {
  return new Uint32Array([count, weightsEnd, pitch, layout.slots, layout.stateStride, 0, 0, 0]).buffer;
}

/** Arena buffers and tables an optimizer step binds, in binding order. */
export interface OptimizerBuffers {
  grads: GPUBuffer;
  state: GPUBuffer;
  settings: GPUBuffer;
  steps: GPUBuffer;
  params: GPUBuffer;
  m: GPUBuffer;
  v: GPUBuffer;
}

/** What one optimizer dispatch updates: `models` arenas of `count` floats. */
export interface OptimizerShape extends StateLayout {
  count: number;
  weightsEnd: number;
  models: number;
}

/** Wrapper of shaders/optimizer.wgsl: one dispatch over every model's arena. */
export class OptimizerKernel {
  readonly family: KernelFamily;

  constructor(
    device: GPUDevice,
    private readonly maxPerDimension: number,
  ) {
    this.family = new KernelFamily(device, 'optimizer', source, {
      u: 'uniform',
      grads: 'read',
      state: 'read',
      settings: 'read',
      steps: 'read',
      params: 'rw',
      m: 'rw',
      v: 'rw',
    });
  }

  /** Builds the step dispatch; settings and factors live in buffers the caller rewrites. */
  dispatch(label: string, shape: OptimizerShape, buffers: OptimizerBuffers): OwnedDispatch {
    const { count, models } = shape;
    const { workgroups, pitch } = fold1d(Math.ceil(count / PER_INVOCATION), WORKGROUP, this.maxPerDimension, models);
    // Per arena element, Adam's 18 flops and 7 floats moved (g, w, m, v in; w, m, v out), the
    // most of the three kinds; regularization counted in.
    const cost = { flops: 18 * count * models, bytes: 4 * 7 * count * models };
    return this.family.encode({
      label,
      entry: 'optimizer_step',
      uniform: packOptimizerParams(count, shape.weightsEnd, pitch, shape),
      buffers,
      workgroups,
      cost,
    });
  }
}
