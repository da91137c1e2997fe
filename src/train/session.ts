import { remediesOf, taskOf, validateExperiment, type ExperimentConfig } from '../config/experiment.ts';
import type { Task } from '../config/task.ts';
import type { DataSplits, LabeledTable } from '../data/dataset.ts';
import { loadExperimentData, type LoadedData, type MnistSource } from '../data/load.ts';
import { createGpuBackend } from '../gpu/gpu-backend.ts';
import type { GpuContext } from '../gpu/device.ts';
import { arenaLayout, parameterCount } from '../nn/arena.ts';
import { initParams } from '../nn/init.ts';
import type { ModelSpec } from '../nn/spec.ts';
import { experimentSpec } from './model-spec.ts';
import { batchOfOne, type BackendSetup, type BatchBackend, type EvalResult, type TrainingBackend } from './training-backend.ts';
import { backendStateOf, chooseBackend, cpuBackend } from './backend-choice.ts';
import type { BackendTrial } from './backend-trial.ts';
import { cpuFirst, decideBehind, type BackendState, type BackendStatus } from './background-choice.ts';
import type { TrialStore } from './trial-store.ts';
import { ModelView } from './model-view.ts';
import { plotPoints, splitLabels, type PlotPoints } from './plot-points.ts';
import { regressionInfo, valueGrid, type RegressionInfo } from './regression-view.ts';
import { boundaryFeatures, boundaryFromProbabilities, type BoundaryGrid } from './boundary.ts';
import { neuronMaps, type NeuronMaps } from './neuron-maps.ts';
import type { HealthReport } from './health.ts';
import { HealthReader, writeTypedWeight } from './session-views.ts';
import { ganOversample, type GanOversampleReport } from './gan-oversample.ts';
import { remedySetup } from './remedies.ts';
import { Trainer } from './trainer.ts';

/** What the UI shows about a running experiment. */
export interface SessionInfo {
  backend: 'webgpu' | 'cpu';
  backendLabel: string;
  /** Why the CPU runs although WebGPU was asked for or preferred; null otherwise. */
  fallbackReason: string | null;
  /** What trains now (`trial`: the CPU, while Auto decides behind it); see BackendState. */
  backendState: BackendState;
  /** Words for the backend's moment ("CPU now, trying WebGPU…"), or null. */
  backendNote: string | null;
  /**
   * What Auto's timed trial measured on both backends and chose (e.g. "WebGPU 0.94 ms/step,
   * CPU 0.59 ms/step → CPU"); null when a backend was forced or WebGPU is missing.
   */
  backendTrial: BackendTrial | null;
  spec: ModelSpec;
  parameterCount: number;
  stepsPerEpoch: number;
  rows: { train: number; validation: number; test: number };
  classNames: string[];
  featureNames: string[];
  /** True labels of the evaluation splits, for the metrics panel. */
  labels: { validation: Uint32Array; test: Uint32Array };
  /** For 2-D data: raw points, their labels and split (0 train, 1 validation, 2 test), and the plot bounds. */
  points: PlotPoints | null;
  /** What GAN oversampling added to the training split, when it is on. */
  synthetic: GanOversampleReport | null;
  /** What the model predicts: a class, or a number (then `regression` is set). */
  task: Task;
  /** Regression only: the target's scale and the raw targets of the evaluation splits; null for a classifier. */
  regression: RegressionInfo | null;
}

export type { BoundaryGrid, PlotBounds } from './boundary.ts';
export type { RegressionInfo } from './regression-view.ts';

/** How a session is built. */
export interface SessionOptions {
  /**
   * With backend `auto`: train on the CPU at once and leave the choice to decideBackend, which
   * runs Auto's trial behind the training (the engine's widgets); otherwise the trial runs first.
   */
  startOnCpu?: boolean;
}

/**
 * One experiment: its data, model, backend and trainer, built from a validated config. With
 * backend `auto`, a timed trial picks the faster of WebGPU and the CPU (see backend-trial.ts), and
 * a missing or refused WebGPU falls back to the CPU and says why.
 */
export class Session {
  private constructor(
    readonly config: ExperimentConfig,
    readonly data: LoadedData,
    private readonly setup: BackendSetup,
    readonly trainer: Trainer,
    readonly info: SessionInfo,
  ) {}

  /** Builds a session; `gpu` is asked for a device only when WebGPU may be used. */
  static async create(
    config: ExperimentConfig,
    gpu: () => Promise<GpuContext>,
    custom: LabeledTable | null = null,
    mnist: MnistSource | null = null,
    options: SessionOptions = {},
  ): Promise<Session> {
    validateExperiment(config);
    return Session.fromData(config, gpu, await loadExperimentData(config, custom, mnist), options);
  }

