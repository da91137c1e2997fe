import type { Activation } from '../nn/activation.ts';
import { layerTensors, type ArenaLayout } from '../nn/arena.ts';
import { dropoutScale } from '../nn/dropout.ts';
import { denseBackward, denseForward } from './dense.ts';

/** A dense layer of a stack. */
export interface StackLayer {
  inputs: number;
  units: number;
  activation: Activation;
}

/** Inverted dropout during one training step: rate per hidden layer, and the mask's seed and step. */
export interface DropoutStep {
  rates: number[];
  seed: number;
  step: number;
}

/**
 * Layer outputs of a batch in float64: outs[0] is the input, outs[L] the last layer's output.
 * With dropout, `ins[i]` is what layer i consumed (hidden outputs times their masks) while
 * `outs` keeps the undropped outputs the activation derivatives need.
 */
export function stackForward(
  layers: StackLayer[],
  layout: ArenaLayout,
  params: ArrayLike<number>,
  x: Float64Array,
  rows: number,
  dropout: DropoutStep | null = null,
): Float64Array[] & { ins?: Float64Array[] } {
  const outs: Float64Array[] & { ins?: Float64Array[] } = [x];
  const ins = [x];
  layers.forEach((l, i) => {
    const { weight, bias } = layerTensors(layout, i);
    const y = denseForward(ins[i]!, params, params, rows, l.inputs, l.units, l.activation, weight.offset, bias.offset);
    outs.push(y);
    const rate = i < layers.length - 1 ? (dropout?.rates[i] ?? 0) : 0;
    ins.push(rate > 0 ? y.map((v, k) => v * dropoutScale(dropout!.seed, i, dropout!.step, k, rate)) : y);
  });
  outs.ins = ins;
  return outs;
}

/**
 * Back-propagates dZ of the last layer: the gradient arena (dW, db of every layer), and, when
 * `inputActivation` is given, the gradient w.r.t. the input times that activation's derivative
 * (how a discriminator passes its gradient to a generator's tanh output). With dropout, pass the
 * same DropoutStep as the forward pass: gradients of dropped units are masked the same way.
 */
export function stackBackward(
  layers: StackLayer[],
  layout: ArenaLayout,
  params: ArrayLike<number>,
  outs: Float64Array[] & { ins?: Float64Array[] },
  dzLast: Float64Array,
  rows: number,
  inputActivation: Activation | null = null,
  dropout: DropoutStep | null = null,
): { grads: Float64Array; dInput: Float64Array | null } {
  const grads = new Float64Array(layout.totalFloats);
  const ins = outs.ins ?? outs;
  let dz = dzLast;
  let dInput: Float64Array | null = null;
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i]!;
    const { weight, bias } = layerTensors(layout, i);
    const prevAct = i > 0 ? layers[i - 1]!.activation : inputActivation;
    const g = denseBackward(ins[i]!, params, dz, rows, l.inputs, l.units, prevAct, weight.offset, outs[i]!);
    grads.set(g.dW, weight.offset);
    grads.set(g.db, bias.offset);
    if (i === 0) {
      dInput = g.dPrev;
    } else {
      dz = g.dPrev!;
      const rate = dropout?.rates[i - 1] ?? 0;
      if (rate > 0) dz = dz.map((v, k) => v * dropoutScale(dropout!.seed, i - 1, dropout!.step, k, rate));
    }
  }
  return { grads, dInput };
}
