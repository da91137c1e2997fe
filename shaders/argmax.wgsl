// argmax.wgsl: predicted class per row, so a decision-boundary grid reads back one u32 per point
// instead of every probability.
//
// Entry point:
//   argmax_rows  out[r] = index of the largest value of values[r, 0..width) (first on ties);
//                with width 1 (a sigmoid head) it is 1 when the value exceeds 0.5.
//
// Bindings (group 0):
//   0 uniform       u      : ArgmaxParams
//   1 storage read  values : [rows, width]
//   2 storage rw    out    : u32 [rows]
//
// Uniform struct ArgmaxParams (4 × u32 = 16 bytes): rows, width, pitch, pad.
// Dispatch: rows invocations of 256, folded into 2-D; the row is gid.x + gid.y · pitch.

struct ArgmaxParams { rows: u32, width: u32, pitch: u32, pad: u32 }

@group(0) @binding(0) var<uniform> u: ArgmaxParams;
@group(0) @binding(1) var<storage, read> values: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<u32>;

@compute @workgroup_size(256)
fn argmax_rows(@builtin(global_invocation_id) gid: vec3u) {
  let r = gid.x + gid.y * u.pitch;
  if (r >= u.rows) { return; }
  let base = r * u.width;
  if (u.width == 1u) {
    out[r] = select(0u, 1u, values[base] > 0.5);
    return;
  }
  var best = 0u;
  for (var c = 1u; c < u.width; c++) {
    if (values[base + c] > values[base + best]) { best = c; }
  }
  out[r] = best;
}
