// matmul.wgsl: strided matrix product with a fused epilogue, C = epilogue(A·B).
//
// One kernel serves every product a dense network needs, because a transpose is only a swap
// of strides: forward Y = act(X·W + b), weight gradient dW = Xᵀ·dZ (with db as an extra row,
// see `aug`), and input gradient dZprev = (dZ·Wᵀ) ⊙ act'(Xprev).
//
// Entry points:
//   matmul_blocked  keeps an 8×8 block of C in registers and reads A and B straight from
//                   storage; 4×4 invocations per workgroup (a 32×32 tile of C), their columns
//                   interleaved (see the entry). Best where workgroup barriers are emulated
//                   (SwiftShader, CPU adapters). Measured there (min of 3 bench runs): an 8×8
//                   block instead of 4×4 took matmul-512 from 1.0 to 2.2 GFLOP/s, since each
//                   load feeds 8 outputs instead of 4. Small workgroups matter because a
//                   workgroup is a unit of CPU work: 16×16 left one of two cores idle on an
//                   Iris-sized product and made an Iris step 2× slower.
//   matmul_tiled    stages 64×16 tiles of A and 16×64 tiles of B in workgroup memory; 16×16
//                   invocations per workgroup, 4×4 outputs each (a 64×64 tile of C).
//                   Best on real GPUs, where shared memory is fast and barriers are cheap.
//
// Models: in a batched run (N models of one shape, see src/gpu/gpu-backend.ts) the third
// dimension is the model: model z = wid.z · GROUP + lid.z (the tiled entry: wid.z). Every operand
// of model z starts `*_ms` floats after model 0's: a_off + z*a_ms, and so on; an operand all
// models share has a stride of 0. A GPU wants one model per workgroup; a software adapter pays a
// fixed cost per workgroup, so the blocked entry can take GROUP models' blocks in one workgroup.
//
// Bindings (group 0, the project-wide order: uniform, read-only inputs, then outputs):
//   0 uniform       u : MatmulParams
//   1 storage read  a : A(i, p) = a[a_off + z*a_ms + i*a_rs + p*a_cs]
//   2 storage read  b : B(p, j) = b[b_off + z*b_ms + p*b_rs + j*b_cs]
//   3 storage read  e : epilogue input at e_off + z*e_ms: bias e[.. + j] (epilogue 1; [.. + i]
//                       when bias_on_rows) or previous activation e[.. + i*c_rs + j*c_cs] (epilogue 2)
//   4 storage rw    c : C(i, j) = c[c_off + z*c_ms + i*c_rs + j*c_cs]
//
// Uniform struct MatmulParams (24 × u32 = 96 bytes): m, n, k, aug, a_off, a_rs, a_cs, b_off,
//   b_rs, b_cs, c_off, e_off, aug_off, c_rs, c_cs, bias_on_rows, a_ms, b_ms, c_ms, e_ms, models,
//   epilogue, act, 1 × padding.
//   epilogue: 0 none, 1 bias + activation, 2 multiply by act'(e);
//   act: 0 linear, 1 relu, 2 leaky_relu, 3 tanh, 4 sigmoid (see src/nn/activation.ts).
//   Both are uniform values, not overrides, so each entry point is one pipeline for every layer
//   of every network: an override set is a pipeline of its own, and compiling a pipeline is the
//   slow part of building a model (measured in docs/architecture.md, "Measured kernel choices").
//   The branch is uniform and runs once per output, outside the k loop.
//   aug = 1 appends a row of ones to A (so m counts it): that output row is Σ_p B(p, j), the
//   bias gradient, and is written to c[aug_off + z*c_ms + j] instead. One dispatch gives dW and db.
//   C's strides let the wrapper run a narrow product transposed, Cᵀ = Bᵀ·Aᵀ (c_rs = 1,
//   c_cs = the width of C, bias_on_rows = 1): see src/gpu/kernels/matmul.ts.
//
// Overrides: LEAKY_SLOPE, GROUP (models per blocked workgroup: its z size).
// Dispatch: (ceil(n / T), ceil(m / T), ceil(models / GROUP)) workgroups, T = 32 (blocked) or
// 64 (tiled, GROUP 1).

struct MatmulParams {
  m: u32, n: u32, k: u32, aug: u32,
  a_off: u32, a_rs: u32, a_cs: u32, b_off: u32,
  b_rs: u32, b_cs: u32, c_off: u32, e_off: u32,
  aug_off: u32, c_rs: u32, c_cs: u32, bias_on_rows: u32,
  a_ms: u32, b_ms: u32, c_ms: u32, e_ms: u32,
  models: u32, epilogue: u32, act: u32, pad0: u32,
}

override LEAKY_SLOPE: f32 = 0.2;
override GROUP: u32 = 1u;

