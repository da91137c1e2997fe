/**
 * The dropout mask, shared by the WGSL kernel (shaders/dropout.wgsl) and the float64
 * reference: element i of a hidden layer's output is kept at step t when a counter-based hash of
 * (seed, layer, t, i) falls at or above the rate. Kept values are scaled by 1 / (1 − rate).
 */
export function pcg(x: number): number {
  const state = (Math.imul(x >>> 0, 747796405) + 2891336453) >>> 0;
  const word = Math.imul(((state >>> ((state >>> 28) + 4)) ^ state) >>> 0, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

/** The factor element `i` is multiplied by: 0 when dropped, 1 / (1 − rate) when kept. */
export function dropoutScale(seed: number, layer: number, step: number, i: number, rate: number): number {
  const h = pcg((seed ^ pcg((layer ^ pcg((step ^ pcg(i)) >>> 0)) >>> 0)) >>> 0);
  const r = Math.fround((h >>> 8) / 16777216);
  return r >= Math.fround(rate) ? 1 / (1 - Math.fround(rate)) : 0;
}

/** Largest dropout rate accepted (a rate of 1 would drop everything). */
export const MAX_DROPOUT = 0.9;
