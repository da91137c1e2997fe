import source from '../../../shaders/matmul.wgsl';
import { activationId, LEAKY_SLOPE, type Activation } from '../../nn/activation.ts';
import { KernelFamily, type OwnedDispatch } from '../kernel.ts';

/** The two matmul strategies; see the header of shaders/matmul.wgsl. */
export type MatmulVariant = 'blocked' | 'tiled';

/** What happens to each output after the product. */
export type Epilogue = 'none' | 'bias_act' | 'act_grad';
const EPILOGUE_ID: Record<Epilogue, number> = { none: 0, bias_act: 1, act_grad: 2 };

/**
 * Where a strided operand's elements sit in its buffer: element (i, p) of model z at
 * offset + z·modelStride + i·rowStride + p·colStride (modelStride 0: all models share it).
 */
export interface Strided {
  offset: number;
  rowStride: number;
  colStride: number;
  modelStride: number;
}

/** The MatmulParams uniform of shaders/matmul.wgsl, field for field. */
export interface MatmulParams {
  m: number;
  n: number;
  k: number;
  aug: boolean;
  aOff: number;
  aRs: number;
  aCs: number;
  bOff: number;
  bRs: number;
  bCs: number;
  cOff: number;
  eOff: number;
  augOff: number;
  /** C's row and column strides: (width of C, 1) as a rule; (1, width of C) for a product run transposed. */
  cRs: number;
  cCs: number;
  /** The bias of the bias_act epilogue is indexed by C's row (a product run transposed). */
  biasOnRows: boolean;
  /** Per-model strides of A, B, C (and the aug row) and E, in floats. */
  aMs: number;
  bMs: number;
  cMs: number;
  eMs: number;
  /** Models in the batch. */
  models: number;
  /** What happens to each output: a uniform value, so one pipeline serves every layer (see the shader's header). */
  epilogue: Epilogue;
  /** The activation the epilogue applies or differentiates. */
  activation: Activation;
}

/** Size of MatmulParams in bytes (24 u32). */
export const MATMUL_PARAMS_BYTES = 96;
/** Outputs per workgroup along each axis: 32 (blocked: 4×4 invocations of 8×8 outputs), 64 (tiled: 16×16 of 4×4). */
export const MATMUL_TILE: Record<MatmulVariant, number> = { blocked: 32, tiled: 64 };

/** Packs MatmulParams in WGSL field order. */
export function packMatmulParams(p: MatmulParams): ArrayBuffer {
  const u = new Uint32Array(MATMUL_PARAMS_BYTES / 4);
  u.set([p.m, p.n, p.k, p.aug ? 1 : 0, p.aOff, p.aRs, p.aCs, p.bOff, p.bRs, p.bCs, p.cOff, p.eOff, p.augOff, p.cRs, p.cCs, p.biasOnRows ? 1 : 0]);
  u.set([p.aMs, p.bMs, p.cMs, p.eMs, p.models, EPILOGUE_ID[p.epilogue], activationId(p.activation)], 16);
  return u.buffer;
}

/** The shape of one product for every model: C[m,n] = epilogue(A[m,k]·B[k,n]), C row-major. */
export interface MatmulShape {
  m: number;
  n: number;
  k: number;
  /** Models in the batch (the dispatch's third dimension); every operand moves by its modelStride. */
  models: number;
  a: Strided;
  b: Strided;
  /** C's offset and per-model stride; C is row-major [m, n] (the wrapper may write it transposed). */
  c: { offset: number; modelStride: number };
  epilogue: Epilogue;
  /** Activation applied (bias_act) or differentiated (act_grad). */
  activation: Activation;
  /** Bias (bias_act) or the activation output [m, n] (act_grad): offset and per-model stride. */
  e?: { offset: number; modelStride: number };
  /** Appends a row of ones to A; that output row (Σ over k of B) goes to `augOffset` (+ z·c.modelStride) in C's buffer. */
  augOffset?: number;
}

/** The buffers of one product, in binding order: A, B, the epilogue input E (any buffer when unused), C. */
export interface MatmulBuffers {
  a: GPUBuffer;
  b: GPUBuffer;
  e: GPUBuffer;
  c: GPUBuffer;
}

/** Wrapper of shaders/matmul.wgsl: one pipeline per variant (and GROUP), dispatches. */
export class MatmulKernel {
  readonly family: KernelFamily;

  constructor(
    device: GPUDevice,
    readonly variant: MatmulVariant,
  ) {
    this.family = new KernelFamily(device, 'matmul', source, { u: 'uniform', a: 'read', b: 'read', e: 'read', c: 'rw' });
  }