@group(0) @binding(0) var<uniform> u: MatmulParams;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read> e: array<f32>;
@group(0) @binding(4) var<storage, read_write> c: array<f32>;

// Where this invocation's model starts in each operand; set once by use_model at entry.
var<private> a_base: u32;
var<private> b_base: u32;
var<private> c_base: u32;
var<private> e_base: u32;
var<private> aug_base: u32;

fn use_model(z: u32) {
  a_base = u.a_off + z * u.a_ms;
  b_base = u.b_off + z * u.b_ms;
  c_base = u.c_off + z * u.c_ms;
  e_base = u.e_off + z * u.e_ms;
  aug_base = u.aug_off + z * u.c_ms;
}

const TILE: u32 = 64u;
const KT: u32 = 16u;

fn activate(z: f32) -> f32 {
  switch u.act {
    case 1u: { return max(z, 0.0); }
    case 2u: { return select(LEAKY_SLOPE * z, z, z > 0.0); }
    case 3u: { return tanh(z); }
    case 4u: { return 1.0 / (1.0 + exp(-z)); }
    default: { return z; }
  }
}

// The derivative in terms of the activation's output y, so no pre-activations are stored.
fn act_grad(y: f32) -> f32 {
  switch u.act {
    case 1u: { return select(0.0, 1.0, y > 0.0); }
    case 2u: { return select(LEAKY_SLOPE, 1.0, y > 0.0); }
    case 3u: { return 1.0 - y * y; }
    case 4u: { return y * (1.0 - y); }
    default: { return 1.0; }
  }
}

// Rows of A beyond the data are either the `aug` row of ones or padding; this gives each row a
// scale and an offset so the inner loop stays branch-free: value = a * scale + shift.
fn row_kind(i: u32) -> vec2f {
  let real_rows = u.m - u.aug;
  if (i < real_rows) { return vec2f(1.0, 0.0); }
  if (u.aug == 1u && i == real_rows) { return vec2f(0.0, 1.0); }
  return vec2f(0.0, 0.0);
}

fn a_index(i: u32, p: u32) -> u32 {
  let real_rows = max(u.m - u.aug, 1u);
  return a_base + min(i, real_rows - 1u) * u.a_rs + p * u.a_cs;
}

// A's value at a row whose kind is `kind` (see row_kind).
fn a_value(kind: vec2f, x: f32) -> f32 {
  return x * kind.x + kind.y;
}

fn b_index(p: u32, j: u32) -> u32 {
  return b_base + p * u.b_rs + min(j, u.n - 1u) * u.b_cs;
}

fn store(i: u32, j: u32, acc: f32) {
  if (i >= u.m || j >= u.n) { return; }
  if (u.aug == 1u && i == u.m - 1u) {
    c[aug_base + j] = acc;
    return;
  }
  let at = i * u.c_rs + j * u.c_cs;
  var v = acc;
  if (u.epilogue == 1u) {
    v = activate(acc + e[e_base + select(j, i, u.bias_on_rows == 1u)]);
  } else if (u.epilogue == 2u) {
    v = acc * act_grad(e[e_base + at]);
  }
  c[c_base + at] = v;
}

// The block's outputs are stored in a loop, not unrolled: store() with its epilogue is then
// compiled once or twice instead of 64 times, which is most of a pipeline's compile time on a
// software adapter (docs/architecture.md). Dynamic indexing of `rows` costs 64 scalar loads once
// per invocation, after a k loop of thousands of multiply-adds.
fn store_block(row0: u32, col0: u32, rows: array<vec4f, 4>) {
  var block = rows;
  for (var r = 0u; r < 4u; r++) {
    for (var j = 0u; j < 4u; j++) { store(row0 + r, col0 + j, block[r][j]); }
  }
}

