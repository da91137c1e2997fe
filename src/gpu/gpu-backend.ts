import type { OptimizerConfig } from '../nn/optimizer.ts';
import {
  batchOfOne,
  type BackendSetup,
  type BatchBackend,
  type BatchChunk,
  type BatchSetup,
  stateError,
  type EvalResult,
  type ModelState,
  type StepMetric,
} from '../train/training-backend.ts';
import { ModelView } from '../train/model-view.ts';
import { chooseMatmulVariant } from './autotune.ts';
import { createStepBuffers } from './batch-buffers.ts';
import { buildBatchEvaluation } from './batch-evaluation.ts';
import type { GpuContext } from './device.ts';
import { EvalRunner } from './evaluate.ts';
import { GpuBuffers } from './gpu-buffers.ts';
import { buildInScopes, GpuGuard } from './guard.ts';
import { encodeDispatches, type Dispatch } from './kernel.ts';
import { METRICS_SLOT_FLOATS } from './kernels/loss.ts';
import { MatmulKernel, type MatmulVariant } from './kernels/matmul.ts';
import { MODEL_SETTINGS_BYTES, packModelSettings, packStepFactors } from './kernels/optimizer.ts';
import { packState, stateLayout, type StateLayout } from './kernels/state.ts';
import { checkPlan, MAX_STEPS_PER_SUBMIT, planBuffers } from './plan.ts';
import { StagingPool } from './staging.ts';
import { buildTrainingStep, ownFeatures, type StepBuffers, type TrainingStep } from './training-step.ts';
import { BatchValidation } from './batch-validation.ts';

/** Options of the WebGPU backend beyond the setup. */
export interface GpuBackendOptions {
  /** Forces a matmul strategy; by default the one a timed trial picks for this device (see autotune.ts). */
  matmul?: MatmulVariant;
}

/**
 * Builds the WebGPU backend of a batch: checks every buffer of all N models against the device
 * limits before allocating anything (naming how many models would fit), uploads the dataset
 * once, and records one training step of every model as a fixed list of dispatches that K steps
 * replay inside one command buffer.
 */
export async function createGpuBatchBackend(ctx: GpuContext, setup: BatchSetup, options: GpuBackendOptions = {}): Promise<GpuBatchBackend> {
  const { spec, data, batchCapacity, models } = setup;
  if (models.length < 1) throw new Error('a batch needs at least one model');
  const rowWeights = models.some((m) => m.rowWeights);
  const shape = { rows: data.rows, targetWidth: data.targetWidth, capacity: batchCapacity, models: models.length, ownFeatures: ownFeatures(setup), rowWeights };
  checkPlan(planBuffers(spec, shape), ctx.device.limits, models.length);
  const variant = options.matmul ?? (await chooseMatmulVariant(ctx)).variant;
  return buildInScopes(
    ctx,
    models.length > 1 ? `Creating ${models.length} GPU models` : 'Creating the GPU model',
    (mem) => new GpuBatchBackend(ctx, setup, variant, mem),
  );
}

/** One model on the WebGPU engine: a batch of one, seen as a single model. */
export type GpuModel = ModelView<GpuBatchBackend>;

/** Builds one model on the WebGPU engine (a batch of one). */
export async function createGpuBackend(ctx: GpuContext, setup: BackendSetup, options: GpuBackendOptions = {}): Promise<GpuModel> {
  return new ModelView(await createGpuBatchBackend(ctx, batchOfOne(setup), options));
}

/** The WebGPU implementation of BatchBackend: N models of one shape in the same dispatches. */
export class GpuBatchBackend implements BatchBackend {
  readonly kind = 'webgpu' as const;
  readonly label: string;
  readonly models: number;
  /** The dispatches of one training step of every model, in order (for the shader explorer and benchmarks). */
  readonly stepDispatches: Dispatch[];
  /**
   * Records the steps of one submit into `encoder` instead of the default single compute pass.
   * The shader explorer's profiler sets it to give each dispatch its own timed pass; it must
   * record (or submit) every dispatch of every step, in order. A recorder that returns a promise
   * delays the readback submit until it settles, so its caller must await each runSteps before
   * the next (the explorer does); a synchronous one keeps runSteps' ordering as it is.
   */
  stepRecorder: ((encoder: GPUCommandEncoder, dispatches: readonly Dispatch[], steps: number) => void | Promise<void>) | null = null;
  private readonly device: GPUDevice;
  private readonly guard: GpuGuard;
  private readonly b: StepBuffers;
  private readonly step: TrainingStep;
  private readonly state: StateLayout;
  private readonly staging: StagingPool;
  private readonly evalRunner: EvalRunner;
  private readonly predictRunner: EvalRunner;
  private readonly arenaFloats: number;
  private readonly cfgs: OptimizerConfig[];
  /** Each model's optimizer step count, as the GPU will have it once everything submitted has run. */
  private readonly t: number[];
  private predictSource: GPUBuffer | null = null;
  /** Scores each model's validation rows inside training submits. */
  private readonly validation: BatchValidation;

