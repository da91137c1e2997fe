/**
 * The counter-based hash behind every random draw made on the GPU (dropout masks, augmentation):
 * the WGSL kernels compute the same function, so the float64 reference draws exactly what they
 * draw without any stored random state.
 */

/** PCG-style integer hash (Jarzynski and Olano, "Hash Functions for GPU Rendering", 2020). */
export function pcg(x: number): number {
  const state = (Math.imul(x >>> 0, 747796405) + 2891336453) >>> 0;
  const word = Math.imul(((state >>> ((state >>> 28) + 4)) ^ state) >>> 0, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

/**
 * Uniform in [0, 1) from the hash of (seed, stream, step, i) — stream is a dropout layer's index
 * or an augmentation draw's stream: 24 hash bits, so the f32 and float64 values are equal.
 */
export function hashUniform(seed: number, stream: number, step: number, i: number): number {
  const h = pcg((seed ^ pcg((stream ^ pcg((step ^ pcg(i)) >>> 0)) >>> 0)) >>> 0);
  return (h >>> 8) / 16777216;
}