  /** Builds the dispatch (and its uniform buffer, returned for disposal) of one product for every model. */
  dispatch(label: string, shape: MatmulShape, buffers: MatmulBuffers): OwnedDispatch {
    const aug = shape.augOffset !== undefined;
    const m = shape.m + (aug ? 1 : 0);
    const swap = !aug && runTransposed(this.variant, shape.m, shape.n);
    // Run transposed, Cᵀ = Bᵀ·Aᵀ.
    const [a, b] = swap ? [transposeOf(shape.b), transposeOf(shape.a)] : [shape.a, shape.b];
    const [bufA, bufB] = swap ? [buffers.b, buffers.a] : [buffers.a, buffers.b];
    const [rows, cols] = swap ? [shape.n, shape.m] : [m, shape.n];
    const params: MatmulParams = {
      m: rows,
      n: cols,
      k: shape.k,
      aug,
      aOff: a.offset,
      aRs: a.rowStride,
      aCs: a.colStride,
      bOff: b.offset,
      bRs: b.rowStride,
      bCs: b.colStride,
      cOff: shape.c.offset,
      eOff: shape.e?.offset ?? 0,
      augOff: shape.augOffset ?? 0,
      cRs: swap ? 1 : shape.n,
      cCs: swap ? shape.n : 1,
      biasOnRows: swap,
      aMs: a.modelStride,
      bMs: b.modelStride,
      cMs: shape.c.modelStride,
      eMs: shape.e?.modelStride ?? 0,
      models: shape.models,
      epilogue: shape.epilogue,
      activation: shape.activation,
    };
    const tile = MATMUL_TILE[this.variant];
    const group = groupModels(this.variant, rows, cols, shape.k, shape.models);
    const constants: Record<string, number> = { LEAKY_SLOPE };
    if (this.variant === 'blocked') constants.GROUP = group;
    return this.family.encode({
      label,
      entry: `matmul_${this.variant}`,
      constants,
      uniform: packMatmulParams(params),
      buffers: { a: bufA, b: bufB, e: buffers.e, c: buffers.c },
      workgroups: [Math.ceil(cols / tile), Math.ceil(rows / tile), Math.ceil(shape.models / group)],
      cost: matmulCost(shape),
    });
  }
}

/** Work a blocked workgroup should get, in flops, before the next model gets a workgroup of its own. */
export const GROUP_FLOPS = 1 << 20;
/** Workgroups a dispatch keeps at least (where it has that many model tiles), so every core has work. */
const MIN_WORKGROUPS = 4;
/** Most models per blocked workgroup: 16 × 16 invocations, WebGPU's guaranteed workgroup size. */
const MAX_GROUP = 16;

/**
 * How many models' blocks each workgroup computes side by side (the blocked entry's GROUP, a
 * power of two so few pipelines exist): 1 for the tiled variant (GPUs want every tile in
 * flight); for the blocked one, enough that a workgroup does about GROUP_FLOPS of arithmetic,
 * since a software adapter pays a fixed cost per workgroup (docs/architecture.md, "Measured
 * kernel choices").
 */
export function groupModels(variant: MatmulVariant, rows: number, cols: number, k: number, models: number): number {
  if (variant !== 'blocked' || models === 1) return 1;
  const tile = MATMUL_TILE.blocked;
  const tiles = Math.ceil(rows / tile) * Math.ceil(cols / tile);
  const wanted = Math.ceil(GROUP_FLOPS / (2 * tile * tile * Math.max(1, k)));
  const widest = Math.max(1, Math.floor((models * tiles) / MIN_WORKGROUPS));
  const group = Math.min(wanted, models, widest, MAX_GROUP);
  return 2 ** Math.floor(Math.log2(Math.max(1, group)));
}

/**
 * Whether the blocked variant runs C[m, n] as Cᵀ = Bᵀ·Aᵀ: its blocks are 8 rows by 32 columns,
 * so a narrow C (3 classes, 1 logit) wastes most of each block unless its short side becomes the
 * rows; swapped, B's loads lose their vector form, so it swaps only for 4× fewer groups, never
 * with the `aug` row, and never for the square tiled variant (measurements in docs/architecture.md).
 */
export function runTransposed(variant: MatmulVariant, m: number, n: number): boolean {
  if (variant !== 'blocked') return false;
  const groups = (rows: number, cols: number) => Math.ceil(rows / 8) * Math.ceil(cols / 32);
  return 4 * groups(n, m) <= groups(m, n);
}

/**
 * Estimated work of one product over every model: 2·m'·n·k flops (m' counts the `aug` row) plus
 * 2 per output for a fused epilogue; compulsory bytes: A (m·k) and B (k·n) read once, C (m'·n)
 * written once, and the epilogue input (bias n, or activations m·n), in f32; times the models.
 */
export function matmulCost(shape: MatmulShape): { flops: number; bytes: number } {
  const rows = shape.m + (shape.augOffset !== undefined ? 1 : 0);
  const epilogue = shape.epilogue === 'none' ? 0 : 2 * shape.m * shape.n;
  const e = shape.epilogue === 'bias_act' ? shape.n : shape.epilogue === 'act_grad' ? shape.m * shape.n : 0;
  const flops = 2 * rows * shape.n * shape.k + epilogue;
  const bytes = 4 * (shape.m * shape.k + shape.k * shape.n + rows * shape.n + e);
  return { flops: flops * shape.models, bytes: bytes * shape.models };
}

/** Row-major [rows, cols] operand at `offset`, each model `modelStride` floats after the previous. */
export function rowMajor(cols: number, offset = 0, modelStride = 0): Strided {
  return { offset, rowStride: cols, colStride: 1, modelStride };
}

/** The transpose of a strided operand: the same elements with row and column strides swapped. */
export function transposeOf(op: Strided): Strided {
  return { ...op, rowStride: op.colStride, colStride: op.rowStride };
}

/** Transpose of a row-major [rows, cols] matrix at `offset`, seen as [cols, rows]. */
export function transposed(cols: number, offset = 0, modelStride = 0): Strided {
  return { offset, rowStride: 1, colStride: cols, modelStride };
}