// The blocked entry. Each invocation owns an 8×8 block of C: rows row0 .. row0 + 7 and columns
// col0 + 4j (j = 0 .. 7), so the columns of a workgroup's four lid.x interleave. A software
// adapter runs neighbouring invocations as the lanes of one SIMD group: interleaved, they read
// neighbouring elements of B (one vector load instead of four scalar ones) and the same element
// of A (one broadcast). acc_r holds columns 0, 4, 8, 12 of row r and acd_r columns 16 .. 28.
//
// The loop takes two steps of k per trip with the partial sums as `let` values, and writes the
// accumulators once per trip: a software adapter pays a masked store for every write of a `var`
// inside a loop (measured in docs/architecture.md). The order of the sum over k is unchanged, so
// results are bit-identical to one step per trip.
//
// Per-row and per-column quantities are named scalars, not arrays indexed in a loop: software
// adapters keep named values in registers but spill dynamically indexed arrays.
@compute @workgroup_size(4, 4, GROUP)
fn matmul_blocked(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let row0 = wid.y * 32u + lid.y * 8u;
  let col0 = wid.x * 32u + lid.x;
  let z = wid.z * GROUP + lid.z;
  if (row0 >= u.m || col0 >= u.n || z >= u.models) { return; }
  use_model(z);
  let k0 = row_kind(row0 + 0u); let k1 = row_kind(row0 + 1u); let k2 = row_kind(row0 + 2u); let k3 = row_kind(row0 + 3u);
  let k4 = row_kind(row0 + 4u); let k5 = row_kind(row0 + 5u); let k6 = row_kind(row0 + 6u); let k7 = row_kind(row0 + 7u);
  let ab0 = a_index(row0 + 0u, 0u); let ab1 = a_index(row0 + 1u, 0u); let ab2 = a_index(row0 + 2u, 0u); let ab3 = a_index(row0 + 3u, 0u);
  let ab4 = a_index(row0 + 4u, 0u); let ab5 = a_index(row0 + 5u, 0u); let ab6 = a_index(row0 + 6u, 0u); let ab7 = a_index(row0 + 7u, 0u);
  let bc0 = b_index(0u, col0 + 0u); let bc1 = b_index(0u, col0 + 4u); let bc2 = b_index(0u, col0 + 8u); let bc3 = b_index(0u, col0 + 12u);
  let bc4 = b_index(0u, col0 + 16u); let bc5 = b_index(0u, col0 + 20u); let bc6 = b_index(0u, col0 + 24u); let bc7 = b_index(0u, col0 + 28u);
  var acc0 = vec4f(0.0); var acc1 = vec4f(0.0); var acc2 = vec4f(0.0); var acc3 = vec4f(0.0);
  var acc4 = vec4f(0.0); var acc5 = vec4f(0.0); var acc6 = vec4f(0.0); var acc7 = vec4f(0.0);
  var acd0 = vec4f(0.0); var acd1 = vec4f(0.0); var acd2 = vec4f(0.0); var acd3 = vec4f(0.0);
  var acd4 = vec4f(0.0); var acd5 = vec4f(0.0); var acd6 = vec4f(0.0); var acd7 = vec4f(0.0);
  // Offsets of the current k in A and B, and their steps per k.
  var ap = 0u;
  var bp = 0u;
  let da = u.a_cs;
  let db = u.b_rs;
  let steps = u.k;
  // An odd k takes its first step alone, so the loop below always takes two.
  if (steps % 2u == 1u) {
    let bv = vec4f(b[bc0 + bp], b[bc1 + bp], b[bc2 + bp], b[bc3 + bp]);
    let bw = vec4f(b[bc4 + bp], b[bc5 + bp], b[bc6 + bp], b[bc7 + bp]);
    let a0 = a_value(k0, a[ab0 + ap]); let a1 = a_value(k1, a[ab1 + ap]); let a2 = a_value(k2, a[ab2 + ap]); let a3 = a_value(k3, a[ab3 + ap]);
    let a4 = a_value(k4, a[ab4 + ap]); let a5 = a_value(k5, a[ab5 + ap]); let a6 = a_value(k6, a[ab6 + ap]); let a7 = a_value(k7, a[ab7 + ap]);
    acc0 = acc0 + a0 * bv; acd0 = acd0 + a0 * bw; acc1 = acc1 + a1 * bv; acd1 = acd1 + a1 * bw;
    acc2 = acc2 + a2 * bv; acd2 = acd2 + a2 * bw; acc3 = acc3 + a3 * bv; acd3 = acd3 + a3 * bw;
    acc4 = acc4 + a4 * bv; acd4 = acd4 + a4 * bw; acc5 = acc5 + a5 * bv; acd5 = acd5 + a5 * bw;
    acc6 = acc6 + a6 * bv; acd6 = acd6 + a6 * bw; acc7 = acc7 + a7 * bv; acd7 = acd7 + a7 * bw;
    ap += da;
    bp += db;
  }
  for (var q = 0u; q < steps / 2u; q++) {
    let ap2 = ap + da;
    let bp2 = bp + db;
    {
      let bv = vec4f(b[bc0 + bp], b[bc1 + bp], b[bc2 + bp], b[bc3 + bp]);
      let bw = vec4f(b[bc4 + bp], b[bc5 + bp], b[bc6 + bp], b[bc7 + bp]);
      let a0 = a_value(k0, a[ab0 + ap]); let a1 = a_value(k1, a[ab1 + ap]); let a2 = a_value(k2, a[ab2 + ap]); let a3 = a_value(k3, a[ab3 + ap]);
      let a4 = a_value(k4, a[ab4 + ap]); let a5 = a_value(k5, a[ab5 + ap]); let a6 = a_value(k6, a[ab6 + ap]); let a7 = a_value(k7, a[ab7 + ap]);
      let c0 = acc0 + a0 * bv; let d0 = acd0 + a0 * bw; let c1 = acc1 + a1 * bv; let d1 = acd1 + a1 * bw;
      let c2 = acc2 + a2 * bv; let d2 = acd2 + a2 * bw; let c3 = acc3 + a3 * bv; let d3 = acd3 + a3 * bw;
      let c4 = acc4 + a4 * bv; let d4 = acd4 + a4 * bw; let c5 = acc5 + a5 * bv; let d5 = acd5 + a5 * bw;
      let c6 = acc6 + a6 * bv; let d6 = acd6 + a6 * bw; let c7 = acc7 + a7 * bv; let d7 = acd7 + a7 * bw;
      {
        let bv = vec4f(b[bc0 + bp2], b[bc1 + bp2], b[bc2 + bp2], b[bc3 + bp2]);
        let bw = vec4f(b[bc4 + bp2], b[bc5 + bp2], b[bc6 + bp2], b[bc7 + bp2]);
        let a0 = a_value(k0, a[ab0 + ap2]); let a1 = a_value(k1, a[ab1 + ap2]); let a2 = a_value(k2, a[ab2 + ap2]); let a3 = a_value(k3, a[ab3 + ap2]);
        let a4 = a_value(k4, a[ab4 + ap2]); let a5 = a_value(k5, a[ab5 + ap2]); let a6 = a_value(k6, a[ab6 + ap2]); let a7 = a_value(k7, a[ab7 + ap2]);
        acc0 = c0 + a0 * bv; acd0 = d0 + a0 * bw; acc1 = c1 + a1 * bv; acd1 = d1 + a1 * bw;
        acc2 = c2 + a2 * bv; acd2 = d2 + a2 * bw; acc3 = c3 + a3 * bv; acd3 = d3 + a3 * bw;
        acc4 = c4 + a4 * bv; acd4 = d4 + a4 * bw; acc5 = c5 + a5 * bv; acd5 = d5 + a5 * bw;
        acc6 = c6 + a6 * bv; acd6 = d6 + a6 * bw; acc7 = c7 + a7 * bv; acd7 = d7 + a7 * bw;
      }
    }
    ap = ap2 + da;
    bp = bp2 + db;
  }
  // Row r's columns col0 + 4j: j = 0 .. 3 from acc_r, 4 .. 7 from acd_r.
  var block = array<vec4f, 16>(acc0, acd0, acc1, acd1, acc2, acd2, acc3, acd3, acc4, acd4, acc5, acd5, acc6, acd6, acc7, acd7);
  for (var r = 0u; r < 8u; r++) {
    for (var j = 0u; j < 8u; j++) { store(row0 + r, col0 + 4u * j, block[2u * r + j / 4u][j % 4u]); }
  }
}

