import { LEAKY_SLOPE, type Activation } from '../nn/activation.ts';

/**
 * Strided matrix view: element (i, k) of a matrix lives at data[offset + i*rowStride + k*colStride].
 * A transpose is the same data with the strides swapped, exactly as the WGSL matmul sees it.
 */
export interface MatView {
  data: ArrayLike<number>;
  offset: number;
  rowStride: number;
  colStride: number;
}

/** Row-major view of a dense [rows, cols] matrix. */
export function rowMajor(data: ArrayLike<number>, cols: number, offset = 0): MatView {
  return { data, offset, rowStride: cols, colStride: 1 };
}

/** Transposed view of a row-major [rows, cols] matrix, i.e. [cols, rows]. */
export function transposed(data: ArrayLike<number>, cols: number, offset = 0): MatView {
  return { data, offset, rowStride: 1, colStride: cols };
}

/** C[M,N] = A[M,K]·B[K,N] in float64. */
export function matmul(a: MatView, b: MatView, m: number, n: number, k: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const av = a.data[a.offset + i * a.rowStride + p * a.colStride]!;
      if (av === 0) continue;
      const bBase = b.offset + p * b.rowStride;
      for (let j = 0; j < n; j++) c[i * n + j]! += av * b.data[bBase + j * b.colStride]!;
    }
  }
  return c;
}

/** The activation applied to one pre-activation value. */
export function activate(z: number, act: Activation): number {
  switch (act) {
    case 'linear':
      return z;
    case 'relu':
      return z > 0 ? z : 0;
    case 'leaky_relu':
      return z > 0 ? z : LEAKY_SLOPE * z;
    case 'tanh':
      return Math.tanh(z);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-z));
  }
}

/**
 * The activation's derivative written in terms of its output y = act(z). Every supported
 * activation allows this, so the engine keeps only layer outputs for the backward pass.
 */
export function activationGradFromOutput(y: number, act: Activation): number {
  switch (act) {
    case 'linear':
      return 1;
    case 'relu':
      return y > 0 ? 1 : 0;
    case 'leaky_relu':
      return y > 0 ? 1 : LEAKY_SLOPE;
    case 'tanh':
      return 1 - y * y;
    case 'sigmoid':
      return y * (1 - y);
  }
}

/** Y[rows, units] = act(X·W + b) with W stored row-major as [inputs, units]. */
export function denseForward(
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  b: ArrayLike<number>,
  rows: number,
  inputs: number,
  units: number,
  act: Activation,
  wOffset = 0,
  bOffset = 0,
): Float64Array {
  const y = matmul(rowMajor(x, inputs), rowMajor(w, units, wOffset), rows, units, inputs);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < units; j++) y[r * units + j] = activate(y[r * units + j]! + b[bOffset + j]!, act);
  }
  return y;
}

/** Gradients of one dense layer given dZ (the gradient w.r.t. its pre-activation). */
export interface DenseGrads {
  dW: Float64Array;
  db: Float64Array;
  /** dZ of the previous layer (dX ⊙ act'(x)), or null when not asked for. */
  dPrev: Float64Array | null;
}

/**
 * dW = Xᵀ·dZ, db = Σ_rows dZ, and dZ_prev = (dZ·Wᵀ) ⊙ act_prev'(Y), where X is this layer's
 * input and Y the previous layer's output (the same array unless dropout scaled X). Pass
 * prevAct = null to skip dZ_prev (first layer).
 */
export function denseBackward(
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  dz: ArrayLike<number>,
  rows: number,
  inputs: number,
  units: number,
  prevAct: Activation | null,
  wOffset = 0,
  prevOutput: ArrayLike<number> = x,
): DenseGrads {
  const dW = matmul(transposed(x, inputs), rowMajor(dz, units), inputs, units, rows);
  const db = new Float64Array(units);
  for (let r = 0; r < rows; r++) for (let j = 0; j < units; j++) db[j]! += dz[r * units + j]!;
  let dPrev: Float64Array | null = null;
  if (prevAct !== null) {
    dPrev = matmul(rowMajor(dz, units), transposed(w, units, wOffset), rows, inputs, units);
    for (let i = 0; i < dPrev.length; i++) dPrev[i]! *= activationGradFromOutput(prevOutput[i]!, prevAct);
  }
  return { dW, db, dPrev };
}
