import type { ExperimentConfig } from '../config/experiment.ts';
import { loadIris } from '../data/iris.ts';
import { loadExperimentData, type MnistSource } from '../data/load.ts';
import { createGpuBackend, type GpuModel } from '../gpu/gpu-backend.ts';
import type { GpuContext } from '../gpu/device.ts';
import type { KernelFamily } from '../gpu/kernel.ts';
import { ArgmaxKernel } from '../gpu/kernels/argmax.ts';
import { initParams } from '../nn/init.ts';
import { DEFAULT_OPTIMIZER } from '../nn/optimizer.ts';
import { Rng } from '../nn/rng.ts';
import type { LayerSpec, ModelSpec } from '../nn/spec.ts';
import type { StepMetric } from '../train/training-backend.ts';
import { familiesOf, stepCatalog, type KernelEntry } from './catalog.ts';
import { checkFamily, type CheckResult } from './checks.ts';
import { compileKernel, isEdited, resetKernel, type CompileResult } from './edit.ts';
import { StepProfiler, type ProfileReport } from './profiler.ts';
import { takeSnapshot, type BufferSnapshot } from './snapshot.ts';

/** A kernel family the explorer shows: those of the training step, then argmax (not in it). */
export interface ExplorerFamily {
  name: string;
  family: KernelFamily;
  /** False for argmax, which the training step does not run. */
  inStep: boolean;
}

/** The network the explorer page trains, small enough to keep times live on a CPU adapter. */
export interface ExplorerModel {
  hidden: LayerSpec[];
  batchSize: number;
  learningRate: number;
  seed: number;
}

/** Iris, 4→16 relu→16 relu→3 softmax, Adam 0.01, batch 32. */
export const DEFAULT_EXPLORER_MODEL: ExplorerModel = {
  hidden: [
    { units: 16, activation: 'relu' },
    { units: 16, activation: 'relu' },
  ],
  batchSize: 32,
  learningRate: 0.01,
  seed: 42,
};

/**
 * The shader explorer's engine, DOM-free: one GPU model training a small Iris network on its own
 * device (no worker), the catalog of its step, a profiler on its submits, live editing, the
 * reference checks and buffer snapshots.
 */
export class ShaderExplorer {
  readonly catalog: KernelEntry[];
  readonly families: ExplorerFamily[];
  readonly profiler: StepProfiler;
  /** Every step's metrics, in order. */
  readonly steps: StepMetric[] = [];
  private readonly rng: Rng;
  private order: Uint32Array = new Uint32Array(0);
  private cursor = 0;

  private constructor(
    readonly ctx: GpuContext,
    readonly backend: GpuModel,
    private readonly train: Uint32Array,
    readonly model: ExplorerModel,
  ) {
    this.catalog = stepCatalog(backend.batch.stepDispatches);
    const argmax = new ArgmaxKernel(ctx.device);
    argmax.family.pipeline('argmax_rows'); // so an edit has a pipeline to rebuild
    this.families = [
      ...familiesOf(backend.batch.stepDispatches).map((family) => ({ name: family.name, family, inStep: true })),
      { name: 'argmax', family: argmax.family, inStep: false },
    ];
    this.profiler = new StepProfiler(ctx.device, backend.batch);
    this.profiler.attach();
    this.rng = new Rng(model.seed);
  }

  /**
   * Builds the explorer on an experiment from the playground (its data, network, optimizer,
   * batch and seed; remedies aside), so the kernels shown are those that network runs.
   */
  static async fromExperiment(ctx: GpuContext, config: ExperimentConfig, mnist: MnistSource | null = null): Promise<ShaderExplorer> {
    const data = await loadExperimentData(config, null, mnist);
    const spec: ModelSpec = { inputSize: data.dataset.inputSize, hidden: config.hidden, outputSize: data.classNames.length, loss: 'softmax_ce' };
    const rows = data.splits.train.length;
    const batchCapacity = config.batchSize === 'full' ? rows : Math.min(config.batchSize, rows);
    const backend = await createGpuBackend(ctx, {
      spec,
      data: data.dataset,
      batchCapacity,
      optimizer: config.optimizer,
      classWeights: null,
      params: initParams(spec, config.seed),
    });
    return new ShaderExplorer(ctx, backend, data.splits.train, {
      hidden: config.hidden,
      batchSize: batchCapacity,
      learningRate: config.optimizer.learningRate,
      seed: config.seed,
    });
  }

  /** Builds the Iris backend on `ctx`'s device with the profiler attached. */
  static async create(ctx: GpuContext, model: ExplorerModel = DEFAULT_EXPLORER_MODEL): Promise<ShaderExplorer> {
    const data = loadIris({ seed: model.seed });
    const spec: ModelSpec = { inputSize: data.dataset.inputSize, hidden: model.hidden, outputSize: data.classNames.length, loss: 'softmax_ce' };
    const batchCapacity = Math.min(model.batchSize, data.splits.train.length);
    const backend = await createGpuBackend(ctx, {
      spec,
      data: data.dataset,
      batchCapacity,
      optimizer: { ...DEFAULT_OPTIMIZER, learningRate: model.learningRate },
      classWeights: null,
      params: initParams(spec, model.seed),
    });
    return new ShaderExplorer(ctx, backend, data.splits.train, { ...model, batchSize: batchCapacity });
  }

  /** The family called `name`. */
  family(name: string): KernelFamily {
    const f = this.families.find((x) => x.name === name);
    if (!f) throw new Error(`no kernel family ${name}`);
    return f.family;
  }

  /** Trains `count` steps (shuffled epochs of the training split) in one submit. */
  async trainSteps(count: number): Promise<StepMetric[]> {
    const cap = this.model.batchSize;
    const batchIndices = new Uint32Array(count * cap);
    const rows = new Uint32Array(count);
    for (let s = 0; s < count; s++) {
      if (this.cursor >= this.order.length) {
        this.order = this.rng.shuffle(Uint32Array.from(this.train));
        this.cursor = 0;
      }
      const take = this.order.subarray(this.cursor, this.cursor + cap);
      batchIndices.set(take, s * cap);
      rows[s] = take.length;
      this.cursor += take.length;
    }
    const metrics = await this.backend.runSteps({ batchIndices, rows });
    this.steps.push(...metrics);
    return metrics;
  }

  /** Per-kernel times of the steps trained so far (the latest submit included). */
  async profile(): Promise<ProfileReport> {
    await this.profiler.flush();
    return this.profiler.report();
  }

  /** Compiles an edit of family `name`; on success the step runs it from the next submit. */
  compile(name: string, source: string): Promise<CompileResult> {
    return compileKernel(this.ctx.device, this.family(name), source);
  }

  /** Goes back to the shipped source of family `name`. */
  reset(name: string): boolean {
    return resetKernel(this.family(name));
  }

  /** True when family `name` runs an edited source. */
  edited(name: string): boolean {
    return isEdited(this.family(name));
  }

  /** "Does it still match?" for family `name`, with the matmul variant the backend uses. */
  check(name: string): Promise<CheckResult> {
    return checkFamily(this.ctx.device, this.family(name), { matmulVariants: [this.backend.batch.matmulVariant] });
  }

  /** Per-layer histograms of weights, gradients and activations, read back now. */
  snapshot(): Promise<BufferSnapshot> {
    return takeSnapshot(this.ctx.device, this.backend.batch.debugBuffers(), this.steps.length);
  }

  /** Releases the profiler and the backend. */
  dispose(): void {
    this.profiler.destroy();
    this.backend.dispose();
  }
}
