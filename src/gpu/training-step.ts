import type { AugmentSetup } from '../data/augment.ts';
import { arenaLayout, type ArenaLayout } from '../nn/arena.ts';
import { MODEL_LIMITS, denseLayers, type ModelSpec } from '../nn/spec.ts';
import type { BatchSetup } from '../train/training-backend.ts';
import type { GpuBuffers } from './gpu-buffers.ts';
import type { Dispatch, OwnedDispatch } from './kernel.ts';
import { AugmentKernel } from './kernels/augment.ts';
import { DropoutKernel } from './kernels/dropout.ts';
import { GatherKernel } from './kernels/gather.ts';
import { LossKernel } from './kernels/loss.ts';
import type { MatmulKernel } from './kernels/matmul.ts';
import { OptimizerKernel } from './kernels/optimizer.ts';
import type { StateLayout } from './kernels/state.ts';
import { buildBackward, buildForward, type Built, type DenseStack, type DropoutPlan } from './network.ts';

/** Floats per model in the dropout rates table: one per possible hidden layer. */
export const RATE_STRIDE = MODEL_LIMITS.maxHiddenLayers;

/** The persistent buffers of a batch that the training step reads and writes. */
export interface StepBuffers {
  features: GPUBuffer;
  targets: GPUBuffer;
  params: GPUBuffer;
  grads: GPUBuffer;
  m: GPUBuffer;
  v: GPUBuffer;
  indices: GPUBuffer;
  state: GPUBuffer;
  metrics: GPUBuffer;
  weights: GPUBuffer;
  settings: GPUBuffer;
  steps: GPUBuffer;
}

/** One training step of every model, recorded once and replayed K times per submit. */
export interface TrainingStep {
  dispatches: Dispatch[];
  stack: DenseStack;
  layout: ArenaLayout;
  /** The training activations, acts[0] the input batch, each [models, capacity, width]. */
  acts: GPUBuffer[];
  gather: GatherKernel;
  loss: LossKernel;
}

/** Entries per model in the class-weight table: the classes, or 2 for binary cross-entropy. */
export function weightClasses(spec: ModelSpec): number {
  return spec.loss === 'sigmoid_bce' ? 2 : spec.outputSize;
}

/**
 * Where the loss kernel finds the per-row weights in the weights buffer: after all N models'
 * class weights, one row per dataset row per model, when any model has them (models without
 * them get ones there); undefined when none has.
 */
export function rowWeightLayout(setup: BatchSetup): { offset: number; stride: number } | undefined {
  if (!setup.models.some((m) => m.rowWeights)) return undefined;
  return { offset: setup.models.length * weightClasses(setup.spec), stride: setup.data.rows };
}

/**
 * Records the dispatches of one training step for every model of `setup`: gather, optional
 * augmentation, the fused forward layers (with dropout), the loss, the backward layers and the
 * optimizer. Buffers it needs beyond `b` are created in `mem`.
 */
