import source from '../../../shaders/matmul.wgsl';
import { activationId, LEAKY_SLOPE, type Activation } from '../../nn/activation.ts';
import { KernelFamily, uniformBuffer, type Dispatch } from '../kernel.ts';

/** The two matmul strategies; see the header of shaders/matmul.wgsl. */
export type MatmulVariant = 'blocked' | 'tiled';

/** What happens to each output after the product. */
export type Epilogue = 'none' | 'bias_act' | 'act_grad';
const EPILOGUE_ID: Record<Epilogue, number> = { none: 0, bias_act: 1, act_grad: 2 };

/** A strided operand: element (i, p) at offset + i·rowStride + p·colStride. */
export interface Operand {
  buffer: GPUBuffer;
  offset: number;
  rowStride: number;
  colStride: number;
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
  /** The bias of EPILOGUE 1 is indexed by C's row (a product run transposed). */
  biasOnRows: boolean;
}

/** Size of MatmulParams in bytes (16 u32). */
export const MATMUL_PARAMS_BYTES = 64;
/** Outputs per workgroup along each axis: 32 (blocked: 4×4 invocations of 8×8 outputs), 64 (tiled: 16×16 of 4×4). */
export const MATMUL_TILE: Record<MatmulVariant, number> = { blocked: 32, tiled: 64 };

/** Packs MatmulParams in WGSL field order. */
export function packMatmulParams(p: MatmulParams): ArrayBuffer {
  const u = new Uint32Array(MATMUL_PARAMS_BYTES / 4);
  u.set([p.m, p.n, p.k, p.aug ? 1 : 0, p.aOff, p.aRs, p.aCs, p.bOff, p.bRs, p.bCs, p.cOff, p.eOff, p.augOff, p.cRs, p.cCs, p.biasOnRows ? 1 : 0]);
  return u.buffer;
}

/** A full matmul request: C[m,n] = epilogue(A[m,k]·B[k,n]), C row-major at cOffset. */
export interface MatmulJob {
  label: string;
  m: number;
  n: number;
  k: number;
  a: Operand;
  b: Operand;
  c: { buffer: GPUBuffer; offset: number };
  epilogue: Epilogue;
  /** Activation applied (bias_act) or differentiated (act_grad). */
  activation: Activation;
  /** Bias (offset) for bias_act, or the activation output [m, n] for act_grad. */
  e?: { buffer: GPUBuffer; offset: number };
  /** Appends a row of ones to A; that output row (Σ over k of B) goes to `augOffset` in C's buffer. */
  augOffset?: number;
}

/** Wrapper of shaders/matmul.wgsl: pipelines per (variant, epilogue, activation), dispatches. */
export class MatmulKernel {
  readonly family: KernelFamily;

  constructor(
    device: GPUDevice,
    readonly variant: MatmulVariant,
  ) {
    this.family = new KernelFamily(device, 'matmul', source, ['uniform', 'read', 'read', 'read', 'rw']);
  }

