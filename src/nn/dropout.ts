import { hashUniform } from './hash.ts';

/**
 * The dropout mask, shared by the WGSL kernel (shaders/dropout.wgsl) and the float64
 * reference: the factor element `i` of a hidden layer's output is multiplied by at step t, 0 when
 * the counter-based hash of (seed, layer, t, i) falls below the rate (dropped), 1 / (1 − rate)
 * otherwise.
 */
export function dropoutScale(seed: number, layer: number, step: number, i: number, rate: number): number {
  const r = hashUniform(seed, layer, step, i);
  return r >= Math.fround(rate) ? 1 / (1 - Math.fround(rate)) : 0;
}

/** Largest dropout rate accepted (a rate of 1 would drop everything). */
export const MAX_DROPOUT = 0.9;