var<workgroup> tile_a: array<f32, 1024>; // [TILE rows][KT], row-major
var<workgroup> tile_b: array<f32, 1024>; // [KT][TILE], row-major

@compute @workgroup_size(16, 16)
fn matmul_tiled(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  use_model(wid.z);
  let tile_row = wid.y * TILE;
  let tile_col = wid.x * TILE;
  let flat = lid.y * 16u + lid.x;
  var acc: array<vec4f, 4>;
  let steps = (u.k + KT - 1u) / KT;
  for (var s = 0u; s < steps; s++) {
    let p0 = s * KT;
    for (var l = 0u; l < 4u; l++) {
      let idx = flat + l * 256u;
      // A tile: 64 rows × 16 columns of k.
      let ar = idx / KT;
      let ap = p0 + idx % KT;
      let kind = row_kind(tile_row + ar);
      var av = 0.0;
      if (ap < u.k) { av = a[a_index(tile_row + ar, ap)] * kind.x + kind.y; }
      tile_a[idx] = av;
      // B tile: 16 rows of k × 64 columns.
      let bp = p0 + idx / TILE;
      let bj = tile_col + idx % TILE;
      var bv = 0.0;
      if (bp < u.k && bj < u.n) { bv = b[b_index(bp, bj)]; }
      tile_b[idx] = bv;
    }
    workgroupBarrier();
    for (var p = 0u; p < KT; p++) {
      let bv = vec4f(tile_b[p * TILE + lid.x * 4u], tile_b[p * TILE + lid.x * 4u + 1u],
                     tile_b[p * TILE + lid.x * 4u + 2u], tile_b[p * TILE + lid.x * 4u + 3u]);
      for (var r = 0u; r < 4u; r++) {
        acc[r] += tile_a[(lid.y * 4u + r) * KT + p] * bv;
      }
    }
    workgroupBarrier();
  }
  store_block(tile_row + lid.y * 4u, tile_col + lid.x * 4u, acc);
}
