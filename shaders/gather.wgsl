// gather.wgsl: builds the current step's input batch of every model from the dataset resident
// on the GPU.
//
// Entry point:
//   gather_rows  for model z, out[z, r, c] = src[z·src_ms + indices[z, slot, r]·width + c] for
//                r < the slot's rows, 0 for padding rows. Each model reads its own `slot` from its
//                state, which the loss kernel advances, so K steps encoded in one command buffer
//                each read their own batch without any CPU work between them. With one model,
//                `out_row` shifts the written rows down by that many (a GAN's discriminator input
//                holds the generator's fakes first, then the gathered real points).
//
// Models: gid.z is the model index. Each has its own index stream (a fold or a bootstrap sample
// is just another stream) and its own row counts; `src_ms` is 0 when all models share the
// dataset and rows·width when each has its own copy (e.g. standardized per fold).
//
// Bindings (group 0):
//   0 uniform       u       : GatherParams
//   1 storage read  src     : [datasets, rows, width]
//   2 storage read  indices : [models, slots, capacity] dataset row of each batch row
//   3 storage read  state   : u32 per model, `state_stride` words apart:
//                             [t, slot, dropout seed, augment seed, rows of slot 0, rows of slot 1, ...]
//   4 storage rw    out     : [models, capacity, width], after out_row rows (out_row is 0 when models > 1)
//
// Uniform struct GatherParams (8 × u32 = 32 bytes): capacity, width, pitch, slots, state_stride,
//   src_ms, out_row, padding.
// Dispatch: capacity·width invocations of 256 per model, folded into 2-D when the count exceeds
// the per-dimension limit (the element index is gid.x + gid.y · pitch), × models in z.

struct GatherParams {
  capacity: u32, width: u32, pitch: u32, slots: u32,
  state_stride: u32, src_ms: u32, out_row: u32, pad1: u32,
}

@group(0) @binding(0) var<uniform> u: GatherParams;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read> indices: array<u32>;
@group(0) @binding(3) var<storage, read> state: array<u32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(256)
fn gather_rows(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x + gid.y * u.pitch;
  let per_model = u.capacity * u.width;
  if (i >= per_model) { return; }
  let z = gid.z;
  let r = i / u.width;
  let c = i % u.width;
  let st = z * u.state_stride;
  let slot = state[st + 1u];
  let o = z * per_model + u.out_row * u.width + i;
  if (r >= state[st + 4u + slot]) {
    out[o] = 0.0;
    return;
  }
  out[o] = src[z * u.src_ms + indices[(z * u.slots + slot) * u.capacity + r] * u.width + c];
}
