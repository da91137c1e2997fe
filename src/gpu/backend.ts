import type { OptimizerConfig } from '../nn/optimizer.ts';
import { arenaLayout } from '../nn/arena.ts';
import { denseLayers } from '../nn/spec.ts';
import type { BackendSetup, EvalResult, StepChunk, StepMetric, TrainingBackend } from '../train/backend.ts';
import { chooseMatmulVariant } from './autotune.ts';
import { withErrorScopes, type GpuContext } from './device.ts';
import { EvalRunner } from './evaluate.ts';
import { encodeDispatches, type Dispatch } from './kernel.ts';
import { AugmentKernel } from './kernels/augment.ts';
import { GatherKernel } from './kernels/gather.ts';
import { LossKernel, METRICS_SLOT_FLOATS, STATE_HEADER_WORDS } from './kernels/loss.ts';
import { MatmulKernel, type MatmulVariant } from './kernels/matmul.ts';
import { OptimizerKernel } from './kernels/optimizer.ts';
import { buildBackward, buildForward, type Built, type DenseStack, type DropoutPlan } from './network.ts';
import { DropoutKernel } from './kernels/dropout.ts';
import { checkPlan, MAX_STEPS_PER_SUBMIT, planBuffers } from './plan.ts';
import { StagingPool } from './staging.ts';
import { abandonDevice, DeadlineError } from './deadline.ts';

/** Rows per evaluation chunk (at least the batch capacity). */
export const EVAL_CAPACITY = 512;


/** Options of the WebGPU backend beyond the shared setup. */
export interface GpuBackendOptions {
  /** Forces a matmul strategy; by default the one a timed trial picks for this device (see autotune.ts). */
  matmul?: MatmulVariant;
}

/**
 * Builds the WebGPU training backend: checks every buffer against the device limits before
 * allocating anything, uploads the dataset once, and records the training step as a fixed list
 * of dispatches that K steps replay inside one command buffer.
 */
export async function createGpuBackend(ctx: GpuContext, setup: BackendSetup, options: GpuBackendOptions = {}): Promise<GpuBackend> {
  const { spec, data, batchCapacity } = setup;
  checkPlan(planBuffers(spec, data.rows, data.targetWidth, batchCapacity), ctx.device.limits);
  const variant = options.matmul ?? (await chooseMatmulVariant(ctx)).variant;
  let backend: GpuBackend | null = null;
  try {
    return await withErrorScopes(ctx.device, 'Creating the GPU model', () => (backend = new GpuBackend(ctx, setup, variant)));
  } catch (e) {
    // A failed allocation must not leave the buffers created before it behind.
    (backend as GpuBackend | null)?.dispose();
    throw e;
  }
}

/** The WebGPU implementation of TrainingBackend. */
export class GpuBackend implements TrainingBackend {
  readonly kind = 'webgpu' as const;
  readonly label: string;
  /** The dispatches of one training step, in order (for the shader explorer and benchmarks). */
  readonly stepDispatches: Dispatch[];
  private readonly device: GPUDevice;
  private readonly buffers: GPUBuffer[] = [];
  private readonly optimizer: OptimizerKernel;
  private readonly staging: StagingPool;
  private readonly evalRunner: EvalRunner;
  private readonly predictRunner: EvalRunner;
  private readonly b: Record<'features' | 'targets' | 'params' | 'grads' | 'm' | 'v' | 'indices' | 'state' | 'metrics' | 'weights', GPUBuffer>;
  private predictSource: GPUBuffer | null = null;
  /** The training activations, acts[0] the input batch (for debugBuffers). */
  private trainActs: GPUBuffer[] = [];
  /**
   * Records the steps of one submit into `encoder` instead of the default single compute pass.
   * The shader explorer's profiler sets it to give each dispatch its own timed pass; it must
   * record (or submit) every dispatch of every step, in order. A recorder that returns a promise
   * delays the readback submit until it settles, so its caller must await each runSteps before
   * the next (the explorer does); a synchronous one keeps runSteps' ordering as it is.
   */
  stepRecorder: ((encoder: GPUCommandEncoder, dispatches: readonly Dispatch[], steps: number) => void | Promise<void>) | null = null;
  private disposed = false;

