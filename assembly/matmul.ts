// matmul.ts: C = A·B in float32 with WebAssembly SIMD, the CPU twin of shaders/matmul.wgsl.
//
// Entry point:
//   gemm  C[m, n] = A[m, k] · B[k, n] (or C += A·B), any strides: A(i, p) lives at
//         a + 4·(i·ars + p·acs) and B(p, j) at b + 4·(p·brs + j·bcs), so a transpose is the same
//         memory with the strides swapped (dW = Xᵀ·dZ, dX = dZ·Wᵀ), exactly as the WGSL sees it.
//
// How: the GotoBLAS scheme. K is cut into blocks of KC and N into blocks of NC; each block of B is
// packed into panels of NR = 8 columns ([kc][8] each, zero-padded past n), each 4-row strip of A
// into [kc][4] (zero-padded past m), and a register-blocked microkernel keeps a 4×8 tile of C in
// eight f32x4 accumulators: per p, two vector loads of B, four broadcast loads of A, eight
// multiplies and eight adds. 4×8 is the largest tile whose accumulators, B vectors and broadcast
// fit the 16 SIMD registers x64 gives V8 (6×8 spilled and ran at 60% of 4×8's speed here). The
// packed panels are contiguous, so the microkernel streams them whatever the strides were.
// Edge tiles (m % 4, n % 8) run the same microkernel into a scratch tile and copy the valid part.
//
// Memory: `work` holds at least gemmWorkFloats(n) floats (packed B, packed A, the edge tile).

/** Rows of C per microkernel tile. */
const MR: i32 = 4;
/** Columns of C per microkernel tile (two f32x4). */
const NR: i32 = 8;
/** Depth of a packed block: a [KC][4] strip of A (4 KiB) stays in L1 while a [KC][8] panel of B streams. */
const KC: i32 = 256;
/** Columns per packed block of B: [KC][NC] floats (512 KiB) stay in L2. */
const NC: i32 = 512;

/** Floats of workspace gemm needs for a product n columns wide. */
export function gemmWorkFloats(n: i32): i32 {
  const nc = min(n, NC);
  return ((nc + NR - 1) / NR) * NR * KC + MR * KC + MR * NR;
}

@inline function madd(acc: v128, a: v128, b: v128): v128 {
  return f32x4.add(acc, f32x4.mul(a, b));
}

/** Stores (or adds, when `add`) one 8-float row of a tile at c. */
@inline function putRow(c: usize, lo: v128, hi: v128, add: bool): void {
  if (add) {
    lo = f32x4.add(v128.load(c), lo);
    hi = f32x4.add(v128.load(c, 16), hi);
  }
  v128.store(c, lo);
  v128.store(c, hi, 16);
}

/** The 4×8 microkernel: tile(c, row stride ldc floats) (+)= packed A strip · packed B panel over kc. */
function micro(a: usize, b: usize, kc: i32, c: usize, ldc: i32, add: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let x = v128.load32_splat(a);
    c00 = madd(c00, x, b0);
    c01 = madd(c01, x, b1);
    x = v128.load32_splat(a, 4);
    c10 = madd(c10, x, b0);
    c11 = madd(c11, x, b1);
    x = v128.load32_splat(a, 8);
    c20 = madd(c20, x, b0);
    c21 = madd(c21, x, b1);
    x = v128.load32_splat(a, 12);
    c30 = madd(c30, x, b0);
    c31 = madd(c31, x, b1);
    a += MR << 2;
    b += NR << 2;
  }
  const s = (<usize>ldc) << 2;
  putRow(c, c00, c01, add);
  putRow(c + s, c10, c11, add);
  putRow(c + 2 * s, c20, c21, add);
  putRow(c + 3 * s, c30, c31, add);
}

