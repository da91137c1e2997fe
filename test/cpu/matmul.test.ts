import { matmul, type MatView } from '../../src/reference/dense.ts';
import { Rng } from '../../src/nn/rng.ts';
import { expectClose, randomArray } from '../helpers/tolerance.ts';
import { testHeap } from './heap.ts';

/** Row-major [rows, cols], or the same values stored transposed ([cols, rows] in memory). */
function view(data: Float32Array, rows: number, cols: number, transposedInMemory: boolean): MatView & { rs: number; cs: number } {
  return transposedInMemory
    ? { data, offset: 0, rowStride: 1, colStride: rows, rs: 1, cs: rows }
    : { data, offset: 0, rowStride: cols, colStride: 1, rs: cols, cs: 1 };
}

// Awkward sizes: 1, primes, one less and one more than the 4×8 tile, past the 256-deep K block
// and the 512-wide N block, and the shapes of the benchmark's layers.
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 7, 3],
  [3, 1, 5],
  [5, 9, 13],
  [4, 8, 1],
  [7, 17, 31],
  [13, 3, 257],
  [33, 65, 64],
  [128, 256, 784],
  [31, 10, 256],
  [9, 523, 11],
  [6, 1031, 3],
  [64, 784, 256],
];

describe('CPU kernels: gemm (WebAssembly SIMD) against the float64 reference matmul', () => {
  for (const [m, n, k] of SHAPES) {
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
    ] as const) {
      it(`${m}×${k} · ${k}×${n}${ta ? ', A stored transposed' : ''}${tb ? ', B stored transposed' : ''}`, async () => {
        const heap = await testHeap();
        const rng = new Rng(m * 1000 + n * 10 + k);
        const a = view(randomArray(rng, m * k), m, k, ta);
        const b = view(randomArray(rng, k * n), k, n, tb);
        const want = matmul(a, b, m, n, k);
        // C with a row stride wider than n, to show gemm writes only its m × n block.
        const ldc = n + 3;
        const c = heap.put(new Float32Array(m * ldc).fill(7));
        const work = heap.alloc(heap.k.gemmWorkFloats(n));
        heap.k.gemm(m, n, k, heap.put(a.data as Float32Array), a.rs, a.cs, heap.put(b.data as Float32Array), b.rs, b.cs, c, ldc, 0, work);
        const got = heap.get(c, m * ldc);
        const block = Float32Array.from({ length: m * n }, (_, i) => got[Math.floor(i / n) * ldc + (i % n)]!);
        // float32 sums of k products of values in [-1, 1): |Δ| ≤ 1e-6·k + 1e-5·|want|.
        expectClose(block, want, 1e-6 * k, 1e-5, 'C');
        for (let i = 0; i < m; i++) for (let j = n; j < ldc; j++) if (got[i * ldc + j] !== 7) throw new Error(`gemm wrote past column ${n} in row ${i}`);
        // Accumulating adds the product to what C holds.
        heap.k.gemm(m, n, k, heap.put(a.data as Float32Array), a.rs, a.cs, heap.put(b.data as Float32Array), b.rs, b.cs, c, ldc, 1, work);
        const twice = heap.get(c, m * ldc);
        expectClose(
          Float32Array.from({ length: m * n }, (_, i) => twice[Math.floor(i / n) * ldc + (i % n)]!),
          want.map((v) => 2 * v),
          2e-6 * k,
          1e-5,
          'C + A·B',
        );
      });
    }
  }

  it('k = 0 writes zeros (and accumulating leaves C alone)', async () => {
    const heap = await testHeap();
    const c = heap.put([1, 2, 3, 4, 5, 6]);
    const work = heap.alloc(heap.k.gemmWorkFloats(3));
    heap.k.gemm(2, 3, 0, work, 0, 1, work, 3, 1, c, 3, 1, work);
    expectClose(heap.get(c, 6), [1, 2, 3, 4, 5, 6], 0, 0, 'accumulated');
    heap.k.gemm(2, 3, 0, work, 0, 1, work, 3, 1, c, 3, 0, work);
    expectClose(heap.get(c, 6), [0, 0, 0, 0, 0, 0], 0, 0, 'overwritten');
  });
});
