// The 2-D lab's views run G and D on thousands of points per frame (a 48² heatmap, a 21² mesh, the
// arrows), 30 times a second, in the worker that also trains. The reference stack
// (src/reference/stack.ts) is the spec but reads its operands through strided views of any
// array type and computes every gradient; here the same float64 arithmetic, in the same order,
// runs on plain Float64Arrays and computes only what a view needs (outputs, and the gradient
// with respect to the input), about 5× faster. test/gan2d/views.test.ts holds it equal to the
// reference bit for bit.
import type { Activation } from '../nn/activation.ts';
import { LEAKY_SLOPE } from '../nn/activation.ts';
import { arenaLayout, layerTensors } from '../nn/arena.ts';
import { denseLayers, type ModelSpec } from '../nn/spec.ts';

/** One dense layer with its weights ([inputs][units], row-major) and bias copied out of the arena. */
interface ViewLayer {
  inputs: number;
  units: number;
  activation: Activation;
  w: Float64Array;
  b: Float64Array;
}

/** A network's layers in float64, ready for viewForward and viewInputGrad. */
export type ViewNet = ViewLayer[];

/** Copies the layers of `spec` out of its parameter arena. */
export function viewNet(spec: ModelSpec, params: ArrayLike<number>): ViewNet {
  const layout = arenaLayout(spec);
  return denseLayers(spec).map((l, i) => {
    const { weight, bias } = layerTensors(layout, i);
    const w = new Float64Array(l.inputs * l.units);
    const b = new Float64Array(l.units);
    for (let k = 0; k < w.length; k++) w[k] = params[weight.offset + k]!;
    for (let k = 0; k < b.length; k++) b[k] = params[bias.offset + k]!;
    return { ...l, w, b };
  });
}

function activateAll(y: Float64Array, b: Float64Array, units: number, act: Activation): void {
  // One loop per activation: a switch per element is what made the reference slow here.
  const n = y.length;
  if (act === 'relu')
    for (let k = 0; k < n; k++) {
      const z = y[k]! + b[k % units]!;
      y[k] = z > 0 ? z : 0;
    }
  else if (act === 'leaky_relu')
    for (let k = 0; k < n; k++) {
      const z = y[k]! + b[k % units]!;
      y[k] = z > 0 ? z : LEAKY_SLOPE * z;
    }
  else if (act === 'tanh') for (let k = 0; k < n; k++) y[k] = Math.tanh(y[k]! + b[k % units]!);
  else if (act === 'sigmoid') for (let k = 0; k < n; k++) y[k] = 1 / (1 + Math.exp(-(y[k]! + b[k % units]!)));
  else for (let k = 0; k < n; k++) y[k] = y[k]! + b[k % units]!;
}

/**
 * Every layer's output for `rows` inputs (outs[0] is x): act(Σ_p x·W + b), the sum over p in
 * order and the bias added last, as the reference adds them.
 */
export function viewForward(net: ViewNet, x: Float64Array, rows: number): Float64Array[] {
  const outs = [x];
  for (const { inputs, units, activation, w, b } of net) {
    const input = outs.at(-1)!;
    const y = new Float64Array(rows * units);
    for (let r = 0; r < rows; r++) {
      const yo = r * units;
      for (let p = 0; p < inputs; p++) {
        const xv = input[r * inputs + p]!;
        if (xv === 0) continue;
        const wo = p * units;
        for (let j = 0; j < units; j++) y[yo + j]! += xv * w[wo + j]!;
      }
    }
    activateAll(y, b, units, activation);
    outs.push(y);
  }
  return outs;
}

function derivative(y: number, act: Activation): number {
  if (act === 'relu') return y > 0 ? 1 : 0;
  if (act === 'leaky_relu') return y > 0 ? 1 : LEAKY_SLOPE;
  if (act === 'tanh') return 1 - y * y;
  if (act === 'sigmoid') return y * (1 - y);
  return 1;
}

/**
 * ∂ℓ/∂x for each input row, given `outs` of viewForward and `dz`, the gradient with respect to the
 * last layer's pre-activation: the reference's dZ·Wᵀ chain without the weight gradients.
 */
export function viewInputGrad(net: ViewNet, outs: Float64Array[], dz: Float64Array, rows: number): Float64Array {
  let grad = dz;
  for (let i = net.length - 1; i >= 0; i--) {
    const { inputs, units, w } = net[i]!;
    const prev = new Float64Array(rows * inputs);
    for (let r = 0; r < rows; r++) {
      const go = r * units;
      for (let j = 0; j < inputs; j++) {
        const wo = j * units;
        let acc = 0;
        for (let p = 0; p < units; p++) {
          const g = grad[go + p]!;
          if (g !== 0) acc += g * w[wo + p]!;
        }
        prev[r * inputs + j] = acc;
      }
    }
    if (i > 0) {
      const act = net[i - 1]!.activation;
      const y = outs[i]!;
      for (let k = 0; k < prev.length; k++) prev[k]! *= derivative(y[k]!, act);
    }
    grad = prev;
  }
  return grad;
}
