// dropout.wgsl: inverted dropout on a hidden layer's output during training, with masks from a
// counter-based hash of (seed, layer, step, element), so no mask is ever stored: the backward
// pass recomputes the forward pass's mask, and the float64 reference computes the same one.
//
// Entry points:
//   dropout_forward   dropped[i] = y[i] · keep(i) / (1 − rate); y is left as is, because the
//                     activation derivative in the backward pass needs the undropped output.
//   dropout_backward  grad[i] = grad[i] · keep(i) / (1 − rate), in place.
// keep(i) = uniform(hash(seed, layer, t, i)) ≥ rate, with t the model's optimizer step counter.
// The loss kernel advances t between the two passes, so the backward pass reads t − 1
// (`after_loss` = 1).
//
// Models: gid.z is the model; its elements start at z·count, its seed and t come from its state
// words, and its rate for this layer from `rates` (a rate of 0 passes the values through).
//
// Bindings (group 0):
//   0 uniform       u     : DropoutParams
//   1 storage read  state : per model [t, slot, dropout seed, ...] (see gather.wgsl)
//   2 storage read  rates : [models, rate_stride] f32 dropout rate of each hidden layer
//   3 storage rw    data  : [models, count]; forward: y (read); backward: the gradient (in place)
//   4 storage rw    out   : [models, count]; forward: the dropped output; backward: unused
//
// Uniform struct DropoutParams (8 × u32 = 32 bytes): count, layer, after_loss, pitch,
//   state_stride, rate_stride, 2 × padding.
// Dispatch: count invocations of 256 per model, folded into 2-D (the index is gid.x + gid.y ·
// pitch), × models in z.

struct DropoutParams {
  count: u32, layer: u32, after_loss: u32, pitch: u32,
  state_stride: u32, rate_stride: u32, pad0: u32, pad1: u32,
}

@group(0) @binding(0) var<uniform> u: DropoutParams;
@group(0) @binding(1) var<storage, read> state: array<u32>;
@group(0) @binding(2) var<storage, read> rates: array<f32>;
@group(0) @binding(3) var<storage, read_write> data: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

// PCG-style integer hash (Jarzynski and Olano, "Hash Functions for GPU Rendering", 2020).
fn pcg(x: u32) -> u32 {
  let state = x * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

fn scale(z: u32, i: u32) -> f32 {
  let st = z * u.state_stride;
  let t = state[st] - u.after_loss;
  let rate = rates[z * u.rate_stride + u.layer];
  let h = pcg(state[st + 2u] ^ pcg(u.layer ^ pcg(t ^ pcg(i))));
  let r = f32(h >> 8u) / 16777216.0;
  return select(0.0, 1.0 / (1.0 - rate), r >= rate);
}

@compute @workgroup_size(256)
fn dropout_forward(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x + gid.y * u.pitch;
  if (i >= u.count) { return; }
  let at = gid.z * u.count + i;
  out[at] = data[at] * scale(gid.z, i);
}

@compute @workgroup_size(256)
fn dropout_backward(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x + gid.y * u.pitch;
  if (i >= u.count) { return; }
  let at = gid.z * u.count + i;
  data[at] = data[at] * scale(gid.z, i);
}
