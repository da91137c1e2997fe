// The one declaration of what crosses the thread boundary. Type-only imports: this file pulls no
// implementation into whoever reads it, and components take every engine type from here.
import type { BackendChoice, ExperimentConfig } from '../config/experiment.ts';
import type { DataSplits, LabeledTable } from '../data/dataset.ts';
import type { OptimizerConfig, OptimizerKind } from '../nn/optimizer.ts';
import type { StepMetric } from '../train/training-backend.ts';
import type { GanMetric } from '../train/gan-backend.ts';
import type { GanConfig } from '../train/gan-config.ts';
import type { Gan2dApi } from './gan2d-api.ts';
import type { CrossValidationResult, EnsembleMode, EnsembleResult, RaceEntry } from '../train/multi-run.ts';
import type { BoundaryGrid, SessionInfo } from '../train/session.ts';
import type { NeuronMaps } from '../train/neuron-maps.ts';
import type { HealthReport } from '../train/health.ts';
import type { BackendStatus } from '../train/background-choice.ts';
import type { EpochRecord } from '../train/trainer.ts';
import type { SweepProgress, SweepResult } from '../train/sweep.ts';
import type { SweepConfig } from '../config/sweep.ts';
import type { HalvingResult } from '../train/halving.ts';
import type { BoostingOptions, BoostingResult, BoostingRound } from '../train/boosting.ts';
import type { StackingOptions, StackingResult } from '../train/stacking.ts';

export type { StepMetric } from '../train/training-backend.ts';
export type { GanMetric } from '../train/gan-backend.ts';
export type { GanConfig } from '../train/gan-config.ts';
export type {
  Gan2dApi,
  Gan2dCompareFrames,
  Gan2dConfig,
  Gan2dEvent,
  Gan2dFigures,
  Gan2dFrame,
  Gan2dInfo,
  Gan2dStepKind,
  Gan2dVariantFrame,
} from './gan2d-api.ts';
export type { CrossValidationResult, EnsembleMember, EnsembleMode, EnsembleResult, RaceEntry, RunScores } from '../train/multi-run.ts';
export type { BoundaryGrid, PlotBounds, RegressionInfo, SessionInfo } from '../train/session.ts';
export type { LayerMaps, NeuronMaps } from '../train/neuron-maps.ts';
export type { HealthReport, Histogram, LayerHealth } from '../train/health.ts';
export type { BackendState, BackendStatus } from '../train/background-choice.ts';
export type { EpochRecord } from '../train/trainer.ts';
export type { LrSchedule } from '../train/lr-schedule.ts';
export type { ResampleMode } from '../train/sampling.ts';
export type { RunSummary } from '../train/run-summary.ts';
export type { SweepProgress, SweepResult, SweepRow } from '../train/sweep.ts';
export type { SweepConfig } from '../config/sweep.ts';
export type { HalvingResult, HalvingRow, HalvingRung } from '../train/halving.ts';
export type { BoostingOptions, BoostingResult, BoostingRound } from '../train/boosting.ts';
export type { BoostingBoundaries } from '../train/boosting-view.ts';
export type { BaseLearner, StackingOptions, StackingResult, StackScore } from '../train/stacking.ts';

/**
 * What a boosting run says as it goes: its data once loaded (the 2-D points to draw under the
 * boundaries, null for other data, and the class names), epochs trained over all rounds, and
 * each round once done.
 */
export type BoostingEvent =
  | { type: 'data'; points: SessionInfo['points']; classNames: string[] }
  | { type: 'progress'; done: number; total: number }
  | { type: 'round'; round: BoostingRound };

/** Progress of a training run, pushed from the worker through a Comlink.proxy callback. */
export type TrainEvent =
  | { type: 'epoch'; record: EpochRecord }
  | { type: 'stopped'; reason: 'done' | 'paused'; epoch: number }
  | { type: 'stopped'; reason: 'early-stopped'; epoch: number; stoppedEpoch: number; bestEpoch: number }
  | { type: 'error'; message: string; name: string; kind: TrainFailure; restoredStep: number | null };

/**
 * What a session says besides its training, through createSession's `onEvent`: MNIST's loading
 * while it builds (compressed bytes so far, with the first training digits once they are
 * inflated), and each change of its backend while Auto decides behind the CPU.
 */
export type SessionEvent =
  { type: 'loading'; loaded: number; total: number; stage: string; preview: Uint8Array | null } | { type: 'backend'; status: BackendStatus };

/**
 * What stopped a run: a lost GPU device (recover() continues from the last checkpoint), a
 * divergence (already rolled back; lower the learning rate and continue), or anything else.
 */
export type TrainFailure = 'device-lost' | 'divergence' | 'other';

/** Loss, accuracy and head outputs of a split, outputs transferred rather than copied. */
export interface SplitEvaluation {
  split: keyof DataSplits;
  loss: number;
  accuracy: number | null;
  rows: number;
  outputs: Float32Array;
}

