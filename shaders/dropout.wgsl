// dropout.wgsl: inverted dropout on a hidden layer's output during training, with masks from a
// counter-based hash of (seed, layer, step, element), so no mask is ever stored: the backward
// pass recomputes the forward pass's mask, and the float64 reference computes the same one.
//
// Entry points:
//   dropout_forward   dropped[i] = y[i] · keep(i) / (1 − rate); y is left as is, because the
//                     activation derivative in the backward pass needs the undropped output.
//   dropout_backward  grad[i] = grad[i] · keep(i) / (1 − rate), in place.
// keep(i) = uniform(hash(seed, layer, t, i)) ≥ rate, with t the optimizer step counter. The
// loss kernel advances t between the two passes, so the backward pass reads t − 1
// (`after_loss` = 1).
//
// Bindings (group 0):
//   0 uniform       u     : DropoutParams
//   1 storage read  state : u32 [t, ...]
//   2 storage rw    data  : forward: y (read); backward: the gradient (read and written)
//   3 storage rw    out   : forward: the dropped output; backward: unused
//
// Uniform struct DropoutParams (8 × 4 = 32 bytes): count, rate (f32), seed, layer, after_loss,
//   pitch, 2 × padding.
// Dispatch: count invocations of 256, folded into 2-D; the index is gid.x + gid.y · pitch.

struct DropoutParams {
  count: u32, rate: f32, seed: u32, layer: u32,
  after_loss: u32, pitch: u32, pad0: u32, pad1: u32,
}

@group(0) @binding(0) var<uniform> u: DropoutParams;
@group(0) @binding(1) var<storage, read> state: array<u32>;
@group(0) @binding(2) var<storage, read_write> data: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

// PCG-style integer hash (Jarzynski and Olano, "Hash Functions for GPU Rendering", 2020).
fn pcg(x: u32) -> u32 {
  let state = x * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

fn scale(i: u32) -> f32 {
  let t = state[0] - u.after_loss;
  let h = pcg(u.seed ^ pcg(u.layer ^ pcg(t ^ pcg(i))));
  let r = f32(h >> 8u) / 16777216.0;
  return select(0.0, 1.0 / (1.0 - u.rate), r >= u.rate);
}

@compute @workgroup_size(256)
fn dropout_forward(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x + gid.y * u.pitch;
  if (i >= u.count) { return; }
  out[i] = data[i] * scale(i);
}

@compute @workgroup_size(256)
fn dropout_backward(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x + gid.y * u.pitch;
  if (i >= u.count) { return; }
  data[i] = data[i] * scale(i);
}
