// gather.wgsl: builds the current step's input batch from the dataset resident on the GPU.
//
// Entry point:
//   gather_rows  out[r, c] = src[indices[slot * capacity + r] * width + c] for r < rows of the
//                slot, 0 for padding rows. `slot` comes from the state buffer, which the loss
//                kernel advances, so K steps encoded in one command buffer each read their own
//                batch without any CPU work between them.
//
// Bindings (group 0):
//   0 uniform       u       : GatherParams
//   1 storage read  src     : [dataset rows, width]
//   2 storage read  indices : [slots, capacity]
//   3 storage read  state   : u32 [t, slot, rows of slot 0, rows of slot 1, ...]
//   4 storage rw    out     : [capacity, width]
//
// Uniform struct GatherParams (4 × u32 = 16 bytes): capacity, width, pitch, pad.
// Dispatch: capacity·width invocations of 256, folded into 2-D when the count exceeds the
// per-dimension limit; the element index is gid.x + gid.y · pitch.

struct GatherParams { capacity: u32, width: u32, pitch: u32, pad: u32 }

@group(0) @binding(0) var<uniform> u: GatherParams;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read> indices: array<u32>;
@group(0) @binding(3) var<storage, read> state: array<u32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(256)
fn gather_rows(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x + gid.y * u.pitch;
  if (i >= u.capacity * u.width) { return; }
  let r = i / u.width;
  let c = i % u.width;
  let slot = state[1];
  if (r >= state[2u + slot]) {
    out[i] = 0.0;
    return;
  }
  out[i] = src[indices[slot * u.capacity + r] * u.width + c];
}