  constructor(
    private readonly ctx: GpuContext,
    private readonly setup: BackendSetup,
    readonly matmulVariant: MatmulVariant,
  ) {
    const { spec, data, batchCapacity: cap } = setup;
    // Read here, not at module level: the module must load where WebGPU is absent (CPU fallback).
    const [S, DST, SRC] = [GPUBufferUsage.STORAGE, GPUBufferUsage.COPY_DST, GPUBufferUsage.COPY_SRC];
    this.device = ctx.device;
    this.label = `WebGPU · ${ctx.adapterName}`;
    const arenaBytes = setup.params.byteLength;
    const weights = setup.classWeights ?? new Float32Array(spec.loss === 'sigmoid_bce' ? 2 : spec.outputSize).fill(1);
    this.b = {
      features: this.create('dataset features', data.features.byteLength, S | DST, data.features),
      targets: this.create('dataset targets', data.targets.byteLength, S | DST, data.targets),
      params: this.create('params arena', arenaBytes, S | DST | SRC, setup.params),
      grads: this.create('grads arena', arenaBytes, S | DST | SRC),
      m: this.create('m arena', arenaBytes, S | DST),
      v: this.create('v arena', arenaBytes, S | DST),
      indices: this.create('batch indices', MAX_STEPS_PER_SUBMIT * cap * 4, S | DST),
      state: this.create('step state', (STATE_HEADER_WORDS + MAX_STEPS_PER_SUBMIT) * 4, S | DST | SRC),
      metrics: this.create('step metrics', MAX_STEPS_PER_SUBMIT * METRICS_SLOT_FLOATS * 4, S | SRC),
      weights: this.create('class weights', weights.byteLength, S | DST, weights),
    };
    const layers = denseLayers(spec);
    const widest = Math.max(spec.inputSize, ...layers.map((l) => l.units));
    const acts = [spec.inputSize, ...layers.map((l) => l.units)].map((w, i) => this.create(`activations ${i}`, cap * w * 4, S | SRC));
    // With augmentation the batch is gathered into its own buffer and augmented into acts[0].
    const augment = setup.augment ?? null;
    const gathered = augment ? this.create('gathered batch', cap * spec.inputSize * 4, S) : acts[0]!;
    this.trainActs = acts;
    const deltas: [GPUBuffer, GPUBuffer] = [this.create('delta 0', cap * widest * 4, S), this.create('delta 1', cap * widest * 4, S)];
    const maxDim = this.device.limits.maxComputeWorkgroupsPerDimension;
    const matmul = new MatmulKernel(this.device, matmulVariant);
    const gather = new GatherKernel(this.device, maxDim);
    const loss = new LossKernel(this.device);
    const layout = arenaLayout(spec);
    const stack: DenseStack = { layers, layout, params: this.b.params, grads: this.b.grads, matmul };
    const built = (b: Built) => (this.buffers.push(...b.uniforms), b.dispatches);
    const rates = setup.dropout ?? [];
    const dropout: DropoutPlan | undefined = rates.some((p) => p > 0)
      ? {
          rates,
          seed: setup.dropoutSeed ?? 0,
          state: this.b.state,
          kernel: new DropoutKernel(this.device, maxDim),
          dropped: layers.map((l, i) => (i < layers.length - 1 && (rates[i] ?? 0) > 0 ? this.create(`dropped activations ${i}`, cap * l.units * 4, S) : null)),
        }
      : undefined;
    this.optimizer = new OptimizerKernel(this.device, setup.params.length, layout.weightsEnd, maxDim);
    const logits = acts[acts.length - 1]!;
    const own = (r: { dispatch: Dispatch; uniform: GPUBuffer }) => (this.buffers.push(r.uniform), r.dispatch);
    this.stepDispatches = [
      own(gather.dispatch('train input', cap, spec.inputSize, this.b.features, this.b.indices, this.b.state, gathered)),
      ...(augment ? [own(new AugmentKernel(this.device, maxDim).dispatch('train input', augment, cap, spec.inputSize, this.b.state, gathered, acts[0]!))] : []),
      ...built(buildForward(stack, cap, acts, 'train', dropout)),
      own(loss.dispatch('train loss', spec.loss, { capacity: cap, width: spec.outputSize, targetWidth: data.targetWidth, mode: 'train' }, {
        logits, targets: this.b.targets, indices: this.b.indices, classWeights: this.b.weights, out: deltas[0], metrics: this.b.metrics, state: this.b.state,
      })),
      ...built(buildBackward(stack, cap, acts, deltas, 'train', dropout ? { dropout } : {})),
      own(this.optimizer.dispatch(setup.optimizer, { params: this.b.params, grads: this.b.grads, m: this.b.m, v: this.b.v, state: this.b.state })),
    ];
    this.staging = new StagingPool(this.device);
    // Evaluation gets its own, wider activations so that a validation split or a boundary grid
    // takes few chunks whatever the training batch size.
    const evalCap = Math.max(cap, EVAL_CAPACITY);
    const evalActs = [spec.inputSize, ...layers.map((l) => l.units)].map((w, i) => this.create(`eval activations ${i}`, evalCap * w * 4, S | SRC));
    const evalForward = built(buildForward(stack, evalCap, evalActs, 'eval'));
    const evalContext = {
      device: this.device, kind: spec.loss, capacity: evalCap, inputSize: spec.inputSize, outputSize: spec.outputSize,
      targetWidth: data.targetWidth, forward: evalForward, input: evalActs[0]!, logits: evalActs[evalActs.length - 1]!, targets: this.b.targets,
      classWeights: this.b.weights, gather, loss, staging: this.staging,
    };
    this.evalRunner = new EvalRunner(evalContext, 'eval', this.b.features);
    this.predictRunner = new EvalRunner(evalContext, 'predict', this.b.features);
  }

