// optimizer.wgsl: one update step over the whole parameter arena in a single dispatch.
//
// Entry points:
//   sgd       w -= lr · g
//   momentum  v = μ·v + g;  w -= lr · v   (Nesterov: w -= lr · (g + μ·v))
//   adam      m, v moments with bias correction by the step count t; AdamW when wd > 0:
//             w -= lr · (m̂ / (√v̂ + ε) + wd · w)
// For every optimizer, weights (index < weights_end) take g += l2·w + l1·sign(w); biases do not.
// The arena's padding has zero params and grads, so it stays zero.
//
// Bindings (group 0):
//   0 uniform       u      : OptimizerParams
//   1 storage read  grads  : arena
//   2 storage read  state  : u32 [t, ...]; t is already incremented by the loss kernel
//   3 storage rw    params : arena
//   4 storage rw    m      : arena (momentum velocity, or Adam's first moment)
//   5 storage rw    v      : arena (Adam's second moment)
//
// Uniform struct OptimizerParams (12 × 4 = 48 bytes): lr, beta1, beta2, eps, mu, l1, l2, wd
//   (f32), count, weights_end, nesterov, pitch (u32).
// Dispatch: N = ceil(count / 4) invocations of 256, folded into 2-D; invocation n = gid.x + gid.y ·
// pitch updates elements n, n + N, n + 2N and n + 3N, so Adam's two bias corrections (a pow each,
// the same for every element) are computed once per 4 elements: on SwiftShader that made the
// GAN's discriminator update 2× faster. Neighbouring invocations touch neighbouring elements,
// which a software adapter turns into one vector load instead of one load per invocation.

struct OptimizerParams {
  lr: f32, beta1: f32, beta2: f32, eps: f32,
  mu: f32, l1: f32, l2: f32, wd: f32,
  count: u32, weights_end: u32, nesterov: u32, pitch: u32,
}

@group(0) @binding(0) var<uniform> u: OptimizerParams;
@group(0) @binding(1) var<storage, read> grads: array<f32>;
@group(0) @binding(2) var<storage, read> state: array<u32>;
@group(0) @binding(3) var<storage, read_write> params: array<f32>;
@group(0) @binding(4) var<storage, read_write> m: array<f32>;
@group(0) @binding(5) var<storage, read_write> v: array<f32>;

fn regularized_grad(i: u32, w: f32) -> f32 {
  var g = grads[i];
  if (i < u.weights_end) { g += u.l2 * w + u.l1 * sign(w); }
  return g;
}

const PER_INVOCATION: u32 = 4u;

// Distance between the elements of one invocation: the number of invocations, N.
fn element_stride() -> u32 {
  return (u.count + PER_INVOCATION - 1u) / PER_INVOCATION;
}

// Invocations past N (the rest of the last workgroup) get u.count: they update nothing.
fn first_element(gid: vec3u) -> u32 {
  let n = gid.x + gid.y * u.pitch;
  return select(u.count, n, n < element_stride());
}

@compute @workgroup_size(256)
fn sgd(@builtin(global_invocation_id) gid: vec3u) {
  let first = first_element(gid);
  let stride = element_stride();
  for (var i = first; i < u.count; i += stride) {
    let w = params[i];
    params[i] = w - u.lr * regularized_grad(i, w);
  }
}

@compute @workgroup_size(256)
fn momentum(@builtin(global_invocation_id) gid: vec3u) {
  let first = first_element(gid);
  let stride = element_stride();
  for (var i = first; i < u.count; i += stride) {
    let w = params[i];
    let g = regularized_grad(i, w);
    let vel = u.mu * m[i] + g;
    m[i] = vel;
    params[i] = w - u.lr * select(vel, g + u.mu * vel, u.nesterov == 1u);
  }
}

@compute @workgroup_size(256)
fn adam(@builtin(global_invocation_id) gid: vec3u) {
  let first = first_element(gid);
  let stride = element_stride();
  if (first >= u.count) { return; }
  let t = f32(state[0]);
  let c1 = 1.0 - pow(u.beta1, t);
  let c2 = 1.0 - pow(u.beta2, t);
  for (var i = first; i < u.count; i += stride) {
    let w = params[i];
    let g = regularized_grad(i, w);
    let m1 = u.beta1 * m[i] + (1.0 - u.beta1) * g;
    let m2 = u.beta2 * v[i] + (1.0 - u.beta2) * g * g;
    m[i] = m1;
    v[i] = m2;
    let m_hat = m1 / c1;
    let v_hat = m2 / c2;
    let decay = select(0.0, u.wd * w, i < u.weights_end);
    params[i] = w - u.lr * (m_hat / (sqrt(v_hat) + u.eps) + decay);
  }
}