  /** Builds the dispatch (and its uniform buffer, returned for disposal) for one job. */
  dispatch(job: MatmulJob): { dispatch: Dispatch; uniform: GPUBuffer } {
    const aug = job.augOffset !== undefined;
    const m = job.m + (aug ? 1 : 0);
    const swap = !aug && runTransposed(this.variant, job.m, job.n);
    // Run transposed, Cᵀ = Bᵀ·Aᵀ.
    const [a, b] = swap ? [transposeOf(job.b), transposeOf(job.a)] : [job.a, job.b];
    const [rows, cols] = swap ? [job.n, job.m] : [m, job.n];
    const params: MatmulParams = {
      m: rows,
      n: cols,
      k: job.k,
      aug,
      aOff: a.offset,
      aRs: a.rowStride,
      aCs: a.colStride,
      bOff: b.offset,
      bRs: b.rowStride,
      bCs: b.colStride,
      cOff: job.c.offset,
      eOff: job.e?.offset ?? 0,
      augOff: job.augOffset ?? 0,
      cRs: swap ? 1 : job.n,
      cCs: swap ? job.n : 1,
      biasOnRows: swap,
    };
    const device = this.family.device;
    const uniform = uniformBuffer(device, `${job.label} params`, packMatmulParams(params));
    const entry = `matmul_${this.variant}`;
    const pipeline = this.family.pipeline(entry, {
      EPILOGUE: EPILOGUE_ID[job.epilogue],
      ACT: activationId(job.activation),
      LEAKY_SLOPE,
    });
    const e = job.e?.buffer ?? job.a.buffer;
    const bindGroup = this.family.bindGroup(job.label, [uniform, a.buffer, b.buffer, e, job.c.buffer]);
    const tile = MATMUL_TILE[this.variant];
    const workgroups: [number, number, number] = [Math.ceil(cols / tile), Math.ceil(rows / tile), 1];
    return { dispatch: { label: `${entry} · ${job.label}`, entry, pipeline, bindGroup, workgroups, family: this.family, cost: matmulCost(job) }, uniform };
  }
}

/**
 * Whether the blocked variant runs C[m, n] as Cᵀ = Bᵀ·Aᵀ: a block is 8 rows by 8 interleaved
 * columns per invocation and 4 invocations wide, so work goes with ⌈m/8⌉·⌈n/32⌉ SIMD groups, and
 * a narrow C (an output layer of 3 classes, a discriminator's 1 logit) wastes most of each block
 * unless its short side becomes the rows. Swapped, B's loads usually lose their neighbouring
 * columns (one vector load becomes four scalar ones), so it swaps only for 4× fewer groups.
 * Measured on SwiftShader: the Iris output layer (32×64·64×3), once per step in a 16-step submit,
 * 0.34 → 0.16 ms per step, and a whole Iris step 1.74 → 1.61 ms (median of 10 rounds beside the
 * previous kernel); the GAN generator's 64×784 output layer, swapped by a plain "fewer groups"
 * rule (196 against 200), gained nothing. A product with the `aug` row (dW + db) is never
 * swapped. The tiled variant's 64×64 tile is square, so it never swaps.
 */
export function runTransposed(variant: MatmulVariant, m: number, n: number): boolean {
  if (variant !== 'blocked') return false;
  const groups = (rows: number, cols: number) => Math.ceil(rows / 8) * Math.ceil(cols / 32);
  return 4 * groups(n, m) <= groups(m, n);
}

/**
 * Estimated work of one product: 2·m'·n·k flops (m' counts the `aug` row) plus 2 per output for
 * a fused epilogue; compulsory bytes: A (m·k) and B (k·n) read once, C (m'·n) written once, and
 * the epilogue input (bias n, or activations m·n), in f32.
 */
export function matmulCost(job: MatmulJob): { flops: number; bytes: number } {
  const rows = job.m + (job.augOffset !== undefined ? 1 : 0);
  const epilogue = job.epilogue === 'none' ? 0 : 2 * job.m * job.n;
  const e = job.epilogue === 'bias_act' ? job.n : job.epilogue === 'act_grad' ? job.m * job.n : 0;
  return { flops: 2 * rows * job.n * job.k + epilogue, bytes: 4 * (job.m * job.k + job.k * job.n + rows * job.n + e) };
}

/** Row-major [rows, cols] operand at `offset`. */
export function rowMajorOperand(buffer: GPUBuffer, cols: number, offset = 0): Operand {
  return { buffer, offset, rowStride: cols, colStride: 1 };
}

/** The transpose of a strided operand: the same elements with row and column strides swapped. */
export function transposeOf(op: Operand): Operand {
  return { ...op, rowStride: op.colStride, colStride: op.rowStride };
}

/** Transpose of a row-major [rows, cols] matrix at `offset`, seen as [cols, rows]. */
export function transposedOperand(buffer: GPUBuffer, cols: number, offset = 0): Operand {
  return { buffer, offset, rowStride: 1, colStride: cols };
}