  constructor(
    ctx: GpuContext,
    private readonly setup: BatchSetup,
    readonly matmulVariant: MatmulVariant,
    private readonly mem: GpuBuffers,
  ) {
    this.device = ctx.device;
    this.guard = new GpuGuard(ctx, 'GPU model');
    this.label = `WebGPU · ${ctx.adapterName}`;
    this.models = setup.models.length;
    this.arenaFloats = setup.models[0]!.params.length;
    this.cfgs = setup.models.map((m) => ({ ...m.optimizer }));
    this.t = setup.models.map(() => 0);
    this.state = stateLayout(MAX_STEPS_PER_SUBMIT);
    this.b = createStepBuffers(setup, mem, this.state, this.cfgs);
    const matmul = new MatmulKernel(this.device, matmulVariant);
    this.step = buildTrainingStep(this.device, setup, matmul, this.state, this.b, mem);
    this.stepDispatches = this.step.dispatches;
    this.staging = new StagingPool(this.device);
    const evaluation = buildBatchEvaluation(this.device, setup, this.step, this.b, this.staging, this.guard, mem);
    this.evalRunner = evaluation.evalRunner;
    this.predictRunner = evaluation.predictRunner;
    this.validation = new BatchValidation(this.device, evaluation.validationContext, this.models);
  }

  async setValidation(lists: readonly Uint32Array[]): Promise<void> {
    this.guard.check();
    await this.validation.set(lists);
  }

  async runSteps(chunk: BatchChunk): Promise<StepMetric[][]> {
    this.guard.check();
    const { steps } = chunk;
    const cap = this.setup.batchCapacity;
    if (steps < 1 || steps > MAX_STEPS_PER_SUBMIT) throw new Error(`a chunk holds 1 to ${MAX_STEPS_PER_SUBMIT} steps, got ${steps}`);
    if (chunk.rows.length !== this.models * steps || chunk.batchIndices.length < this.models * steps * cap)
      throw new Error(`a chunk of ${steps} steps needs rows and indices for ${this.models} models`);
    const passes = this.validation.stepsOf(chunk);
    const q = this.device.queue;
    for (let z = 0; z < this.models; z++) q.writeBuffer(this.b.indices, z * this.state.slots * cap * 4, chunk.batchIndices, z * steps * cap, steps * cap);
    const seeds = this.setup.models.map((m) => m.seeds);
    q.writeBuffer(this.b.state, 0, packState(this.state, this.t, seeds, chunk.rows, steps));
    q.writeBuffer(this.b.steps, 0, packStepFactors(this.cfgs, this.t, chunk.rows, steps, this.state.slots, chunk.learningRates));
    const encoder = this.device.createCommandEncoder({ label: `train ${steps} steps` });
    if (this.stepRecorder) {
      if (passes.length) throw new Error('a step recorder cannot record validation passes');
      const recorded = this.stepRecorder(encoder, this.stepDispatches, steps);
      if (recorded) await recorded;
    } else {
      const pass = encoder.beginComputePass({ label: `train ${steps} steps` });
      for (let s = 0; s < steps; s++) {
        encodeDispatches(pass, this.stepDispatches);
        if (passes.some((p) => p.step === s)) this.validation.current!.encode(pass);
      }
      pass.end();
    }
    const metricsBytes = this.models * this.state.slots * METRICS_SLOT_FLOATS * 4;
    const parts = [{ buffer: this.b.metrics, size: metricsBytes }];
    if (passes.length) parts.push({ buffer: this.validation.current!.metrics, size: this.validation.current!.metricsBytes });
    const bytes = await this.guard.run(this.staging.read(parts, encoder));
    const m = new Float32Array(bytes, 0, metricsBytes / 4);
    const scores = passes.length ? new Float32Array(bytes, metricsBytes) : null;
    return Array.from({ length: this.models }, (_, z) =>
      Array.from({ length: steps }, (_, s) => {
        const rows = chunk.rows[z * steps + s]!;
        const o = (z * this.state.slots + s) * METRICS_SLOT_FLOATS;
        const metric: StepMetric = { loss: rows ? m[o]! / rows : 0, correct: m[o + 1]!, rows };
        const p = passes.findIndex((x) => x.step === s);
        if (scores && p >= 0 && passes[p]!.models[z]) metric.validation = this.validation.current!.score(scores, z, p);
        return metric;
      }),
    );
  }

  async evaluate(indices: readonly Uint32Array[]): Promise<EvalResult[]> {
    this.guard.check();
    const totals = await this.evalRunner.run(indices);
    return totals.map((t, z) => {
      const rows = indices[z]!.length;
      return { loss: rows ? t.lossSum / rows : NaN, correct: t.correct, rows, outputs: t.outputs };
    });
  }