export function buildTrainingStep(
  device: GPUDevice,
  setup: BatchSetup,
  matmul: MatmulKernel,
  state: StateLayout,
  b: StepBuffers,
  mem: GpuBuffers,
): TrainingStep {
  const { spec, batchCapacity: cap } = setup;
  const N = setup.models.length;
  const S = GPUBufferUsage.STORAGE;
  const maxDim = device.limits.maxComputeWorkgroupsPerDimension;
  const layers = denseLayers(spec);
  const layout = arenaLayout(spec);
  const widest = Math.max(spec.inputSize, ...layers.map((l) => l.units));
  const acts = [spec.inputSize, ...layers.map((l) => l.units)].map((w, i) => mem.create(`activations ${i}`, N * cap * w * 4, S | GPUBufferUsage.COPY_SRC));
  const augment = setup.augment ?? null;
  // With augmentation the batch is gathered into its own buffer and augmented into acts[0].
  const gathered = augment ? mem.create('gathered batch', N * cap * spec.inputSize * 4, S) : acts[0]!;
  const deltas: [GPUBuffer, GPUBuffer] = [mem.create('delta 0', N * cap * widest * 4, S), mem.create('delta 1', N * cap * widest * 4, S)];
  const stack: DenseStack = { layers, layout, params: b.params, grads: b.grads, matmul, models: N };
  const gather = new GatherKernel(device, maxDim);
  const loss = new LossKernel(device);
  const dropout = dropoutPlan(device, setup, state, b.state, mem);
  const optimizer = new OptimizerKernel(device, maxDim);
  const own = (r: OwnedDispatch) => (mem.adopt(r.uniform), r.dispatch);
  const built = (r: Built) => (r.uniforms.forEach((u) => mem.adopt(u)), r.dispatches);
  const dispatches = [
    own(
      gather.dispatch(
        'train input',
        { ...state, capacity: cap, width: spec.inputSize, models: N, srcModelStride: ownFeatures(setup) ? setup.data.rows * spec.inputSize : 0 },
        {
          src: b.features,
          indices: b.indices,
          state: b.state,
          out: gathered,
        },
      ),
    ),
    ...(augment ? [own(augmentDispatch(device, augment, setup, state, b.state, gathered, acts[0]!))] : []),
    ...built(buildForward(stack, cap, acts, 'train', dropout)),
    own(
      loss.dispatch(
        'train loss',
        spec.loss,
        {
          ...state,
          capacity: cap,
          width: spec.outputSize,
          targetWidth: setup.data.targetWidth,
          mode: 'train',
          models: N,
          classes: weightClasses(spec),
          rowWeights: rowWeightLayout(setup),
        },
        {
          logits: acts[acts.length - 1]!,
          targets: b.targets,
          indices: b.indices,
          weights: b.weights,
          out: deltas[0],
          metrics: b.metrics,
          state: b.state,
        },
      ),
    ),
    ...built(buildBackward(stack, cap, acts, deltas, 'train', dropout ? { dropout } : {})),
    own(
      optimizer.dispatch(
        'arena',
        { ...state, count: layout.totalFloats, weightsEnd: layout.weightsEnd, models: N },
        {
          grads: b.grads,
          state: b.state,
          settings: b.settings,
          steps: b.steps,
          params: b.params,
          m: b.m,
          v: b.v,
        },
      ),
    ),
  ];
  return { dispatches, stack, layout, acts, gather, loss };
}

/** Whether the models carry their own copies of the features. */
export function ownFeatures(setup: BatchSetup): boolean {
  return setup.models.some((m) => m.features !== undefined);
}

function augmentDispatch(
  device: GPUDevice,
  augment: AugmentSetup,
  setup: BatchSetup,
  state: StateLayout,
  stateBuffer: GPUBuffer,
  src: GPUBuffer,
  out: GPUBuffer,
): OwnedDispatch {
  const kernel = new AugmentKernel(device, device.limits.maxComputeWorkgroupsPerDimension);
  const shape = { ...state, augment, capacity: setup.batchCapacity, width: setup.spec.inputSize, models: setup.models.length };
  return kernel.dispatch('train input', shape, { state: stateBuffer, src, out });
}

/**
 * Dropout of the batch: a rates table with every model's rate per hidden layer, and a dropped
 * copy of each hidden layer that any model drops. Undefined when no model uses dropout.
 */
function dropoutPlan(device: GPUDevice, setup: BatchSetup, state: StateLayout, stateBuffer: GPUBuffer, mem: GpuBuffers): DropoutPlan | undefined {
  const hidden = setup.spec.hidden.length;
  const rateOf = (z: number, i: number) => setup.models[z]!.dropout?.[i] ?? 0;
  const N = setup.models.length;
  const used = Array.from({ length: hidden }, (_, i) => setup.models.some((_, z) => rateOf(z, i) > 0));
  if (!used.some(Boolean)) return undefined;
  const rates = new Float32Array(N * RATE_STRIDE);
  for (let z = 0; z < N; z++) for (let i = 0; i < hidden; i++) rates[z * RATE_STRIDE + i] = rateOf(z, i);
  const units = denseLayers(setup.spec).map((l) => l.units);
  return {
    rates: mem.create('dropout rates', rates.byteLength, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST, rates),
    rateStride: RATE_STRIDE,
    state: stateBuffer,
    stateLayout: state,
    kernel: new DropoutKernel(device, device.limits.maxComputeWorkgroupsPerDimension),
    dropped: units.map((u, i) =>
      i < hidden && used[i] ? mem.create(`dropped activations ${i}`, N * setup.batchCapacity * u * 4, GPUBufferUsage.STORAGE) : null,
    ),
  };
}
