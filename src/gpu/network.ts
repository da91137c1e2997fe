import { layerTensors, type ArenaLayout } from '../nn/arena.ts';
import type { Activation } from '../nn/activation.ts';
import type { Dispatch, OwnedDispatch } from './kernel.ts';
import type { DropoutKernel } from './kernels/dropout.ts';
import { rowMajor, transposed, type MatmulKernel } from './kernels/matmul.ts';
import type { StateLayout } from './kernels/state.ts';

/** A dense layer as the dispatch builders see it. */
export interface DenseLayer {
  inputs: number;
  units: number;
  activation: Activation;
}

/**
 * A dense stack's parameter buffers and the matmul kernel that runs it, for `models` models of
 * the same shape: model z's arena starts at z·layout.totalFloats in params and grads, and its
 * activations at z·rows·width in each activation buffer.
 */
export interface DenseStack {
  layers: DenseLayer[];
  layout: ArenaLayout;
  params: GPUBuffer;
  grads: GPUBuffer;
  matmul: MatmulKernel;
  models: number;
}

/**
 * Inverted dropout in a training pass: per hidden layer a rate and, where it is above 0, the
 * buffer that holds the dropped copy of that layer's output (the next layer's input).
 */
export interface DropoutPlan {
  /** Each model's rate per hidden layer, [models, rateStride] f32 (see shaders/dropout.wgsl). */
  rates: GPUBuffer;
  rateStride: number;
  /** Per hidden layer, the dropped copy of its output, or null where no model drops it. */
  dropped: (GPUBuffer | null)[];
  state: GPUBuffer;
  stateLayout: StateLayout;
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

function collector(): { built: Built; take: (r: OwnedDispatch) => void } {
  const built: Built = { dispatches: [], uniforms: [] };
  return { built, take: (r) => (built.dispatches.push(r.dispatch), built.uniforms.push(r.uniform)) };
}

/**
 * Forward pass over the first `rows` rows of `acts`: one fused matmul + bias + activation per
 * layer. acts[0] is the input; acts[i + 1] is layer i's output.
 */
export function buildForward(stack: DenseStack, rows: number, acts: GPUBuffer[], label: string, dropout?: DropoutPlan): Built {
  const { built, take } = collector();
  const { models, layout } = stack;
  const arena = layout.totalFloats;
  stack.layers.forEach((l, i) => {
    const { weight, bias } = layerTensors(layout, i);
    const output = acts[i + 1]!;
    take(
      stack.matmul.dispatch(
        `${label} forward layer ${i}`,
        {
          m: rows,
          n: l.units,
          k: l.inputs,
          models,
          a: rowMajor(l.inputs, 0, rows * l.inputs),
          b: rowMajor(l.units, weight.offset, arena),
          c: { offset: 0, modelStride: rows * l.units },
          epilogue: 'bias_act',
          activation: l.activation,
          e: { offset: bias.offset, modelStride: arena },
        },
        { a: inputOf(acts, i, dropout), b: stack.params, e: stack.params, c: output },
      ),
    );
    const dropped = dropout?.dropped[i];
    if (dropout && dropped) {
      const shape = { ...dropout.stateLayout, pass: 'forward' as const, count: rows * l.units, layer: i, models, rateStride: dropout.rateStride };
      take(dropout.kernel.dispatch(`${label} dropout layer ${i}`, shape, { state: dropout.state, rates: dropout.rates, data: output, out: dropped }));
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
export function buildBackward(
  stack: DenseStack,
  rows: number,
  acts: GPUBuffer[],
  deltas: [GPUBuffer, GPUBuffer],
  label: string,
  options: BackwardOptions = {},
): Built {
  const { built, take } = collector();
  const { layers, layout, params, matmul, models } = stack;
  const arena = layout.totalFloats;
  let delta = 0;
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i]!;
    const { weight, bias } = layerTensors(layout, i);
    const dz = deltas[delta]!;
    if (options.weightGrads !== false) {
      take(
        matmul.dispatch(
          `${label} weight and bias gradient layer ${i}`,
          {
            m: l.inputs,
            n: l.units,
            k: rows,
            models,
            a: transposed(l.inputs, 0, rows * l.inputs),
            b: rowMajor(l.units, 0, rows * l.units),
            c: { offset: weight.offset, modelStride: arena },
            epilogue: 'none',
            activation: 'linear',
            augOffset: bias.offset,
          },
          { a: inputOf(acts, i, options.dropout), b: dz, e: dz, c: stack.grads },
        ),
      );
    }
    const target = i > 0 ? { buffer: deltas[1 - delta]!, activation: layers[i - 1]!.activation } : options.inputGrad;
    if (!target) break;
    take(
      matmul.dispatch(
        `${label} input gradient layer ${i}`,
        {
          m: rows,
          n: l.inputs,
          k: l.units,
          models,
          a: rowMajor(l.units, 0, rows * l.units),
          b: transposed(l.units, weight.offset, arena),
          c: { offset: 0, modelStride: rows * l.inputs },
          epilogue: 'act_grad',
          activation: target.activation,
          e: { offset: 0, modelStride: rows * l.inputs },
        },
        { a: dz, b: params, e: acts[i]!, c: target.buffer },
      ),
    );
    const dropout = options.dropout;
    if (i > 0 && dropout?.dropped[i - 1]) {
      const shape = { ...dropout.stateLayout, pass: 'backward' as const, count: rows * l.inputs, layer: i - 1, models, rateStride: dropout.rateStride };
      take(
        dropout.kernel.dispatch(`${label} dropout gradient layer ${i - 1}`, shape, {
          state: dropout.state,
          rates: dropout.rates,
          data: target.buffer,
          out: dropout.dropped[i - 1]!,
        }),
      );
    }
    delta = 1 - delta;
  }
  return built;
}