  async predict(features: Float32Array, rows: number): Promise<Float32Array[]> {
    this.guard.check();
    if (!this.predictSource || this.predictSource.size < features.byteLength) {
      if (this.predictSource) this.mem.release(this.predictSource);
      this.predictSource = this.mem.create('predict input', features.byteLength, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
      this.predictRunner.setSource(this.predictSource);
    }
    this.device.queue.writeBuffer(this.predictSource, 0, features);
    const all = Uint32Array.from({ length: rows }, (_, i) => i);
    const totals = await this.predictRunner.run(Array.from({ length: this.models }, () => all));
    return totals.map((t) => t.outputs);
  }

  setOptimizer(model: number, cfg: OptimizerConfig): void {
    this.checkModel(model);
    if (cfg.kind !== this.cfgs[model]!.kind) throw new Error('changing the optimizer kind needs a new model');
    this.cfgs[model] = { ...cfg };
    this.device.queue.writeBuffer(this.b.settings, model * MODEL_SETTINGS_BYTES, packModelSettings([cfg]));
  }

  async readParams(model?: number): Promise<Float32Array> {
    this.guard.check();
    const bytes = this.arenaFloats * 4;
    if (model === undefined) return new Float32Array(await this.guard.run(this.staging.read([{ buffer: this.b.params, size: bytes * this.models }])));
    this.checkModel(model);
    return new Float32Array(await this.guard.run(this.staging.read([{ buffer: this.b.params, size: bytes, offset: model * bytes }])));
  }

  async writeParams(model: number, params: Float32Array): Promise<void> {
    this.guard.check();
    this.checkModel(model);
    if (params.length !== this.arenaFloats) throw new Error(`the parameters have ${params.length} values but this network's arena holds ${this.arenaFloats}`);
    const bytes = this.arenaFloats * 4;
    this.device.queue.writeBuffer(this.b.params, model * bytes, params);
    const encoder = this.device.createCommandEncoder({ label: 'reset optimizer state' });
    encoder.clearBuffer(this.b.m, model * bytes, bytes);
    encoder.clearBuffer(this.b.v, model * bytes, bytes);
    this.device.queue.submit([encoder.finish()]);
    this.t[model] = 0;
  }

  async writeParam(model: number, index: number, value: number): Promise<void> {
    this.guard.check();
    this.checkModel(model);
    if (!Number.isInteger(index) || index < 0 || index >= this.arenaFloats) throw new Error(`no value ${index} in an arena of ${this.arenaFloats}`);
    this.device.queue.writeBuffer(this.b.params, (model * this.arenaFloats + index) * 4, Float32Array.of(value));
  }

  async readState(model: number): Promise<ModelState> {
    this.guard.check();
    this.checkModel(model);
    const bytes = this.arenaFloats * 4;
    const t = this.t[model]!;
    const optimizer = { ...this.cfgs[model]! };
    const at = model * bytes;
    const all = new Float32Array(
      await this.guard.run(this.staging.read([this.b.params, this.b.m, this.b.v].map((buffer) => ({ buffer, size: bytes, offset: at })))),
    );
    const n = this.arenaFloats;
    return { params: all.slice(0, n), m: all.slice(n, 2 * n), v: all.slice(2 * n, 3 * n), t, optimizer };
  }

  async writeState(model: number, state: ModelState): Promise<void> {
    this.guard.check();
    this.checkModel(model);
    const bad = stateError(state, this.arenaFloats);
    if (bad) throw bad;
    this.setOptimizer(model, state.optimizer);
    const at = model * this.arenaFloats * 4;
    this.device.queue.writeBuffer(this.b.params, at, state.params);
    this.device.queue.writeBuffer(this.b.m, at, state.m);
    this.device.queue.writeBuffer(this.b.v, at, state.v);
    this.t[model] = state.t;
  }

  private checkModel(model: number): void {
    if (!Number.isInteger(model) || model < 0 || model >= this.models) throw new Error(`no model ${model} in a batch of ${this.models}`);
  }

  /**
   * The buffers a debugger may read back (the shader explorer's buffer inspector): the params and
   * grads arenas (model z's at z·arenaFloats, layout from arenaLayout(spec)) and the training
   * activations, acts[0] the input batch and acts[i + 1] layer i's output, each
   * [models, batchCapacity, width] row-major.
   */
  debugBuffers(): { params: GPUBuffer; grads: GPUBuffer; activations: GPUBuffer[]; spec: BatchSetup['spec']; batchCapacity: number; arenaFloats: number } {
    return {
      params: this.b.params,
      grads: this.b.grads,
      activations: this.step.acts,
      spec: this.setup.spec,
      batchCapacity: this.setup.batchCapacity,
      arenaFloats: this.arenaFloats,
    };
  }

  /** Bytes of GPU memory held by the batch's persistent buffers. */
  gpuBytes(): number {
    return this.mem.bytes() + this.validation.bytes();
  }

  dispose(): void {
    if (this.guard.disposed) return;
    this.guard.disposed = true;
    this.mem.destroy();
    this.validation.destroy();
    this.evalRunner.destroy();
    this.predictRunner.destroy();
    this.staging.destroy();
  }
}