  private create(label: string, size: number, usage: number, data?: Float32Array): GPUBuffer {
    const buffer = this.device.createBuffer({ label, size: Math.max(16, Math.ceil(size / 4) * 4), usage });
    if (data) this.device.queue.writeBuffer(buffer, 0, data);
    this.buffers.push(buffer);
    return buffer;
  }

  private check(): void {
    if (this.disposed) throw new Error('This GPU model was disposed');
    if (this.ctx.failure) throw this.ctx.failure;
  }

  /**
   * Awaits GPU work; if it fails, reports the device's own failure (lost device, uncaptured
   * error) when there is one, since that says more than a rejected mapAsync. Work that missed
   * its deadline gives up on the device: it becomes a lost device, resumed on a fresh one.
   */
  private async guard<T>(work: Promise<T>): Promise<T> {
    let value: T;
    try {
      value = await work;
    } catch (e) {
      if (e instanceof DeadlineError) abandonDevice(this.ctx, e);
      await Promise.race([this.device.lost, new Promise((r) => setTimeout(r, 200))]);
      throw this.ctx.failure ?? e;
    }
    this.check();
    return value;
  }

  async runSteps(chunk: StepChunk): Promise<StepMetric[]> {
    this.check();
    const steps = chunk.rows.length;
    if (steps < 1 || steps > MAX_STEPS_PER_SUBMIT) throw new Error(`a chunk holds 1 to ${MAX_STEPS_PER_SUBMIT} steps, got ${steps}`);
    const q = this.device.queue;
    q.writeBuffer(this.b.indices, 0, chunk.batchIndices);
    // Offset 4 skips t, which lives on the GPU and only the loss kernel advances.
    q.writeBuffer(this.b.state, 4, new Uint32Array([0, ...chunk.rows]));
    const encoder = this.device.createCommandEncoder({ label: `train ${steps} steps` });
    if (this.stepRecorder) {
      const recorded = this.stepRecorder(encoder, this.stepDispatches, steps);
      if (recorded) await recorded;
    } else {
      const pass = encoder.beginComputePass({ label: `train ${steps} steps` });
      for (let s = 0; s < steps; s++) encodeDispatches(pass, this.stepDispatches);
      pass.end();
    }
    const bytes = await this.guard(this.staging.read([{ buffer: this.b.metrics, size: steps * METRICS_SLOT_FLOATS * 4 }], encoder));
    const m = new Float32Array(bytes);
    const out: StepMetric[] = [];
    for (let s = 0; s < steps; s++) {
      const rows = chunk.rows[s]!;
      out.push({ loss: m[s * METRICS_SLOT_FLOATS]! / rows, correct: m[s * METRICS_SLOT_FLOATS + 1]!, rows });
    }
    return out;
  }

