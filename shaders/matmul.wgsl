// matmul.wgsl: strided matrix product with a fused epilogue, C = epilogue(A·B).
//
// One kernel serves every product a dense network needs, because a transpose is only a swap
// of strides: forward Y = act(X·W + b), weight gradient dW = Xᵀ·dZ (with db as an extra row,
// see `aug`), and input gradient dZprev = (dZ·Wᵀ) ⊙ act'(Xprev).
//
// Entry points:
//   matmul_blocked  keeps an 8×8 block of C in registers and reads A and B straight from
//                   storage; 4×4 invocations per workgroup (a 32×32 tile of C).
//                   Best where workgroup barriers are emulated (SwiftShader, CPU adapters).
//                   Measured there (min of 3 bench runs): an 8×8 block instead of 4×4 took
//                   matmul-512 from 1.0 to 2.2 GFLOP/s and MNIST-MLP steps from 123 to 71 ms,
//                   since each load now feeds 8 outputs instead of 4. Small workgroups matter
//                   because a workgroup is a unit of CPU work: 16×16 left one of two cores idle
//                   on an Iris-sized product and made an Iris step 2× slower.
//   matmul_tiled    stages 64×16 tiles of A and 16×64 tiles of B in workgroup memory; 16×16
//                   invocations per workgroup, 4×4 outputs each (a 64×64 tile of C).
//                   Best on real GPUs, where shared memory is fast and barriers are cheap.
//
// Bindings (group 0, the project-wide order: uniform, read-only inputs, then outputs):
//   0 uniform       u : MatmulParams
//   1 storage read  a : A(i, p) = a[a_off + i*a_rs + p*a_cs]
//   2 storage read  b : B(p, j) = b[b_off + p*b_rs + j*b_cs]
//   3 storage read  e : epilogue input; bias e[e_off + j] (EPILOGUE 1) or
//                       previous activation e[e_off + i*n + j] (EPILOGUE 2)
//   4 storage rw    c : C(i, j) = c[c_off + i*n + j]
//
// Uniform struct MatmulParams (16 × u32 = 64 bytes): m, n, k, aug, a_off, a_rs, a_cs, b_off,
//   b_rs, b_cs, c_off, e_off, aug_off, 3 × padding.
//   aug = 1 appends a row of ones to A (so m counts it): that output row is Σ_p B(p, j), the
//   bias gradient, and is written to c[aug_off + j] instead. One dispatch gives dW and db.
//
// Overrides: EPILOGUE (0 none, 1 bias + activation, 2 multiply by act'(e)),
//            ACT (0 linear, 1 relu, 2 leaky_relu, 3 tanh, 4 sigmoid; see src/nn/activation.ts),
//            LEAKY_SLOPE.
// Dispatch: (ceil(n / T), ceil(m / T), 1) workgroups, T = 32 (blocked) or 64 (tiled).

struct MatmulParams {
  m: u32, n: u32, k: u32, aug: u32,
  a_off: u32, a_rs: u32, a_cs: u32, b_off: u32,
  b_rs: u32, b_cs: u32, c_off: u32, e_off: u32,
  aug_off: u32, pad0: u32, pad1: u32, pad2: u32,
}

override EPILOGUE: u32 = 0u;
override ACT: u32 = 0u;
override LEAKY_SLOPE: f32 = 0.2;

@group(0) @binding(0) var<uniform> u: MatmulParams;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read> e: array<f32>;
@group(0) @binding(4) var<storage, read_write> c: array<f32>;

const TILE: u32 = 64u;
const KT: u32 = 16u;

fn activate(z: f32) -> f32 {
  switch ACT {
    case 1u: { return max(z, 0.0); }
    case 2u: { return select(LEAKY_SLOPE * z, z, z > 0.0); }
    case 3u: { return tanh(z); }
    case 4u: { return 1.0 / (1.0 + exp(-z)); }
    default: { return z; }
  }
}

