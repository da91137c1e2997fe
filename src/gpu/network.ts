import { layerTensors, type ArenaLayout } from '../nn/arena.ts';
import type { Activation } from '../nn/activation.ts';
import type { Dispatch } from './kernel.ts';
import type { DropoutKernel } from './kernels/dropout.ts';
import { rowMajorOperand, transposedOperand, type MatmulKernel } from './kernels/matmul.ts';

/** A dense layer as the dispatch builders see it. */
export interface DenseLayer {
  inputs: number;
  units: number;
  activation: Activation;
}

/** A dense stack's parameter buffers and the matmul kernel that runs it. */
export interface DenseStack {
  layers: DenseLayer[];
  layout: ArenaLayout;
  params: GPUBuffer;
  grads: GPUBuffer;
  matmul: MatmulKernel;
}

/**
 * Inverted dropout in a training pass: per hidden layer a rate and, where it is above 0, the
 * buffer that holds the dropped copy of that layer's output (the next layer's input).
 */
export interface DropoutPlan {
  rates: number[];
  seed: number;
  dropped: (GPUBuffer | null)[];
  state: GPUBuffer;
  kernel: DropoutKernel;
}

/** What layer i reads as its input: the previous layer's dropped copy, if dropout applies. */
function inputOf(acts: GPUBuffer[], i: number, dropout?: DropoutPlan): GPUBuffer {
  return (i > 0 && dropout?.dropped[i - 1]) || acts[i]!;
}

/** Dispatches plus the uniform buffers they own (the caller destroys them). */
export interface Built {
  dispatches: Dispatch[];
  uniforms: GPUBuffer[];
}

function collector(): { built: Built; take: (r: { dispatch: Dispatch; uniform: GPUBuffer }) => void } {
  const built: Built = { dispatches: [], uniforms: [] };
  return { built, take: (r) => (built.dispatches.push(r.dispatch), built.uniforms.push(r.uniform)) };
}

/**
 * Forward pass over the first `rows` rows of `acts`: one fused matmul + bias + activation per
 * layer. acts[0] is the input; acts[i + 1] is layer i's output.
 */
export function buildForward(stack: DenseStack, rows: number, acts: GPUBuffer[], label: string, dropout?: DropoutPlan): Built {
  const { built, take } = collector();
  stack.layers.forEach((l, i) => {
    const { weight, bias } = layerTensors(stack.layout, i);
    take(
      stack.matmul.dispatch({
        label: `${label} forward layer ${i}`,
        m: rows,
        n: l.units,
        k: l.inputs,
        a: rowMajorOperand(inputOf(acts, i, dropout), l.inputs),
        b: rowMajorOperand(stack.params, l.units, weight.offset),
        c: { buffer: acts[i + 1]!, offset: 0 },
        epilogue: 'bias_act',
        activation: l.activation,
        e: { buffer: stack.params, offset: bias.offset },
      }),
    );
    const dropped = dropout?.dropped[i];
    if (dropout && dropped) {
      take(dropout.kernel.dispatch(`${label} dropout layer ${i}`, 'forward', rows * l.units, dropout.rates[i]!, dropout.seed, i, dropout.state, acts[i + 1]!, dropped));
    }
  });
  return built;
}

/** Options of a backward pass. */
export interface BackwardOptions {
  /** Write dW and db (default). A GAN's generator step back-propagates through D without them. */
  weightGrads?: boolean;
  /**
   * Also compute the gradient w.r.t. the stack's input, times act'(input), into this buffer —
   * how the discriminator hands the generator its gradient (act = the generator's tanh).
   */
  inputGrad?: { buffer: GPUBuffer; activation: Activation };
  /** The forward pass's dropout: gradients of dropped units are masked the same way. */
  dropout?: DropoutPlan;
}

/**
 * Backward pass over the first `rows` rows, starting from dZ of the last layer in deltas[0]:
 * per layer one matmul for dW with db as its augmented row, and one for the previous layer's dZ
 * with the activation derivative fused in (written in terms of the stored outputs).
 */
export function buildBackward(stack: DenseStack, rows: number, acts: GPUBuffer[], deltas: [GPUBuffer, GPUBuffer], label: string, options: BackwardOptions = {}): Built {
  const { built, take } = collector();
  const { layers, layout, params, matmul } = stack;
  let delta = 0;
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i]!;
    const { weight, bias } = layerTensors(layout, i);
    const dz = deltas[delta]!;
    if (options.weightGrads !== false) {
      take(
        matmul.dispatch({
          label: `${label} weight and bias gradient layer ${i}`,
          m: l.inputs,
          n: l.units,
          k: rows,
          a: transposedOperand(inputOf(acts, i, options.dropout), l.inputs),
          b: rowMajorOperand(dz, l.units),
          c: { buffer: stack.grads, offset: weight.offset },
          epilogue: 'none',
          activation: 'linear',
          augOffset: bias.offset,
        }),
      );
    }
    const target = i > 0 ? { buffer: deltas[1 - delta]!, activation: layers[i - 1]!.activation } : options.inputGrad;
    if (!target) break;
    take(
      matmul.dispatch({
        label: `${label} input gradient layer ${i}`,
        m: rows,
        n: l.inputs,
        k: l.units,
        a: rowMajorOperand(dz, l.units),
        b: transposedOperand(params, l.units, weight.offset),
        c: { buffer: target.buffer, offset: 0 },
        epilogue: 'act_grad',
        activation: target.activation,
        e: { buffer: acts[i]!, offset: 0 },
      }),
    );
    const dropout = options.dropout;
    if (i > 0 && dropout?.dropped[i - 1]) {
      take(dropout.kernel.dispatch(`${label} dropout gradient layer ${i - 1}`, 'backward', rows * l.inputs, dropout.rates[i - 1]!, dropout.seed, i - 1, dropout.state, target.buffer, dropout.dropped[i - 1]!));
    }
    delta = 1 - delta;
  }
  return built;
}
