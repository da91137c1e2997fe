// dense.ts: the elementwise parts of a dense layer in float32 with WebAssembly SIMD, the CPU twin
// of the epilogues in shaders/matmul.wgsl and of the bias-gradient reduction.
//
// Entry points:
//   biasActivation  y[r, j] = act(y[r, j] + bias[j]) over rows × units (after gemm wrote X·W)
//   activationGrad  dz[i] *= act'(y[i]), the derivative written in terms of the output y = act(z)
//   biasGrad        db[j] = Σ_r dz[r, j], rows summed in order
// Activation ids follow ACTIVATIONS in src/nn/activation.ts: 0 linear, 1 relu, 2 leaky_relu,
// 3 tanh, 4 sigmoid. ReLU of NaN is 0, as in the reference (z > 0 ? z : 0).

/** Negative-side slope of leaky ReLU (LEAKY_SLOPE in src/nn/activation.ts). */
const LEAKY_SLOPE: f32 = 0.2;

@inline function act4(z: v128, act: i32): v128 {
  if (act == 1) return f32x4.pmax(f32x4.splat(0), z);
  if (act == 2) return v128.bitselect(z, f32x4.mul(z, f32x4.splat(LEAKY_SLOPE)), f32x4.gt(z, f32x4.splat(0)));
  return z;
}

@inline function act1(z: f32, act: i32): f32 {
  if (act == 1) return z > 0 ? z : 0;
  if (act == 2) return z > 0 ? z : LEAKY_SLOPE * z;
  if (act == 3) return Mathf.tanh(z);
  if (act == 4) return 1 / (1 + Mathf.exp(-z));
  return z;
}

/** y[r, j] = act(y[r, j] + bias[j]); y is rows × units, row-major. */
export function biasActivation(y: usize, rows: i32, units: i32, bias: usize, act: i32): void {
  const vector = act <= 2;
  for (let r = 0; r < rows; r++) {
    const row = y + ((<usize>r * units) << 2);
    let j = 0;
    if (vector) {
      for (; j + 4 <= units; j += 4) {
        const at = row + ((<usize>j) << 2);
        v128.store(at, act4(f32x4.add(v128.load(at), v128.load(bias + ((<usize>j) << 2))), act));
      }
    }
    for (; j < units; j++) {
      const at = row + ((<usize>j) << 2);
      store<f32>(at, act1(load<f32>(at) + load<f32>(bias + ((<usize>j) << 2)), act));
    }
  }
}

@inline function grad4(y: v128, act: i32): v128 {
  const one = f32x4.splat(1);
  if (act == 1) return v128.and(f32x4.gt(y, f32x4.splat(0)), one);
  if (act == 2) return v128.bitselect(one, f32x4.splat(LEAKY_SLOPE), f32x4.gt(y, f32x4.splat(0)));
  if (act == 3) return f32x4.sub(one, f32x4.mul(y, y));
  if (act == 4) return f32x4.mul(y, f32x4.sub(one, y));
  return one;
}

@inline function grad1(y: f32, act: i32): f32 {
  if (act == 1) return y > 0 ? 1 : 0;
  if (act == 2) return y > 0 ? 1 : LEAKY_SLOPE;
  if (act == 3) return 1 - y * y;
  if (act == 4) return y * (1 - y);
  return 1;
}

/** dz[i] *= act'(y[i]) for i < count (y is the activation's output). */
export function activationGrad(dz: usize, y: usize, count: i32, act: i32): void {
  if (act == 0) return;
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const at = (<usize>i) << 2;
    v128.store(dz + at, f32x4.mul(v128.load(dz + at), grad4(v128.load(y + at), act)));
  }
  for (; i < count; i++) {
    const at = (<usize>i) << 2;
    store<f32>(dz + at, load<f32>(dz + at) * grad1(load<f32>(y + at), act));
  }
}

/** db[j] = Σ_r dz[r, j] over rows × units. */
export function biasGrad(db: usize, dz: usize, rows: i32, units: i32): void {
  memory.fill(db, 0, (<usize>units) << 2);
  for (let r = 0; r < rows; r++) {
    const row = dz + ((<usize>r * units) << 2);
    let j = 0;
    for (; j + 4 <= units; j += 4) {
      const at = (<usize>j) << 2;
      v128.store(db + at, f32x4.add(v128.load(db + at), v128.load(row + at)));
    }
    for (; j < units; j++) {
      const at = (<usize>j) << 2;
      store<f32>(db + at, load<f32>(db + at) + load<f32>(row + at));
    }
  }
}
