import type { OptimizerConfig } from '../nn/optimizer.ts';

/** Optimizer state twins of the parameter arena, in float64. */
export interface OptimizerState {
  m: Float64Array;
  v: Float64Array;
  /** Number of steps taken; Adam's bias correction uses the post-increment value. */
  t: number;
}

/** Fresh zeroed state for an arena of `length` floats. */
export function optimizerState(length: number): OptimizerState {
  return { m: new Float64Array(length), v: new Float64Array(length), t: 0 };
}

/**
 * One optimizer step over the whole arena in place, the float64 twin of shaders/optimizer.wgsl.
 * Elements before `weightsEnd` are weights and get L1/L2 (and AdamW's decay); the rest are biases.
 */
export function optimizerStep(cfg: OptimizerConfig, params: Float64Array, grads: ArrayLike<number>, state: OptimizerState, weightsEnd: number): void {
  state.t += 1;
  const { learningRate: lr, beta1, beta2, epsilon, momentum: mu } = cfg;
  const bc1 = 1 - Math.pow(beta1, state.t);
  const bc2 = 1 - Math.pow(beta2, state.t);
  for (let i = 0; i < params.length; i++) {
    const w = params[i]!;
    const isWeight = i < weightsEnd;
    let g = grads[i]!;
    if (isWeight) g += cfg.l2 * w + cfg.l1 * Math.sign(w);
    switch (cfg.kind) {
      case 'sgd':
        params[i] = w - lr * g;
        break;
      case 'momentum': {
        const v = mu * state.m[i]! + g;
        state.m[i] = v;
        params[i] = w - lr * (cfg.nesterov ? g + mu * v : v);
        break;
      }
      case 'adam':
      case 'adamw': {
        const m = beta1 * state.m[i]! + (1 - beta1) * g;
        const v = beta2 * state.v[i]! + (1 - beta2) * g * g;
        state.m[i] = m;
        state.v[i] = v;
        const decay = cfg.kind === 'adamw' && isWeight ? cfg.weightDecay * w : 0;
        params[i] = w - lr * (m / bc1 / (Math.sqrt(v / bc2) + epsilon) + decay);
        break;
      }
    }
  }
}
