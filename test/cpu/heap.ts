import { instantiateKernels, WasmHeap } from '../../src/cpu/kernels.ts';

/** A fresh kernels instance and heap for a test, with helpers to place arrays and read them back. */
export async function testHeap(): Promise<WasmHeap & { put(values: ArrayLike<number>): number; get(ptr: number, n: number): Float32Array }> {
  const heap = new WasmHeap(await instantiateKernels());
  return Object.assign(heap, {
    put(values: ArrayLike<number>): number {
      const ptr = heap.alloc(values.length);
      heap.f32(ptr, values.length).set(values);
      return ptr;
    },
    get(ptr: number, n: number): Float32Array {
      return heap.f32(ptr, n).slice();
    },
  });
}