// The derivative in terms of the activation's output y, so no pre-activations are stored.
fn act_grad(y: f32) -> f32 {
  switch ACT {
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
  return u.a_off + min(i, real_rows - 1u) * u.a_rs + p * u.a_cs;
}

fn b_index(p: u32, j: u32) -> u32 {
  return u.b_off + p * u.b_rs + min(j, u.n - 1u) * u.b_cs;
}

fn store(i: u32, j: u32, acc: f32) {
  if (i >= u.m || j >= u.n) { return; }
  if (u.aug == 1u && i == u.m - 1u) {
    c[u.aug_off + j] = acc;
    return;
  }
  var v = acc;
  if (EPILOGUE == 1u) {
    v = activate(acc + e[u.e_off + j]);
  } else if (EPILOGUE == 2u) {
    v = acc * act_grad(e[u.e_off + i * u.n + j]);
  }
  c[u.c_off + i * u.n + j] = v;
}

fn store_row(i: u32, col0: u32, v: vec4f) {
  store(i, col0, v.x);
  store(i, col0 + 1u, v.y);
  store(i, col0 + 2u, v.z);
  store(i, col0 + 3u, v.w);
}

fn store_block(row0: u32, col0: u32, acc: array<vec4f, 4>) {
  store_row(row0, col0, acc[0]);
  store_row(row0 + 1u, col0, acc[1]);
  store_row(row0 + 2u, col0, acc[2]);
  store_row(row0 + 3u, col0, acc[3]);
}

// Every per-row and per-column quantity is a named scalar, not an array indexed in a loop:
// software adapters keep named values in registers but spill dynamically indexed arrays.
// Per k step: 8 loads of A and 8 of B feed 64 multiply-adds (acc* holds columns 0-3 of each
// row, acd* columns 4-7).
@compute @workgroup_size(4, 4)
fn matmul_blocked(@builtin(global_invocation_id) gid: vec3u) {
  let row0 = gid.y * 8u;
  let col0 = gid.x * 8u;
  if (row0 >= u.m || col0 >= u.n) { return; }
  let k0 = row_kind(row0 + 0u);
  let k1 = row_kind(row0 + 1u);
  let k2 = row_kind(row0 + 2u);
  let k3 = row_kind(row0 + 3u);
  let k4 = row_kind(row0 + 4u);
  let k5 = row_kind(row0 + 5u);
  let k6 = row_kind(row0 + 6u);
  let k7 = row_kind(row0 + 7u);
  let ab0 = a_index(row0 + 0u, 0u);
  let ab1 = a_index(row0 + 1u, 0u);
  let ab2 = a_index(row0 + 2u, 0u);
  let ab3 = a_index(row0 + 3u, 0u);
  let ab4 = a_index(row0 + 4u, 0u);
  let ab5 = a_index(row0 + 5u, 0u);
  let ab6 = a_index(row0 + 6u, 0u);
  let ab7 = a_index(row0 + 7u, 0u);
  let last = u.n - 1u;
  let bc0 = u.b_off + min(col0 + 0u, last) * u.b_cs;
  let bc1 = u.b_off + min(col0 + 1u, last) * u.b_cs;
  let bc2 = u.b_off + min(col0 + 2u, last) * u.b_cs;
  let bc3 = u.b_off + min(col0 + 3u, last) * u.b_cs;
  let bc4 = u.b_off + min(col0 + 4u, last) * u.b_cs;
  let bc5 = u.b_off + min(col0 + 5u, last) * u.b_cs;
  let bc6 = u.b_off + min(col0 + 6u, last) * u.b_cs;
  let bc7 = u.b_off + min(col0 + 7u, last) * u.b_cs;
  var acc0 = vec4f(0.0); var acc1 = vec4f(0.0); var acc2 = vec4f(0.0); var acc3 = vec4f(0.0);
  var acc4 = vec4f(0.0); var acc5 = vec4f(0.0); var acc6 = vec4f(0.0); var acc7 = vec4f(0.0);
  var acd0 = vec4f(0.0); var acd1 = vec4f(0.0); var acd2 = vec4f(0.0); var acd3 = vec4f(0.0);
  var acd4 = vec4f(0.0); var acd5 = vec4f(0.0); var acd6 = vec4f(0.0); var acd7 = vec4f(0.0);
  var ap = 0u;
  var bp = 0u;
  for (var p = 0u; p < u.k; p++) {
    let bv = vec4f(b[bc0 + bp], b[bc1 + bp], b[bc2 + bp], b[bc3 + bp]);
    let bw = vec4f(b[bc4 + bp], b[bc5 + bp], b[bc6 + bp], b[bc7 + bp]);
    let a0 = a[ab0 + ap] * k0.x + k0.y;
    let a1 = a[ab1 + ap] * k1.x + k1.y;
    let a2 = a[ab2 + ap] * k2.x + k2.y;
    let a3 = a[ab3 + ap] * k3.x + k3.y;
    let a4 = a[ab4 + ap] * k4.x + k4.y;
    let a5 = a[ab5 + ap] * k5.x + k5.y;
    let a6 = a[ab6 + ap] * k6.x + k6.y;
    let a7 = a[ab7 + ap] * k7.x + k7.y;
    acc0 += a0 * bv; acd0 += a0 * bw;
    acc1 += a1 * bv; acd1 += a1 * bw;
    acc2 += a2 * bv; acd2 += a2 * bw;
    acc3 += a3 * bv; acd3 += a3 * bw;
    acc4 += a4 * bv; acd4 += a4 * bw;
    acc5 += a5 * bv; acd5 += a5 * bw;
    acc6 += a6 * bv; acd6 += a6 * bw;
    acc7 += a7 * bv; acd7 += a7 * bw;
    ap += u.a_cs;
    bp += u.b_rs;
  }
  store_row(row0 + 0u, col0, acc0); store_row(row0 + 0u, col0 + 4u, acd0);
  store_row(row0 + 1u, col0, acc1); store_row(row0 + 1u, col0 + 4u, acd1);
  store_row(row0 + 2u, col0, acc2); store_row(row0 + 2u, col0 + 4u, acd2);
  store_row(row0 + 3u, col0, acc3); store_row(row0 + 3u, col0 + 4u, acd3);
  store_row(row0 + 4u, col0, acc4); store_row(row0 + 4u, col0 + 4u, acd4);
  store_row(row0 + 5u, col0, acc5); store_row(row0 + 5u, col0 + 4u, acd5);
  store_row(row0 + 6u, col0, acc6); store_row(row0 + 6u, col0 + 4u, acd6);
  store_row(row0 + 7u, col0, acc7); store_row(row0 + 7u, col0 + 4u, acd7);
}

var<workgroup> tile_a: array<f32, 1024>; // [TILE rows][KT], row-major
var<workgroup> tile_b: array<f32, 1024>; // [KT][TILE], row-major

@compute @workgroup_size(16, 16)
fn matmul_tiled(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
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
