import type { DataSplits } from '../data/dataset.ts';
import type { OptimizerConfig } from '../nn/optimizer.ts';
import type { BatchBackend, StepMetric, TrainingBackend } from './training-backend.ts';
import { ModelView } from './model-view.ts';
import { BatchTrainer } from './batch-trainer.ts';
import type { EarlyStoppingOptions } from './early-stopping.ts';
import type { LrSchedule } from './lr-schedule.ts';
import type { ModelRun } from './model-run.ts';
import type { Checkpoint, EarlyStopResult, EpochRecord } from './records.ts';
import type { ScheduleOptions } from './schedule.ts';

export { CHECKPOINT_EVERY, DivergenceError, type Checkpoint, type EarlyStopResult, type EpochRecord } from './records.ts';

/** Trainer settings that do not change the model. */
export interface TrainerOptions {
  batchSize: number;
  seed: number;
  /** Steps encoded per GPU submit (and per metrics readback). */
  stepsPerSubmit: number;
  /** False for regression heads, where accuracy is meaningless. */
  classification: boolean;
  /** A CPU-side checkpoint is taken at least every this many steps (see CHECKPOINT_EVERY). */
  checkpointEvery?: number;
  /** Which rows each epoch visits beyond the plain shuffle (resampling). */
  schedule?: ScheduleOptions;
  /** Stop when the monitored validation metric stops improving, restoring the best epoch's weights. */
  earlyStopping?: EarlyStoppingOptions | null;
  /** Multiplies the base learning rate per epoch; needs `optimizer`, the starting base config. */
  lrSchedule?: LrSchedule;
  optimizer?: OptimizerConfig;
}

/**
 * Trains one model: the batched trainer with N = 1, seen through the single-model API the
 * playground uses (epochs on demand, one step, a divergence rolls back and pauses). It takes
 * batches from the seeded schedule, submits up to `stepsPerSubmit` steps at a time, evaluates the
 * validation split at each epoch's end, and keeps a CPU-side checkpoint of finite parameters to
 * roll back to after a divergence or a lost device.
 */
export class Trainer {
  private readonly batch: BatchTrainer;
  private readonly run: ModelRun;

  constructor(
    backend: TrainingBackend,
    readonly splits: DataSplits,
    readonly options: TrainerOptions,
    initialParams: Float32Array,
  ) {
    const plan = {
      train: splits.train,
      validation: splits.validation,
      batchSize: options.batchSize,
      seed: options.seed,
      earlyStopping: options.earlyStopping ?? null,
      ...(options.schedule ? { schedule: options.schedule } : {}),
      ...(options.lrSchedule ? { lrSchedule: options.lrSchedule } : {}),
      ...(options.optimizer ? { optimizer: options.optimizer } : {}),
    };
    const batchOptions = { stepsPerSubmit: options.stepsPerSubmit, classification: options.classification, onDivergence: 'rollback' as const };
    if (options.checkpointEvery !== undefined) Object.assign(batchOptions, { checkpointEvery: options.checkpointEvery });
    this.batch = new BatchTrainer(backend.batch, [plan], batchOptions, [initialParams]);
    this.run = this.batch.runs[0]!;
    this.view = backend;
  }

  private view: TrainingBackend;

  /** Every finished epoch's record, in order. */
  get history(): EpochRecord[] {
    return this.run.history;
  }

  /** Every step's metrics, in order. */
  get steps(): StepMetric[] {
    return this.run.steps;
  }

  /** How early stopping ended training, or null while it has not (or is off). */
  get earlyStop(): EarlyStopResult | null {
    return this.run.stopped;
  }

  /** The learning rate the schedule sets for 0-based `epoch` from the current base rate. */
  learningRateAt(epoch: number): number | null {
    return this.run.learningRateAt(epoch);
  }

  /** The backend currently training; replaced after a lost device, or when a faster one took over. */
  get backend(): TrainingBackend {
    if (this.view.batch !== this.batch.backend) this.view = new ModelView(this.batch.backend);
    return this.view;
  }

  /**
   * Moves training to `next` with the model's whole state at the next submit boundary (at once
   * when idle), if `wanted()` still holds there: see BatchTrainer.offerBackend. Resolves with the
   * backend it left, for the caller to free, or null.
   */
  offerBackend(next: BatchBackend, wanted?: () => boolean): Promise<BatchBackend | null> {
    return this.batch.offerBackend(next, wanted);
  }

  /** Number of completed epochs. */
  get epoch(): number {
    return this.run.epoch;
  }

  /** Steps per epoch for the current batch size. */
  get stepsPerEpoch(): number {
    return this.run.schedule.stepsPerEpoch;
  }

  /** The newest checkpoint whose parameters are all finite. */
  get lastCheckpoint(): Checkpoint {
    return this.run.checkpoint;
  }

  /** Changes learning rate or regularization live; takes effect at the next submitted step. */
  setOptimizer(cfg: OptimizerConfig): void {
    this.batch.setOptimizer(0, cfg);
  }

  /**
   * Trains `epochs` more epochs, calling `onEpoch` after each. `shouldStop` is polled between
   * submits so a pause lands within one chunk. A divergence rolls back and rethrows.
   */
  async trainEpochs(epochs: number, onEpoch?: (r: EpochRecord) => void, shouldStop: () => boolean = () => false): Promise<EpochRecord[]> {
    const done: EpochRecord[] = [];
    this.run.target = this.run.schedule.currentEpoch + epochs;
    await this.batch.train((_, record) => {
      done.push(record);
      onEpoch?.(record);
    }, shouldStop);
    return done;
  }

  /** Runs a single training step (the "one step" button); resolves with its metric. */
  async step(): Promise<StepMetric> {
    const before = this.steps.length;
    this.run.target = Math.max(this.run.target, this.run.schedule.currentEpoch + 1);
    await this.batch.stepOnce();
    return this.steps[before]!;
  }

  /**
   * Rewinds to a checkpoint on `backend` (a fresh one after a lost device, or the same one after
   * a divergence): parameters, batch schedule, step and epoch counts. Optimizer moments restart.
   */
  async restore(checkpoint: Checkpoint, backend: TrainingBackend = this.view): Promise<void> {
    this.view = backend;
    await this.batch.restore([checkpoint], backend.batch);
  }
}