  async evaluate(indices: Uint32Array): Promise<EvalResult> {
    this.check();
    const t = await this.guard(this.evalRunner.run(indices));
    const rows = indices.length;
    return { loss: rows ? t.lossSum / rows : NaN, correct: t.correct, rows, outputs: t.outputs };
  }

  async predict(features: Float32Array, rows: number): Promise<Float32Array> {
    this.check();
    if (!this.predictSource || this.predictSource.size < features.byteLength) {
      this.predictSource?.destroy();
      this.predictSource = this.create('predict input', features.byteLength, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
      this.predictRunner.setSource(this.predictSource);
    }
    this.device.queue.writeBuffer(this.predictSource, 0, features);
    const t = await this.guard(this.predictRunner.run(Uint32Array.from({ length: rows }, (_, i) => i)));
    return t.outputs;
  }

  setOptimizer(cfg: OptimizerConfig): void {
    if (cfg.kind !== this.setup.optimizer.kind) throw new Error('changing the optimizer kind needs a new model');
    this.optimizer.update(cfg);
  }

  async readParams(): Promise<Float32Array> {
    this.check();
    return new Float32Array(await this.guard(this.staging.read([{ buffer: this.b.params, size: this.setup.params.byteLength }])));
  }

  async writeParams(params: Float32Array): Promise<void> {
    this.check();
    const q = this.device.queue;
    q.writeBuffer(this.b.params, 0, params);
    q.writeBuffer(this.b.state, 0, new Uint32Array([0]));
    const encoder = this.device.createCommandEncoder({ label: 'reset optimizer state' });
    encoder.clearBuffer(this.b.m);
    encoder.clearBuffer(this.b.v);
    q.submit([encoder.finish()]);
  }

  /**
   * The buffers a debugger may read back (the shader explorer's buffer inspector): the params and
   * grads arenas (layout from arenaLayout(spec)) and the training activations, acts[0] the input
   * batch and acts[i + 1] layer i's output, each [batchCapacity, width] row-major.
   */
  debugBuffers(): { params: GPUBuffer; grads: GPUBuffer; activations: GPUBuffer[]; spec: BackendSetup['spec']; batchCapacity: number; arenaFloats: number } {
    return { params: this.b.params, grads: this.b.grads, activations: this.trainActs, spec: this.setup.spec, batchCapacity: this.setup.batchCapacity, arenaFloats: this.setup.params.length };
  }

  /** Bytes of GPU memory held by this model's persistent buffers. */
  gpuBytes(): number {
    return this.buffers.reduce((sum, b) => sum + b.size, 0);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const b of this.buffers) b.destroy();
    this.evalRunner.destroy();
    this.predictRunner.destroy();
    this.staging.destroy();
  }
}
