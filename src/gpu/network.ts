import { arenaLayout, layerTensors, type ArenaLayout } from '../nn/arena.ts';
import { denseLayers, type ModelSpec } from '../nn/spec.ts';
import type { Dispatch } from './kernel.ts';
import { rowMajorOperand, transposedOperand, type MatmulKernel } from './kernels/matmul.ts';

/** GPU buffers of a dense network's parameters and per-batch activations. */
export interface NetworkBuffers {
  params: GPUBuffer;
  grads: GPUBuffer;
  /** acts[0] is the gathered input batch; acts[i + 1] is layer i's output; the last are logits. */
  acts: GPUBuffer[];
  /** Two ping-pong buffers for the gradient w.r.t. each layer's pre-activation; null for a forward-only network. */
  deltas: [GPUBuffer, GPUBuffer] | null;
}

/** Dispatches of a network's forward and backward passes, plus the uniforms they own. */
export interface NetworkPasses {
  forward: Dispatch[];
  backward: Dispatch[];
  uniforms: GPUBuffer[];
  layout: ArenaLayout;
}

/**
 * Encodes a dense network as matmul dispatches over the arena: forward is one fused
 * matmul + bias + activation per layer; backward is, per layer, one matmul for dW with db as its
 * augmented row, and (except for the first layer) one for dZ of the previous layer with the
 * activation derivative fused in. The loss kernel writes dZ of the last layer into deltas[0].
 */
export function buildNetworkPasses(spec: ModelSpec, capacity: number, b: NetworkBuffers, matmul: MatmulKernel): NetworkPasses {
  const layout = arenaLayout(spec);
  const layers = denseLayers(spec);
  const uniforms: GPUBuffer[] = [];
  const take = (r: { dispatch: Dispatch; uniform: GPUBuffer }) => {
    uniforms.push(r.uniform);
    return r.dispatch;
  };
  const forward = layers.map((l, i) => {
    const { weight, bias } = layerTensors(layout, i);
    return take(
      matmul.dispatch({
        label: `forward layer ${i}`,
        m: capacity,
        n: l.units,
        k: l.inputs,
        a: rowMajorOperand(b.acts[i]!, l.inputs),
        b: rowMajorOperand(b.params, l.units, weight.offset),
        c: { buffer: b.acts[i + 1]!, offset: 0 },
        epilogue: 'bias_act',
        activation: l.activation,
        e: { buffer: b.params, offset: bias.offset },
      }),
    );
  });
  const backward: Dispatch[] = [];
  let delta = 0;
  const deltas = b.deltas;
  for (let i = layers.length - 1; deltas && i >= 0; i--) {
    const l = layers[i]!;
    const { weight, bias } = layerTensors(layout, i);
    const dz = deltas[delta]!;
    backward.push(
      take(
        matmul.dispatch({
          label: `weight and bias gradient layer ${i}`,
          m: l.inputs,
          n: l.units,
          k: capacity,
          a: transposedOperand(b.acts[i]!, l.inputs),
          b: rowMajorOperand(dz, l.units),
          c: { buffer: b.grads, offset: weight.offset },
          epilogue: 'none',
          activation: 'linear',
          augOffset: bias.offset,
        }),
      ),
    );
    if (i === 0) break;
    backward.push(
      take(
        matmul.dispatch({
          label: `input gradient layer ${i}`,
          m: capacity,
          n: l.inputs,
          k: l.units,
          a: rowMajorOperand(dz, l.units),
          b: transposedOperand(b.params, l.units, weight.offset),
          c: { buffer: deltas[1 - delta]!, offset: 0 },
          epilogue: 'act_grad',
          activation: layers[i - 1]!.activation,
          e: { buffer: b.acts[i]!, offset: 0 },
        }),
      ),
    );
    delta = 1 - delta;
  }
  return { forward, backward, uniforms, layout };
}