/** Packs B(k0 .. k0+kc, j0 .. j0+nc) into NR-column panels [kc][NR], zero past n. */
function packB(b: usize, brs: i32, bcs: i32, k0: i32, kc: i32, j0: i32, nc: i32, out: usize): void {
  for (let j = 0; j < nc; j += NR) {
    const cols = min(NR, nc - j);
    if (cols == NR && bcs == 1) {
      let src = b + ((<usize>k0 * brs + j0 + j) << 2);
      const step = (<usize>brs) << 2;
      for (let p = 0; p < kc; p++) {
        v128.store(out, v128.load(src));
        v128.store(out, v128.load(src, 16), 16);
        out += NR << 2;
        src += step;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const row = b + ((<usize>(k0 + p) * brs) << 2);
        for (let q = 0; q < NR; q++) {
          store<f32>(out + (<usize>q << 2), q < cols ? load<f32>(row + ((<usize>(j0 + j + q) * bcs) << 2)) : 0);
        }
        out += NR << 2;
      }
    }
  }
}

/** Packs A(i0 .. i0+4, k0 .. k0+kc) into [kc][MR], zero past m. */
function packA(a: usize, ars: i32, acs: i32, i0: i32, rows: i32, k0: i32, kc: i32, out: usize): void {
  if (rows == MR && ars == 1) {
    // A transposed in memory (Xᵀ of dW): the strip's four values of each p are contiguous.
    let src = a + ((<usize>i0 + <usize>k0 * acs) << 2);
    const step = (<usize>acs) << 2;
    for (let p = 0; p < kc; p++) {
      v128.store(out + (<usize>p << 4), v128.load(src));
      src += step;
    }
    return;
  }
  for (let r = 0; r < MR; r++) {
    if (r < rows) {
      let src = a + ((<usize>(i0 + r) * ars + <usize>k0 * acs) << 2);
      const step = (<usize>acs) << 2;
      for (let p = 0; p < kc; p++) {
        store<f32>(out + ((<usize>(p * MR + r)) << 2), load<f32>(src));
        src += step;
      }
    } else {
      for (let p = 0; p < kc; p++) store<f32>(out + ((<usize>(p * MR + r)) << 2), 0);
    }
  }
}

/** Copies (or adds) the valid rows × cols of the edge tile into C. */
function putEdge(tile: usize, rows: i32, cols: i32, c: usize, ldc: i32, add: bool): void {
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < cols; q++) {
      const at = c + ((<usize>(r * ldc + q)) << 2);
      const v = load<f32>(tile + ((<usize>(r * NR + q)) << 2));
      store<f32>(at, add ? load<f32>(at) + v : v);
    }
  }
}

/** C (+)= A·B; see the header for the layout. `accumulate` false overwrites C. */
export function gemm(m: i32, n: i32, k: i32, a: usize, ars: i32, acs: i32, b: usize, brs: i32, bcs: i32, c: usize, ldc: i32, accumulate: bool, work: usize): void {
  if (k == 0) {
    if (!accumulate) for (let i = 0; i < m; i++) memory.fill(c + ((<usize>i * ldc) << 2), 0, (<usize>n) << 2);
    return;
  }
  const pb = work;
  const pa = work + ((<usize>(((min(n, NC) + NR - 1) / NR) * NR * KC)) << 2);
  const tile = pa + ((<usize>(MR * KC)) << 2);
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = min(NC, n - j0);
    for (let k0 = 0; k0 < k; k0 += KC) {
      const kc = min(KC, k - k0);
      const add = accumulate || k0 > 0;
      packB(b, brs, bcs, k0, kc, j0, nc, pb);
      for (let i = 0; i < m; i += MR) {
        const rows = min(MR, m - i);
        packA(a, ars, acs, i, rows, k0, kc, pa);
        for (let j = 0; j < nc; j += NR) {
          const cols = min(NR, nc - j);
          const panel = pb + ((<usize>(j * kc)) << 2);
          const at = c + ((<usize>(i * ldc + j0 + j)) << 2);
          if (rows == MR && cols == NR) {
            micro(pa, panel, kc, at, ldc, add);
          } else {
            micro(pa, panel, kc, tile, NR, false);
            putEdge(tile, rows, cols, at, ldc, add);
          }
        }
      }
    }
  }
}
