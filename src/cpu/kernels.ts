import kernelsBase64 from './kernels-wasm.js';

/**
 * The exports of the CPU kernels' WebAssembly module (assembly/index.ts). Pointers are byte
 * offsets into `memory`; sizes are element counts. See each kernel family's header in assembly/.
 */
export interface Kernels {
  readonly memory: WebAssembly.Memory;
  /** C (+)= A·B with any strides (assembly/matmul.ts); `work` holds gemmWorkFloats(n) floats. */
  gemm(
    m: number,
    n: number,
    k: number,
    a: number,
    ars: number,
    acs: number,
    b: number,
    brs: number,
    bcs: number,
    c: number,
    ldc: number,
    accumulate: number,
    work: number,
  ): void;
  gemmWorkFloats(n: number): number;
  /** y = act(y + bias) over rows × units (assembly/dense.ts). */
  biasActivation(y: number, rows: number, units: number, bias: number, act: number): void;
  /** dz *= act'(y) over count elements. */
  activationGrad(dz: number, y: number, count: number, act: number): void;
  /** db = column sums of dz [rows, units]. */
  biasGrad(db: number, dz: number, rows: number, units: number): void;
  /** out = src · inverted-dropout factor of each element (assembly/dropout.ts). */
  dropout(out: number, src: number, count: number, seed: number, layer: number, step: number, rate: number, scale: number): void;
  hashUniform(seed: number, stream: number, step: number, i: number): number;
  /** One optimizer step over an arena (assembly/optimizer.ts). */
  optimizerStep(
    kind: number,
    params: number,
    grads: number,
    m: number,
    v: number,
    count: number,
    weightsEnd: number,
    lr: number,
    beta1: number,
    beta2: number,
    c1: number,
    c2: number,
    eps: number,
    mu: number,
    nesterov: number,
    l1: number,
    l2: number,
    wd: number,
  ): void;
}

let compiled: Promise<WebAssembly.Module> | null = null;

/** The compiled module, compiled once per thread (asynchronously: large sync compiles are refused on a page's main thread). */
export function kernelModule(): Promise<WebAssembly.Module> {
  if (!compiled) {
    const bytes = Uint8Array.from(atob(kernelsBase64), (c) => c.charCodeAt(0));
    compiled = WebAssembly.compile(bytes);
    // A page whose Content-Security-Policy forbids WebAssembly may still try again later.
    compiled.catch(() => (compiled = null));
  }
  return compiled;
}

/**
 * Why the kernels cannot run here (no WebAssembly, no SIMD, or a Content-Security-Policy that
 * forbids compiling it), or null when they can.
 */
export async function kernelsUnavailable(): Promise<string | null> {
  try {
    if (typeof WebAssembly === 'undefined') return 'this browser has no WebAssembly';
    await kernelModule();
    return null;
  } catch (e) {
    return `the WebAssembly SIMD kernels do not compile here (${e instanceof Error ? e.message : String(e)})`;
  }
}

/** A fresh instance with its own linear memory: one per backend, freed with it. */
export async function instantiateKernels(): Promise<Kernels> {
  const instance = await WebAssembly.instantiate(await kernelModule(), {});
  return instance.exports as unknown as Kernels;
}

/** Bytes every buffer of the heap is aligned to: a cache line, and whole f32x4 vectors. */
const ALIGN = 64;
const PAGE = 65536;

/**
 * A bump allocator over one instance's linear memory: a backend lays out every buffer once when
 * it is built (nothing is freed; the instance goes with the backend). Views are made on demand,
 * because growing the memory detaches earlier ArrayBuffers.
 */
export class WasmHeap {
  private top: number;

  constructor(readonly k: Kernels) {
    // Everything below the initial size belongs to the module (its data and stack).
    this.top = k.memory.buffer.byteLength;
  }

  /** Reserves `floats` zeroed f32 values; returns their byte offset. */
  alloc(floats: number): number {
    const at = this.top;
    this.top = Math.ceil((at + floats * 4) / ALIGN) * ALIGN;
    const have = this.k.memory.buffer.byteLength;
    if (this.top > have) this.k.memory.grow(Math.ceil((this.top - have) / PAGE));
    return at;
  }

  /** A Float32Array over `length` floats at byte offset `ptr`. */
  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.k.memory.buffer, ptr, length);
  }

  /** Bytes of linear memory in use. */
  get bytes(): number {
    return this.top;
  }
}
