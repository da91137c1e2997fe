import type { OptimizerConfig, OptimizerKind } from '../nn/optimizer.ts';
import type { WasmHeap } from './kernels.ts';

/** Kind ids of assembly/optimizer.ts (AdamW is Adam with a decay). */
const KIND_ID: Record<OptimizerKind, number> = { sgd: 0, momentum: 1, adam: 2, adamw: 2 };

/**
 * One model's float32 parameter arena in the kernels' heap with its gradient and optimizer-state
 * twins (same layout as src/nn/arena.ts), and its step count.
 */
export class CpuArena {
  readonly params: number;
  readonly grads: number;
  readonly m: number;
  readonly v: number;
  /** Optimizer steps taken; dropout masks and augmentation draws of the next step use this value. */
  t = 0;

  constructor(
    private readonly heap: WasmHeap,
    readonly floats: number,
    private readonly weightsEnd: number,
    initial: Float32Array,
  ) {
    if (floats % 4 !== 0 || weightsEnd % 4 !== 0) throw new Error('arena sizes must be multiples of 4 floats');
    this.params = heap.alloc(floats);
    this.grads = heap.alloc(floats);
    this.m = heap.alloc(floats);
    this.v = heap.alloc(floats);
    this.load(initial);
  }

  /** A copy of the parameters. */
  read(): Float32Array {
    return this.heap.f32(this.params, this.floats).slice();
  }

  /** Sets one parameter (a weight a person typed); moments and step count stay. */
  setParam(index: number, value: number): void {
    this.heap.f32(this.params, this.floats)[index] = value;
  }

  /** Copies of the parameters and both moments, and the step count. */
  readState(): { params: Float32Array; m: Float32Array; v: Float32Array; t: number } {
    const copy = (at: number) => this.heap.f32(at, this.floats).slice();
    return { params: copy(this.params), m: copy(this.m), v: copy(this.v), t: this.t };
  }

  /** Puts parameters, moments and step count back as readState gave them (lengths checked by the caller). */
  loadState(state: { params: Float32Array; m: Float32Array; v: Float32Array; t: number }): void {
    this.heap.f32(this.params, this.floats).set(state.params);
    this.heap.f32(this.m, this.floats).set(state.m);
    this.heap.f32(this.v, this.floats).set(state.v);
    this.t = state.t;
  }

  /** Replaces the parameters and restarts the optimizer state (moments and step count). */
  load(params: Float32Array): void {
    if (params.length !== this.floats) throw new Error(`the parameters have ${params.length} values but this network's arena holds ${this.floats}`);
    this.heap.f32(this.params, this.floats).set(params);
    this.heap.f32(this.m, this.floats).fill(0);
    this.heap.f32(this.v, this.floats).fill(0);
    this.t = 0;
  }

  /**
   * One optimizer step on the gradients in `grads`; `learningRate` overrides the configured rate
   * (a schedule). Adam's bias corrections 1 − β^t are computed in float64 from the float32 betas
   * the kernel uses, as packStepFactors does for the GPU.
   */
  step(cfg: OptimizerConfig, learningRate = cfg.learningRate): void {
    this.t += 1;
    const c1 = 1 - Math.pow(Math.fround(cfg.beta1), this.t);
    const c2 = 1 - Math.pow(Math.fround(cfg.beta2), this.t);
    const wd = cfg.kind === 'adamw' ? cfg.weightDecay : 0;
    this.heap.k.optimizerStep(
      KIND_ID[cfg.kind],
      this.params,
      this.grads,
      this.m,
      this.v,
      this.floats,
      this.weightsEnd,
      learningRate,
      cfg.beta1,
      cfg.beta2,
      c1,
      c2,
      cfg.epsilon,
      cfg.momentum,
      cfg.nesterov ? 1 : 0,
      cfg.l1,
      cfg.l2,
      wd,
    );
  }
}
