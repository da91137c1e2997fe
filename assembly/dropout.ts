// dropout.ts: inverted-dropout masks from the counter-based hash, the CPU twin of
// shaders/dropout.wgsl and src/nn/dropout.ts.
//
// Entry point:
//   dropout  out[i] = src[i] · (hashUniform(seed, layer, step, i) ≥ rate ? scale : 0) for i < count;
//            out may be src. The forward pass masks a hidden layer's output with it, and the
//            backward pass masks that layer's gradient with the same (seed, layer, step).
// The hash is PCG (src/nn/hash.ts); its 24-bit uniform is exact in f32, so the same elements
// drop as in the reference and the WGSL kernel.

@inline function pcg(x: u32): u32 {
  const state = x * 747796405 + 2891336453;
  const word = ((state >>> ((state >>> 28) + 4)) ^ state) * 277803737;
  return (word >>> 22) ^ word;
}

/** Uniform in [0, 1) from the hash of (seed, stream, step, i); equals hashUniform in src/nn/hash.ts. */
export function hashUniform(seed: u32, stream: u32, step: u32, i: u32): f32 {
  const h = pcg(seed ^ pcg(stream ^ pcg(step ^ pcg(i))));
  return <f32>(h >>> 8) / 16777216;
}

/** out[i] = src[i] times element i's inverted-dropout factor (0, or `scale` = 1 / (1 − rate)). */
export function dropout(out: usize, src: usize, count: i32, seed: u32, layer: u32, step: u32, rate: f32, scale: f32): void {
  for (let i = 0; i < count; i++) {
    const r = hashUniform(seed, layer, step, <u32>i);
    const at = (<usize>i) << 2;
    store<f32>(out + at, r >= rate ? load<f32>(src + at) * scale : 0);
  }
}
