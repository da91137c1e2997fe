// augment.wgsl: augments the gathered training batch on the GPU with fresh draws every step,
// from a counter-based hash of (seed, stream, step, index), so no random state is stored and
// the float64 reference (augmentBatch in src/data/augment.ts) computes the same draws.
//
// Entry points:
//   jitter_rows     out[i] = src[i] + sigma · N(0, 1), the normal from Box–Muller on the
//                   radius and phase streams of element i: sqrt(−2 ln(1 − u₁)) cos(2π u₂).
//   augment_images  each row is a side × side image; row r is shifted by (dx, dy), rotated by
//                   angle degrees and zoomed by scale about the centre c = (side − 1) / 2, with
//                   dx, dy, angle, scale drawn uniformly in ±max_shift, ±max_angle and
//                   1 ± max_zoom from the streams of row r. Output pixel q is pulled back through
//                   p = c + R(−θ)(q − (dx, dy) − c) / scale and sampled bilinearly, 0 outside.
// Rows at or beyond the slot's row count are padding and are copied through unchanged.
// The step is the model's t, which only the loss kernel advances, so K steps in one command
// buffer each draw their own.
//
// Models: gid.z is the model; its batch starts at z·count in src and out, and its seed and t
// come from its state words (each model draws its own).
//
// Bindings (group 0):
//   0 uniform       u     : AugmentParams
//   1 storage read  state : per model [t, slot, dropout seed, augment seed, rows of each slot]
//   2 storage read  src   : [models, capacity, width], the gathered batch
//   3 storage rw    out   : [models, capacity, width], the layer-0 input
//
// Uniform struct AugmentParams (12 × 4 = 48 bytes): count, width, state_stride, pitch, sigma,
//   max_shift, max_angle (degrees), max_zoom, side, 3 × padding.
// Dispatch: count invocations of 256 per model, folded into 2-D (the index is gid.x + gid.y ·
// pitch), × models in z.

struct AugmentParams {
  count: u32, width: u32, state_stride: u32, pitch: u32,
  sigma: f32, max_shift: f32, max_angle: f32, max_zoom: f32,
  side: u32, pad0: u32, pad1: u32, pad2: u32,
}

@group(0) @binding(0) var<uniform> u: AugmentParams;
@group(0) @binding(1) var<storage, read> state: array<u32>;
@group(0) @binding(2) var<storage, read> src: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

// AUGMENT_STREAMS in src/data/augment.ts.
const STREAM_DX = 0xa0000001u;
const STREAM_DY = 0xa0000002u;
const STREAM_ANGLE = 0xa0000003u;
const STREAM_ZOOM = 0xa0000004u;
const STREAM_RADIUS = 0xa0000005u;
const STREAM_PHASE = 0xa0000006u;

// PCG-style integer hash (Jarzynski and Olano, "Hash Functions for GPU Rendering", 2020); the
// same function as dropout.wgsl's and src/nn/hash.ts's (WGSL modules cannot import each other).
fn pcg(x: u32) -> u32 {
  let s = x * 747796405u + 2891336453u;
  let word = ((s >> ((s >> 28u) + 4u)) ^ s) * 277803737u;
  return (word >> 22u) ^ word;
}

// This invocation's model: where its state words and its batch start; set at entry by use_model.
var<private> st: u32;
var<private> at: u32;

fn use_model(z: u32) {
  st = z * u.state_stride;
  at = z * u.count;
}

fn hash_uniform(stream: u32, i: u32) -> f32 {
  let h = pcg(state[st + 3u] ^ pcg(stream ^ pcg(state[st] ^ pcg(i))));
  return f32(h >> 8u) / 16777216.0;
}

fn symmetric(stream: u32, row: u32, max_value: f32) -> f32 {
  return (2.0 * hash_uniform(stream, row) - 1.0) * max_value;
}