  /**
   * Builds a session on data already loaded, e.g. one cross-validation fold or a bagging
   * sample: `data.splits.train` may repeat rows. The remedies of `config` apply.
   */
  static async fromData(config: ExperimentConfig, gpu: () => Promise<GpuContext>, data: LoadedData, options: SessionOptions = {}): Promise<Session> {
    validateExperiment(config);
    const gan = remediesOf(config).ganOversample;
    let synthetic: GanOversampleReport | null = null;
    if (gan) ({ data, report: synthetic } = await ganOversample(data, { iterations: gan.iterations, seed: config.seed, backend: config.backend }, gpu));
    const spec = experimentSpec(config, data);
    const remedies = remedySetup(remediesOf(config), data, config.seed);
    const epochRows = remedies.epochRows;
    const batchSize = config.batchSize === 'full' ? epochRows : Math.min(config.batchSize, epochRows);
    const setup: BackendSetup = {
      spec,
      data: data.dataset,
      batchCapacity: batchSize,
      optimizer: config.optimizer,
      classWeights: remedies.classWeights,
      params: initParams(spec, config.seed),
    };
    if (remedies.dropout) Object.assign(setup, { dropout: remedies.dropout, dropoutSeed: config.seed });
    if (remedies.augment) setup.augment = remedies.augment;
    const behind = config.backend === 'auto' && options.startOnCpu === true ? await cpuFirst(setup) : null;
    const chosen = behind ?? (await chooseBackend(batchOfOne(setup), config.backend, gpu));
    const backend: TrainingBackend = new ModelView(chosen.backend);
    const fallbackReason = chosen.fallbackReason;
    const trainer = new Trainer(
      backend,
      data.splits,
      { batchSize, seed: config.seed, stepsPerSubmit: 16, classification: spec.loss !== 'mse', ...remedies.trainer, optimizer: config.optimizer },
      setup.params,
    );
    const info: SessionInfo = {
      backend: backend.kind,
      backendLabel: backend.label,
      fallbackReason,
      backendState: behind ? 'trial' : backendStateOf(chosen.backend),
      backendNote: behind ? 'CPU now, trying WebGPU…' : null,
      backendTrial: chosen.trial,
      spec,
      parameterCount: parameterCount(arenaLayout(spec)),
      stepsPerEpoch: trainer.stepsPerEpoch,
      rows: { train: data.splits.train.length, validation: data.splits.validation.length, test: data.splits.test.length },
      classNames: data.classNames,
      featureNames: data.featureNames,
      labels: { validation: splitLabels(data.table, data.splits.validation), test: splitLabels(data.table, data.splits.test) },
      task: taskOf(config),
      regression: regressionInfo(data),
      points: data.table.inputSize === 2 ? plotPoints(data) : null,
      synthetic,
    };
    return new Session(config, data, setup, trainer, info);
  }

  private disposed = false;

  /** True while Auto's decision waits to be made behind the CPU training (see decideBackend). */
  get deciding(): boolean {
    return this.info.backendState === 'trial';
  }

  /**
   * Auto's decision for a session built with `startOnCpu`: runs the trial (or recalls it from
   * `store`) behind the training and, if WebGPU wins, moves the run there with its whole state.
   * `report` hears each change of the backend status. Never rejects; does nothing when not deciding.
   */
  async decideBackend(
    gpu: () => Promise<GpuContext>,
    store: TrialStore,
    report: (status: BackendStatus) => void,
    options: { prepare?: (ctx: GpuContext) => Promise<void>; deadlineMs?: number } = {},
  ): Promise<void> {
    if (!this.deciding) return;
    const { backend, backendLabel, backendState, backendNote, backendTrial, fallbackReason } = this.info;
    await decideBehind({
      setup: batchOfOne(this.setup),
      gpu,
      store,
      live: () => !this.disposed,
      adopt: (next, wanted) => this.adopt(next, wanted),
      current: { backend, backendLabel, backendState, backendNote, backendTrial, fallbackReason },
      report: (status) => {
        Object.assign(this.info, status);
        report(status);
      },
      ...options,
    });
  }

  /** Moves training to `next` at the trainer's next boundary; frees the backend it left. */
  private async adopt(next: BatchBackend, wanted: () => boolean): Promise<boolean> {
    const left = await this.trainer.offerBackend(next, () => wanted() && !this.disposed);
    if (!left) return false;
    left.dispose();
    // Disposed while the state moved: the new backend is the one to free now.
    if (this.disposed) this.trainer.backend.dispose();
    return true;
  }

