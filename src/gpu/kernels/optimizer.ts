import source from '../../../shaders/optimizer.wgsl';
import type { OptimizerConfig } from '../../nn/optimizer.ts';
import { fold1d, KernelFamily, uniformBuffer, type Dispatch } from '../kernel.ts';

/** Size of OptimizerParams in bytes (8 f32 + 4 u32). */
export const OPTIMIZER_PARAMS_BYTES = 48;
const WORKGROUP = 256;
/** Arena elements each invocation updates (PER_INVOCATION in shaders/optimizer.wgsl). */
const PER_INVOCATION = 4;

/** Packs OptimizerParams in WGSL field order; `wd` is nonzero only for AdamW. */
export function packOptimizerParams(cfg: OptimizerConfig, count: number, weightsEnd: number, pitch: number): ArrayBuffer {
  const buffer = new ArrayBuffer(OPTIMIZER_PARAMS_BYTES);
  const wd = cfg.kind === 'adamw' ? cfg.weightDecay : 0;
  new Float32Array(buffer, 0, 8).set([cfg.learningRate, cfg.beta1, cfg.beta2, cfg.epsilon, cfg.momentum, cfg.l1, cfg.l2, wd]);
  new Uint32Array(buffer, 32, 4).set([count, weightsEnd, cfg.nesterov ? 1 : 0, pitch]);
  return buffer;
}

/** The shader entry point that implements an optimizer kind. */
export function optimizerEntry(kind: OptimizerConfig['kind']): string {
  return kind === 'adamw' ? 'adam' : kind;
}

/** Arena buffers an optimizer step binds. */
export interface ArenaBuffers {
  params: GPUBuffer;
  grads: GPUBuffer;
  m: GPUBuffer;
  v: GPUBuffer;
  state: GPUBuffer;
}

/** Wrapper of shaders/optimizer.wgsl: one dispatch over the whole arena. */
export class OptimizerKernel {
  readonly family: KernelFamily;
  private pitch = 0;
  private uniform: GPUBuffer | null = null;

  constructor(
    device: GPUDevice,
    private readonly count: number,
    private readonly weightsEnd: number,
    private readonly maxPerDimension: number,
  ) {
    this.family = new KernelFamily(device, 'optimizer', source, ['uniform', 'read', 'read', 'rw', 'rw', 'rw']);
  }

  /** Builds the step dispatch; the uniform is rewritten in place by `update`. */
  dispatch(cfg: OptimizerConfig, b: ArenaBuffers): { dispatch: Dispatch; uniform: GPUBuffer } {
    const { workgroups, pitch } = fold1d(Math.ceil(this.count / PER_INVOCATION), WORKGROUP, this.maxPerDimension);
    this.pitch = pitch;
    const uniform = uniformBuffer(this.family.device, 'optimizer params', packOptimizerParams(cfg, this.count, this.weightsEnd, pitch));
    this.uniform = uniform;
    const entry = optimizerEntry(cfg.kind);
    const bindGroup = this.family.bindGroup('optimizer step', [uniform, b.grads, b.state, b.params, b.m, b.v]);
    // Cost per arena element: sgd 6 flops, 3 floats moved (g, w in; w out); momentum 9, 5 (+ m in
    // and out); adam 18, 7 (+ m, v in and out). Regularization is counted in.
    const per = entry === 'sgd' ? { f: 6, b: 3 } : entry === 'momentum' ? { f: 9, b: 5 } : { f: 18, b: 7 };
    const cost = { flops: per.f * this.count, bytes: 4 * per.b * this.count };
    return { dispatch: { label: `${entry} · arena`, entry, pipeline: this.family.pipeline(entry), bindGroup, workgroups, family: this.family, cost }, uniform };
  }

  /** Rewrites hyperparameters (queue-ordered: takes effect from the next submitted step). */
  update(cfg: OptimizerConfig): void {
    if (this.uniform) this.family.device.queue.writeBuffer(this.uniform, 0, packOptimizerParams(cfg, this.count, this.weightsEnd, this.pitch));
  }
}
