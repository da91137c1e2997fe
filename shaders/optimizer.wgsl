// optimizer.wgsl: one update step over every model's parameter arena in a single dispatch.
//
// Entry point:
//   optimizer_step  per model, by its settings' kind:
//     0 sgd       w -= lr · g
//     1 momentum  v = μ·v + g;  w -= lr · v   (Nesterov: w -= lr · (g + μ·v))
//     2 adam      m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g²;
//                 w -= lr · (m / c1 / (√(v / c2) + ε) + wd · w)   (AdamW when wd > 0)
// For every kind, weights (index < weights_end) take g += l2·w + l1·sign(w); biases do not.
// The arena's padding has zero params and grads, so it stays zero.
//
// Models: gid.z is the model; its arena starts at z·count in params, grads, m and v. Its
// settings (kind, betas, momentum, regularization) change live between submits; its per-step
// factors come from `steps`, written by the host with each submit: the learning rate of that
// step (a schedule may change it between epochs inside one submit), Adam's bias corrections
// c1 = 1 − β1^t and c2 = 1 − β2^t computed in float64 on the host (WGSL's pow is imprecise near
// 1, which made every Adam step about 2e-5 too large), and whether the model trains in this
// step at all (a model that stopped, diverged or finished its epochs sits steps out untouched).
//
// Bindings (group 0):
//   0 uniform       u        : OptimizerParams
//   1 storage read  grads    : [models, count]
//   2 storage read  state    : per model [t, slot, ...] (see gather.wgsl); the loss kernel has
//                              already advanced slot, so this step's factors are at slot − 1
//   3 storage read  settings : [models] ModelSettings
//   4 storage read  steps    : [models, slots] vec4(lr, c1, c2, active)
//   5 storage rw    params   : [models, count]
//   6 storage rw    m        : [models, count] (momentum velocity, or Adam's first moment)
//   7 storage rw    v        : [models, count] (Adam's second moment)
//
// Uniform struct OptimizerParams (8 × u32 = 32 bytes): count, weights_end, pitch, slots,
//   state_stride, 3 × padding.
// Storage struct ModelSettings (12 × 4 = 48 bytes): beta1, beta2, eps, mu, l1, l2, wd (f32),
//   kind, nesterov (u32), 3 × padding.
// Dispatch: N = ceil(count / 4) invocations of 256 per model, folded into 2-D, × models in z;
// invocation n = gid.x + gid.y · pitch updates elements n, n + N, n + 2N and n + 3N, so
// neighbouring invocations touch neighbouring elements (one vector load on a software adapter).

struct OptimizerParams {
  count: u32, weights_end: u32, pitch: u32, slots: u32,
  state_stride: u32, pad0: u32, pad1: u32, pad2: u32,
}

struct ModelSettings {
  beta1: f32, beta2: f32, eps: f32, mu: f32,
  l1: f32, l2: f32, wd: f32, kind: u32,
  nesterov: u32, pad0: u32, pad1: u32, pad2: u32,
}

@group(0) @binding(0) var<uniform> u: OptimizerParams;
@group(0) @binding(1) var<storage, read> grads: array<f32>;
@group(0) @binding(2) var<storage, read> state: array<u32>;
@group(0) @binding(3) var<storage, read> settings: array<ModelSettings>;
@group(0) @binding(4) var<storage, read> steps: array<vec4f>;
@group(0) @binding(5) var<storage, read_write> params: array<f32>;
@group(0) @binding(6) var<storage, read_write> m: array<f32>;
@group(0) @binding(7) var<storage, read_write> v: array<f32>;

const PER_INVOCATION: u32 = 4u;

fn regularized_grad(s: ModelSettings, base: u32, i: u32, w: f32) -> f32 {
  var g = grads[base + i];
  if (i < u.weights_end) { g += s.l2 * w + s.l1 * sign(w); }
  return g;
}

@compute @workgroup_size(256)
fn optimizer_step(@builtin(global_invocation_id) gid: vec3u) {
  // Distance between the elements of one invocation: the number of invocations per model, N.
  let stride = (u.count + PER_INVOCATION - 1u) / PER_INVOCATION;
  let first = gid.x + gid.y * u.pitch;
  if (first >= stride) { return; }
  let z = gid.z;
  let step = steps[z * u.slots + state[z * u.state_stride + 1u] - 1u];
  if (step.w == 0.0) { return; }
  let s = settings[z];
  let lr = step.x;
  let base = z * u.count;
  for (var i = first; i < u.count; i += stride) {
    let at = base + i;
    let w = params[at];
    let g = regularized_grad(s, base, i, w);
    switch s.kind {
      case 0u: {
        params[at] = w - lr * g;
      }
      case 1u: {
        let vel = s.mu * m[at] + g;
        m[at] = vel;
        params[at] = w - lr * select(vel, g + s.mu * vel, s.nesterov == 1u);
      }
      default: {
        let m1 = s.beta1 * m[at] + (1.0 - s.beta1) * g;
        let m2 = s.beta2 * v[at] + (1.0 - s.beta2) * g * g;
        m[at] = m1;
        v[at] = m2;
        let decay = select(0.0, s.wd * w, i < u.weights_end);
        params[at] = w - lr * ((m1 / step.y) / (sqrt(m2 / step.z) + s.eps) + decay);
      }
    }
  }
}