  /** The backend training now (a new one after a recovery). */
  get backend(): TrainingBackend {
    return this.trainer.backend;
  }

  /**
   * Continues after a lost GPU device: a fresh device and backend start from the last CPU-side
   * checkpoint (at most CHECKPOINT_EVERY steps plus one submit old). Resolves with that step.
   */
  async recover(gpu: () => Promise<GpuContext>): Promise<number> {
    const checkpoint = this.trainer.lastCheckpoint;
    const old = this.trainer.backend;
    const setup = { ...this.setup, params: checkpoint.params };
    const fresh = old.kind === 'cpu' ? new ModelView(await cpuBackend(batchOfOne(setup))) : await createGpuBackend(await gpu(), setup);
    await this.trainer.restore(checkpoint, fresh);
    old.dispose();
    Object.assign(this.info, { backendLabel: fresh.label, backendState: backendStateOf(fresh.batch) });
    return checkpoint.step;
  }

  /**
   * The model's predicted class over a grid covering the 2-D data, for the decision boundary.
   * Grid points are standardized with the training statistics, like the data the model saw.
   */
  async boundary(resolution: number): Promise<BoundaryGrid> {
    const points = this.info.points;
    if (!points) throw new Error('a decision boundary needs 2-D data');
    const grid = boundaryFeatures(points.bounds, this.data.standardizer, resolution, this.data.features ?? undefined);
    const outputs = await this.backend.predict(grid, resolution * resolution);
    const regression = this.info.regression;
    if (regression) return valueGrid(outputs, resolution, points.bounds, regression.scale);
    return boundaryFromProbabilities(outputs, resolution, points.bounds, this.info.classNames.length);
  }

  /**
   * What every hidden unit and output computes over the 2-D data's plane (see neuron-maps.ts): a
   * `resolution`² grid standardized like the boundary's, through the current weights.
   */
  async neuronMaps(resolution: number): Promise<NeuronMaps> {
    const points = this.info.points;
    if (!points) throw new Error('neuron maps need 2-D data');
    const grid = boundaryFeatures(points.bounds, this.data.standardizer, resolution, this.data.features ?? undefined);
    return neuronMaps(this.info.spec, await this.currentParams(), grid, resolution);
  }

  /** Sets one weight at once, even while training, keeping the optimizer's state (see writeTypedWeight). */
  async setWeight(layer: number, from: number, to: number, value: number): Promise<void> {
    await writeTypedWeight(this.info.spec, this.backend.batch, layer, from, to, value);
    this.paramsRead = null;
  }

  /** Replaces the parameters (a loaded file) and restarts the optimizer state. */
  async loadParams(params: Float32Array): Promise<void> {
    await this.backend.writeParams(params);
    this.paramsRead = null;
  }

  private readonly healthReader = new HealthReader();

  /** Per-layer training health of the current weights (see HealthReader). */
  async health(): Promise<HealthReport> {
    const params = await this.currentParams();
    return this.healthReader.read(this.info.spec, params, this.trainer.steps.length, this.data, this.setup.classWeights);
  }

  /** Loss, accuracy and outputs on one split. */
  evaluate(split: keyof DataSplits): Promise<EvalResult> {
    return this.backend.evaluate(this.data.splits[split]);
  }

  /** The current parameter arena (for the network drawing and the buffer inspector). */
  async snapshot(): Promise<Float32Array> {
    // A copy: the caller may transfer it, and the read may be shared with the views.
    return (await this.currentParams()).slice();
  }

  private paramsRead: Promise<Float32Array> | null = null;

  /**
   * The arena, read back once for every caller that asks while the read is in flight: a view
   * refresh asks for the snapshot, the neuron maps and the health at once. Callers must not
   * change or transfer it.
   */
  private currentParams(): Promise<Float32Array> {
    if (this.paramsRead) return this.paramsRead;
    const read = this.backend.readParams();
    this.paramsRead = read;
    const done = () => {
      if (this.paramsRead === read) this.paramsRead = null;
    };
    read.then(done, done);
    return read;
  }

  /** Releases the backend's GPU memory. */
  dispose(): void {
    this.disposed = true;
    this.backend.dispose();
  }
}

export { plotBounds } from './plot-points.ts';
export { CPU_STEP_FLOP_LIMIT } from './backend-choice.ts';