/** What the GAN lab shows about a run. */
export interface GanInfo {
  config: GanConfig;
  backend: 'webgpu' | 'cpu';
  backendLabel: string;
  fallbackReason: string | null;
  images: number;
}

/** Progress of a GAN run, pushed through a Comlink.proxy callback. */
export type GanEvent =
  | { type: 'chunk'; metrics: GanMetric[]; iteration: number }
  | { type: 'stopped'; reason: 'done' | 'paused'; iteration: number }
  | { type: 'error'; message: string };

/** The fixed sample grid and interpolation row at an iteration; pixels in [-1, 1]. */
export interface GanImages {
  iteration: number;
  grid: Float32Array;
  interpolation: Float32Array;
}

/** What a digit classifier trained on MNIST makes of 256 fresh samples. */
export interface GanQuality {
  histogram: number[];
  meanConfidence: number;
  samples: number;
  classifierAccuracy: number;
}

/** Called after each finished run of a multi-run job: `done` of `total`. */
export type JobProgress = (done: number, total: number) => void;

/**
 * GPU memory the worker holds now, counted at every buffer's creation and destruction (a debug
 * hook for leak checks): all bytes, the part in MAP_READ staging buffers (whose number follows
 * how many readbacks overlapped), and the buffer count.
 */
export interface GpuMemoryReport {
  bytes: number;
  stagingBytes: number;
  buffers: number;
  /** Sessions, GANs (MNIST and 2-D) and multi-run jobs the engine holds now, to tell a leak from a live owner. */
  sessions: number;
  gans: number;
  jobs: number;
}

/**
 * The one typed API that crosses the thread boundary. The worker implements it and exposes it
 * with Comlink; the page reaches it only through EngineClient, which implements it too and adds
 * a timeout per method and turns a dead worker into rejected calls. Every method returns
 * quickly: training runs in the background and reports through `onEvent`.
 */