// sin and cos of |x| ≤ π from Taylor series of the half angle (|x/2| ≤ π/2, truncation below
// 1e-7) and the double-angle formulas. WGSL's built-in sin and cos are only specified to 2^-11
// absolute, which would move a sample point at the image's edge by up to 0.007 px and make the
// kernel disagree with its reference by more than f32 rounding.
fn sin_cos(x: f32) -> vec2f {
  let h = 0.5 * x;
  let h2 = h * h;
  let s = h * (1.0 + h2 * (-1.0 / 6.0 + h2 * (1.0 / 120.0 + h2 * (-1.0 / 5040.0 + h2 * (1.0 / 362880.0 + h2 * (-1.0 / 39916800.0))))));
  let c = 1.0 + h2 * (-0.5 + h2 * (1.0 / 24.0 + h2 * (-1.0 / 720.0 + h2 * (1.0 / 40320.0 + h2 * (-1.0 / 3628800.0 + h2 * (1.0 / 479001600.0))))));
  return vec2f(2.0 * s * c, c * c - s * s);
}

// −ln(1 − u) for u in [0, 1): a series where 1 − u is near 1, since WGSL's log is only
// specified to 2^-21 absolute there, which Box–Muller's square root would amplify.
fn neg_log_one_minus(u: f32) -> f32 {
  if (u < 0.0625) {
    return u * (1.0 + u * (0.5 + u * (1.0 / 3.0 + u * (0.25 + u * (0.2 + u / 6.0)))));
  }
  return -log(1.0 - u);
}

fn is_padding(row: u32) -> bool {
  return row >= state[st + 4u + state[st + 1u]];
}

@compute @workgroup_size(256)
fn jitter_rows(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x + gid.y * u.pitch;
  if (i >= u.count) { return; }
  use_model(gid.z);
  if (is_padding(i / u.width)) {
    out[at + i] = src[at + i];
    return;
  }
  let radius = sqrt(2.0 * neg_log_one_minus(hash_uniform(STREAM_RADIUS, i)));
  // cos(2π·phase) = −cos(2π·(phase − ½)), whose argument lies in [−π, π).
  let phase = hash_uniform(STREAM_PHASE, i);
  out[at + i] = src[at + i] - u.sigma * radius * sin_cos(6.283185307179586 * (phase - 0.5)).y;
}

fn pixel(base: u32, x: i32, y: i32) -> f32 {
  let side = i32(u.side);
  if (x < 0 || y < 0 || x >= side || y >= side) { return 0.0; }
  return src[at + base + u32(y * side + x)];
}

@compute @workgroup_size(256)
fn augment_images(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x + gid.y * u.pitch;
  if (i >= u.count) { return; }
  use_model(gid.z);
  let pixels = u.side * u.side;
  let row = i / pixels;
  if (is_padding(row)) {
    out[at + i] = src[at + i];
    return;
  }
  let dx = symmetric(STREAM_DX, row, u.max_shift);
  let dy = symmetric(STREAM_DY, row, u.max_shift);
  let theta = symmetric(STREAM_ANGLE, row, u.max_angle) * 0.017453292519943295;
  let scale = 1.0 + symmetric(STREAM_ZOOM, row, u.max_zoom);
  let q = i % pixels;
  let c = f32(u.side - 1u) * 0.5;
  let a = f32(q % u.side) - dx - c;
  let b = f32(q / u.side) - dy - c;
  let sc = sin_cos(theta);
  let sn = sc.x;
  let cs = sc.y;
  let px = c + (cs * a + sn * b) / scale;
  let py = c + (-sn * a + cs * b) / scale;
  let x0 = floor(px);
  let y0 = floor(py);
  let fx = px - x0;
  let fy = py - y0;
  let xi = i32(x0);
  let yi = i32(y0);
  let base = row * pixels;
  out[at + i] = (1.0 - fy) * ((1.0 - fx) * pixel(base, xi, yi) + fx * pixel(base, xi + 1, yi)) +
    fy * ((1.0 - fx) * pixel(base, xi, yi + 1) + fx * pixel(base, xi + 1, yi + 1));
}
