import type { Activation } from '../nn/activation.ts';
import { layerTensors, type ArenaLayout } from '../nn/arena.ts';
import { denseBackward, denseForward } from './dense.ts';

/** A dense layer of a stack. */
export interface StackLayer {
  inputs: number;
  units: number;
  activation: Activation;
}

/** Layer outputs of a batch in float64: outs[0] is the input, outs[L] the last layer's output. */
export function stackForward(layers: StackLayer[], layout: ArenaLayout, params: ArrayLike<number>, x: Float64Array, rows: number): Float64Array[] {
  const outs = [x];
  layers.forEach((l, i) => {
    const { weight, bias } = layerTensors(layout, i);
    outs.push(denseForward(outs[i]!, params, params, rows, l.inputs, l.units, l.activation, weight.offset, bias.offset));
  });
  return outs;
}

/**
 * Back-propagates dZ of the last layer: the gradient arena (dW, db of every layer), and, when
 * `inputActivation` is given, the gradient w.r.t. the input times that activation's derivative
 * (how a discriminator passes its gradient to a generator's tanh output).
 */
export function stackBackward(
  layers: StackLayer[],
  layout: ArenaLayout,
  params: ArrayLike<number>,
  outs: Float64Array[],
  dzLast: Float64Array,
  rows: number,
  inputActivation: Activation | null = null,
): { grads: Float64Array; dInput: Float64Array | null } {
  const grads = new Float64Array(layout.totalFloats);
  let dz = dzLast;
  let dInput: Float64Array | null = null;
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i]!;
    const { weight, bias } = layerTensors(layout, i);
    const prevAct = i > 0 ? layers[i - 1]!.activation : inputActivation;
    const g = denseBackward(outs[i]!, params, dz, rows, l.inputs, l.units, prevAct, weight.offset);
    grads.set(g.dW, weight.offset);
    grads.set(g.db, bias.offset);
    if (i === 0) dInput = g.dPrev;
    else dz = g.dPrev!;
  }
  return { grads, dInput };
}