export interface EngineApi extends Gan2dApi {
  /** Answers at once; used to detect a hung worker. */
  ping(): Promise<'pong'>;
  /**
   * Builds an experiment (data, model, backend); resolves with its id and what it runs on.
   * `table` carries the user's CSV data when `config.dataset.name` is 'csv'. With `jobId`,
   * cancelJob(jobId) drops the build (a newer one replaced it) before it compiles anything on the
   * GPU, or frees it as soon as it is built; the call then rejects with a 'JobCancelledError'.
   * With backend `auto` the session trains on the CPU at once (`info.backendState` 'trial') while
   * Auto's trial runs behind it; `onEvent` hears each change of its backend (a move to WebGPU
   * carrying the run's whole state, or why the CPU stays), to merge into `info`, and MNIST's
   * loading progress while it builds.
   */
  createSession(
    config: ExperimentConfig,
    table?: LabeledTable | null,
    jobId?: number,
    onEvent?: (event: SessionEvent) => void,
  ): Promise<{ id: number; info: SessionInfo }>;
  /** Starts training up to `epochs` more epochs in the background; events report progress. */
  startTraining(id: number, epochs: number, onEvent: (e: TrainEvent) => void): Promise<void>;
  /** Asks a running training to stop after the chunk in flight; resolves once it has stopped. */
  pause(id: number): Promise<void>;
  /** Runs exactly one training step. */
  step(id: number): Promise<StepMetric>;
  /** Runs the rest of the current epoch; resolves with its record. */
  epoch(id: number): Promise<EpochRecord>;
  /** Evaluates a split with the current parameters. */
  evaluate(id: number, split: keyof DataSplits): Promise<SplitEvaluation>;
  /** Predicted class over a `resolution`² grid of a 2-D dataset's plane. */
  boundary(id: number, resolution: number): Promise<BoundaryGrid>;
  /** Every hidden unit's and output's value over a `resolution`² grid of a 2-D dataset's plane, from the current weights (float64). */
  neuronMaps(id: number, resolution: number): Promise<NeuronMaps>;
  /** Per-layer training health of the current weights: histograms of weights, activations and gradients, dead ReLU units, the update-to-weight ratio since the previous call. */
  health(id: number): Promise<HealthReport>;
  /** The current parameter arena. */
  snapshot(id: number): Promise<Float32Array>;
  /** Replaces the parameters (same arena layout) and resets the optimizer state. */
  loadParams(id: number, params: Float32Array): Promise<void>;
  /**
   * After a lost device: a fresh device and backend continue from the last CPU-side checkpoint.
   * Resolves with the step training resumes from.
   */
  recover(id: number): Promise<number>;
  /** Sets the weight from input `from` to unit `to` of dense layer `layer` at once, even while training; optimizer state stays. Rejects a non-finite value or one beyond ±1e6. */
  setWeight(id: number, layer: number, from: number, to: number, value: number): Promise<void>;
  /** Changes learning rate or regularization live, without a reset. */
  setOptimizer(id: number, cfg: OptimizerConfig): Promise<void>;
  /**
   * Stratified k-fold cross-validation of `config` over its training ∪ validation rows: k fresh
   * models trained one after another, each scored on its held-out fold. `balanced` undersamples
   * each fold's training rows to equal class counts. `jobId`, picked by the caller, names the job
   * for cancelJob.
   */
  crossValidate(
    config: ExperimentConfig,
    k: number,
    balanced: boolean,
    table?: LabeledTable | null,
    onProgress?: JobProgress,
    jobId?: number,
  ): Promise<CrossValidationResult>;
  /** Trains `members` models (different seeds, or bootstrap samples) and averages their predictions. */
  trainEnsemble(
    config: ExperimentConfig,
    members: number,
    mode: EnsembleMode,
    table?: LabeledTable | null,
    onProgress?: JobProgress,
    jobId?: number,
  ): Promise<EnsembleResult>;
  /** Trains the same network and seed with each optimizer in turn; resolves with their curves. */
  raceOptimizers(config: ExperimentConfig, kinds: OptimizerKind[], table?: LabeledTable | null, onProgress?: JobProgress, jobId?: number): Promise<RaceEntry[]>;
  /**
   * A hyperparameter sweep over `config`: every configuration of `sweep` trained together
   * (batched by batch size), each scored on the validation split, the best one also on the test
   * split. Cancelled through cancelJob(jobId), it resolves with what it trained, marked cancelled.
   */
  runSweep(
    config: ExperimentConfig,
    sweep: SweepConfig,
    table?: LabeledTable | null,
    onProgress?: (p: SweepProgress) => void,
    jobId?: number,
  ): Promise<SweepResult>;
  /**
   * Successive halving over the grid of `sweep` (mode halving): every configuration trains
   * `sweep.minEpochs` epochs, the best 1/η by the validation metric go on, up to the experiment's
   * epochs; all rungs batched as one job. Cancelled through cancelJob(jobId), it resolves with what
   * it trained, marked cancelled. Progress counts model-epochs against the plan's.
   */
  runHalving(
    config: ExperimentConfig,
    sweep: SweepConfig,
    table?: LabeledTable | null,
    onProgress?: (p: SweepProgress) => void,
    jobId?: number,
  ): Promise<HalvingResult>;
  /**
   * AdaBoost (SAMME) of `config`'s network, one round after another (see boost in
   * src/train/boosting.ts): `onEvent` hears epochs trained over all rounds and each finished
   * round. Cancelled through cancelJob(jobId), it resolves with the rounds done, marked cancelled.
   */
  boost(
    config: ExperimentConfig,
    options: BoostingOptions,
    table?: LabeledTable | null,
    onEvent?: (e: BoostingEvent) => void,
    jobId?: number,
  ): Promise<BoostingResult>;
  /**
   * Stacking of `options.learners` on `config` (see stack in src/train/stacking.ts); progress
   * counts epochs over every model. Cancelled through cancelJob(jobId), it rejects with a
   * 'JobCancelledError'.
   */
  stack(config: ExperimentConfig, options: StackingOptions, table?: LabeledTable | null, onProgress?: JobProgress, jobId?: number): Promise<StackingResult>;
  /**
   * Stops a multi-run job after the chunk in flight, or a build before its GPU work; the job's call
   * then rejects with an error named 'JobCancelledError'. Unknown or finished jobs are ignored.
   */
  cancelJob(jobId: number): Promise<void>;
  /**
   * Builds a GAN on MNIST; `config` null picks the article's preset on a GPU, a small one on the
   * CPU. `params` (loaded "Save G and D" files, shaped for `config`) replace the initial weights.
   */
  createGan(config: GanConfig | null, backend: BackendChoice, params?: { g: Float32Array; d: Float32Array } | null): Promise<{ id: number; info: GanInfo }>;
  /** Starts GAN training in the background. */
  startGan(id: number, iterations: number, onEvent: (e: GanEvent) => void): Promise<void>;
  /** Stops GAN training after the chunk in flight. */
  pauseGan(id: number): Promise<void>;
  /** The fixed sample grid and interpolation row. */
  ganImages(id: number): Promise<GanImages>;
  /** The digit classifier's verdict on fresh samples (mode collapse shows as a skewed histogram). */
  ganQuality(id: number): Promise<GanQuality>;
  /** The generator's and discriminator's parameters. */
  ganParams(id: number): Promise<{ g: Float32Array; d: Float32Array }>;
  /** Stops and frees a GAN without waiting: its buffers go once the chunk in flight has ended. */
  disposeGan(id: number): Promise<void>;
  /** Raw features of the rows at `positions` within a split (e.g. MNIST images of a confusion-matrix cell). */
  splitRows(id: number, split: keyof DataSplits, positions: number[]): Promise<Float32Array>;
  /** Frees a session without waiting: its events stop, its buffers go once the chunk in flight has ended. */
  disposeSession(id: number): Promise<void>;
  /** Forgets Auto's trials remembered in the browser's storage: the next build of each network times both backends again. */
  clearBackendTrials(): Promise<void>;
  /** GPU memory held by the worker now (debug hook for leak checks). */
  gpuMemory(): Promise<GpuMemoryReport>;
}
