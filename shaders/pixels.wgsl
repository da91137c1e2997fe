// pixels.wgsl: gathers 8-bit images (four pixels packed per u32, as MNIST ships them) into a
// float batch scaled to [-1, 1], the range of a tanh generator. Keeping the dataset packed costs
// 47 MB for MNIST's 60,000 training images instead of 188 MB as floats.
//
// Entry point:
//   gather_pixels  out[out_row + r, c] = src_byte(indices[slot·capacity + r], c) / 127.5 − 1
//                  for r < capacity, c < width. `slot` comes from the state buffer (see loss.wgsl).
//
// Bindings (group 0):
//   0 uniform       u       : PixelParams
//   1 storage read  src     : u32 [images, width / 4], little-endian bytes
//   2 storage read  indices : u32 [slots, capacity] image of each batch row
//   3 storage read  state   : u32 [t, slot, ...]
//   4 storage rw    out     : f32 [rows, width]; this pass writes rows out_row .. out_row + capacity
//
// Uniform struct PixelParams (4 × u32 = 16 bytes): capacity, width (a multiple of 4), out_row, pitch.
// Dispatch: capacity · width / 4 invocations of 256 (one per packed word), folded into 2-D when
// large; the word index is gid.x + gid.y · pitch.

struct PixelParams { capacity: u32, width: u32, out_row: u32, pitch: u32 }

@group(0) @binding(0) var<uniform> u: PixelParams;
@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read> indices: array<u32>;
@group(0) @binding(3) var<storage, read> state: array<u32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(256)
fn gather_pixels(@builtin(global_invocation_id) gid: vec3u) {
  let word = gid.x + gid.y * u.pitch;
  let words_per_row = u.width / 4u;
  if (word >= u.capacity * words_per_row) { return; }
  let r = word / words_per_row;
  let w = word % words_per_row;
  let image = indices[state[1] * u.capacity + r];
  let packed = unpack4x8unorm(src[image * words_per_row + w]);
  let base = (u.out_row + r) * u.width + w * 4u;
  // unorm gives byte / 255; the generator's range is byte / 127.5 − 1 = 2·unorm − 1.
  out[base] = packed.x * 2.0 - 1.0;
  out[base + 1u] = packed.y * 2.0 - 1.0;
  out[base + 2u] = packed.z * 2.0 - 1.0;
  out[base + 3u] = packed.w * 2.0 - 1.0;
}
