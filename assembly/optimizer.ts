// optimizer.ts: one optimizer step over a parameter arena in float32 with WebAssembly SIMD, the CPU
// twin of shaders/optimizer.wgsl (same formulas, same float32 arithmetic):
//   kind 0 sgd       w -= lr · g
//   kind 1 momentum  v = μ·v + g;  w -= lr · v   (Nesterov: w -= lr · (g + μ·v))
//   kind 2 adam      m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g²;
//                    w -= lr · (m / c1 / (√(v / c2) + ε) + wd · w)   (AdamW when wd > 0)
// Weights (index < weightsEnd) take g += l2·w + l1·sign(w) and AdamW's decay; biases do not. The
// host computes the bias corrections c1 = 1 − β1^t, c2 = 1 − β2^t in float64 from the float32 betas
// (packStepFactors in src/gpu/kernels/optimizer.ts). count and weightsEnd are multiples of 4 (the
// arena aligns every tensor to 64 floats), so every element is updated four at a time.

@inline function sign4(w: v128): v128 {
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  return f32x4.sub(v128.and(f32x4.gt(w, zero), one), v128.and(f32x4.lt(w, zero), one));
}

/** One step of `kind` over elements [0, count) of params, grads, m and v (m and v: optimizer state). */
export function optimizerStep(
  kind: i32, params: usize, grads: usize, m: usize, v: usize, count: i32, weightsEnd: i32,
  lr: f32, beta1: f32, beta2: f32, c1: f32, c2: f32, eps: f32, mu: f32, nesterov: bool, l1: f32, l2: f32, wd: f32,
): void {
  const vlr = f32x4.splat(lr);
  const vb1 = f32x4.splat(beta1);
  const vb2 = f32x4.splat(beta2);
  const vb1c = f32x4.splat(1 - beta1);
  const vb2c = f32x4.splat(1 - beta2);
  const vc1 = f32x4.splat(c1);
  const vc2 = f32x4.splat(c2);
  const veps = f32x4.splat(eps);
  const vmu = f32x4.splat(mu);
  const vl1 = f32x4.splat(l1);
  const vl2 = f32x4.splat(l2);
  const vwd = f32x4.splat(wd);
  const zero = f32x4.splat(0);
  for (let i = 0; i < count; i += 4) {
    const at = (<usize>i) << 2;
    const w = v128.load(params + at);
    let g = v128.load(grads + at);
    const weight = i < weightsEnd;
    if (weight) g = f32x4.add(g, f32x4.add(f32x4.mul(vl2, w), f32x4.mul(vl1, sign4(w))));
    if (kind == 0) {
      v128.store(params + at, f32x4.sub(w, f32x4.mul(vlr, g)));
    } else if (kind == 1) {
      const vel = f32x4.add(f32x4.mul(vmu, v128.load(m + at)), g);
      v128.store(m + at, vel);
      const dir = nesterov ? f32x4.add(g, f32x4.mul(vmu, vel)) : vel;
      v128.store(params + at, f32x4.sub(w, f32x4.mul(vlr, dir)));
    } else {
      const m1 = f32x4.add(f32x4.mul(vb1, v128.load(m + at)), f32x4.mul(vb1c, g));
      const m2 = f32x4.add(f32x4.mul(vb2, v128.load(v + at)), f32x4.mul(f32x4.mul(vb2c, g), g));
      v128.store(m + at, m1);
      v128.store(v + at, m2);
      const decay = weight ? f32x4.mul(vwd, w) : zero;
      const step = f32x4.add(f32x4.div(f32x4.div(m1, vc1), f32x4.add(f32x4.sqrt(f32x4.div(m2, vc2)), veps)), decay);
      v128.store(params + at, f32x4.sub(w, f32x4.mul(vlr, step)));
    }
  }
}
