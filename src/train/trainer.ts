import type { DataSplits } from '../data/dataset.ts';
import type { OptimizerConfig } from '../nn/optimizer.ts';
import type { StepMetric, TrainingBackend } from './backend.ts';
import { EarlyStopping, type EarlyStoppingOptions } from './early-stopping.ts';
import { learningRateAt, type LrSchedule } from './lr-schedule.ts';
import { BatchSchedule, type ScheduleOptions } from './schedule.ts';
import { CHECKPOINT_EVERY, DivergenceError, type Checkpoint, type EarlyStopResult, type EpochRecord } from './records.ts';

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
  /** Which rows each epoch visits beyond the plain shuffle (resampling, augmentation copies). */
  schedule?: ScheduleOptions;
  /** Stop when the monitored validation metric stops improving, restoring the best epoch's weights. */
  earlyStopping?: EarlyStoppingOptions | null;
  /** Multiplies the base learning rate per epoch; needs `optimizer`, the starting base config. */
  lrSchedule?: LrSchedule;
  optimizer?: OptimizerConfig;
}

interface Pending {
  metrics: Promise<StepMetric[]>;
  validation: Promise<{ loss: number; correct: number; rows: number }> | null;
  epoch: number;
  endsEpoch: boolean;
  checkpoint: Promise<Checkpoint> | null;
  /** With early stopping, at each epoch's end: where training stands right after its steps. */
  epochEnd: Promise<Checkpoint> | null;
}

/**
 * Drives any TrainingBackend through epochs: takes batches from the seeded schedule, submits up
 * to `stepsPerSubmit` steps at a time with at most two submits awaiting their readback,
 * evaluates the validation split at each epoch's end, and keeps a CPU-side checkpoint of finite
 * parameters to roll back to after a divergence or a lost device.
 */
export class Trainer {
  readonly history: EpochRecord[] = [];
  /** Every step's metrics, in order. */
  readonly steps: StepMetric[] = [];
  private readonly schedule: BatchSchedule;
  private submitted = 0;
  private lastCheckpointAt = 0;
  private checkpoint: Checkpoint;
  private readonly stopper: EarlyStopping | null;
  private best: Checkpoint | null = null;
  private stopped: EarlyStopResult | null = null;
  private base: OptimizerConfig | null;
  private rateEpoch = -1;

  constructor(
    private backendRef: TrainingBackend,
    readonly splits: DataSplits,
    readonly options: TrainerOptions,
    initialParams: Float32Array,
  ) {
    this.schedule = new BatchSchedule(splits.train, options.batchSize, options.seed, options.schedule);
    this.checkpoint = { step: 0, epochs: 0, params: initialParams.slice(), schedule: this.schedule.save() };
    this.stopper = options.earlyStopping ? new EarlyStopping(options.earlyStopping) : null;
    if (this.stopper && splits.validation.length === 0) throw new Error('early stopping needs a validation split: set one above 0');
    if (this.stopper) this.best = this.checkpoint;
    this.base = options.optimizer ? { ...options.optimizer } : null;
    if (options.lrSchedule && options.lrSchedule.kind !== 'constant' && !this.base) throw new Error('a learning-rate schedule needs the base optimizer config');
  }

  /** How early stopping ended training, or null while it has not (or is off). */
  get earlyStop(): EarlyStopResult | null {
    return this.stopped;
  }

  /** The learning rate the schedule sets for 0-based `epoch` from the current base rate. */
  learningRateAt(epoch: number): number | null {
    const s = this.options.lrSchedule;
    if (!this.base) return null;
    return s ? learningRateAt(s, this.base.learningRate, epoch) : this.base.learningRate;
  }

  /** The backend currently training; replaced after a lost device. */
  get backend(): TrainingBackend {
    return this.backendRef;
  }

  /** Number of completed epochs. */
  get epoch(): number {
    return this.history.length;
  }

  /** Steps per epoch for the current batch size. */
  get stepsPerEpoch(): number {
    return this.schedule.stepsPerEpoch;
  }

  /** The newest checkpoint whose parameters are all finite. */
  get lastCheckpoint(): Checkpoint {
    return this.checkpoint;
  }

  /** Changes learning rate or regularization live; takes effect at the next submitted step. */
  setOptimizer(cfg: OptimizerConfig): void {
    if (!this.scheduled) {
      this.backendRef.setOptimizer(cfg);
      return;
    }
    // The schedule multiplies the live base rate: applied to the epoch training next.
    this.base = { ...cfg };
    this.backendRef.setOptimizer({ ...cfg, learningRate: this.learningRateAt(this.schedule.currentEpoch)! });
    this.rateEpoch = this.schedule.currentEpoch;
  }

  private get scheduled(): boolean {
    return this.base !== null && this.options.lrSchedule !== undefined && this.options.lrSchedule.kind !== 'constant';
  }

  /**
   * Trains `epochs` more epochs, calling `onEpoch` after each. `shouldStop` is polled between
   * submits so a pause lands within one chunk. A divergence rolls back and rethrows.
   */
  async trainEpochs(epochs: number, onEpoch?: (r: EpochRecord) => void, shouldStop: () => boolean = () => false): Promise<EpochRecord[]> {
    const target = this.epoch + epochs;
    const done: EpochRecord[] = [];
    const pending: Pending[] = [];
    const settle = async () => {
      const record = await this.settle(pending.shift()!);
      if (record) {
        done.push(record);
        onEpoch?.(record);
      }
    };
    try {
      while (this.schedule.currentEpoch < target && !shouldStop() && !this.stopped) {
        pending.push(this.submit());
        if (pending.length === 2) await settle();
      }
      while (pending.length && !this.stopped) await settle();
      if (this.stopEnd) await this.finishEarlyStop(pending.splice(0));
    } catch (e) {
      for (const p of pending) p.metrics.catch(() => undefined);
      if (e instanceof DivergenceError) await this.restore(this.checkpoint);
      throw e;
    }
    return done;
  }

  /** Runs a single training step (the "one step" button); resolves with its metric. */
  async step(): Promise<StepMetric> {
    const before = this.steps.length;
    try {
      await this.settle(this.submit(1));
      if (this.stopEnd) await this.finishEarlyStop([]);
    } catch (e) {
      if (e instanceof DivergenceError) await this.restore(this.checkpoint);
      throw e;
    }
    return this.steps[before]!;
  }

  /**
   * Rewinds to a checkpoint on `backend` (a fresh one after a lost device, or the same one after
   * a divergence): parameters, batch schedule, step and epoch counts. Optimizer moments restart.
   */
  async restore(checkpoint: Checkpoint, backend: TrainingBackend = this.backendRef): Promise<void> {
    this.backendRef = backend;
    await backend.writeParams(checkpoint.params);
    this.schedule.restore(checkpoint.schedule);
    this.steps.length = checkpoint.step;
    this.history.length = checkpoint.epochs;
    this.submitted = checkpoint.step;
    this.lastCheckpointAt = checkpoint.step;
    this.rateEpoch = -1;
  }

  /**
   * After early stopping decided to stop: drops the chunks already submitted past the stop
   * epoch, rewinds the schedule to the stop epoch's end, and writes back the best epoch's weights
   * exactly as they were read right after its steps. Optimizer moments restart.
   */
  private async finishEarlyStop(rest: Pending[]): Promise<void> {
    await Promise.allSettled(rest.map((p) => p.metrics));
    const stop = this.stopEnd!;
    const best = this.best!;
    this.stopEnd = null;
    await this.backendRef.writeParams(best.params);
    this.schedule.restore(stop.schedule);
    this.steps.length = stop.step;
    this.submitted = stop.step;
    this.lastCheckpointAt = stop.step;
    this.rateEpoch = -1;
    this.checkpoint = { ...stop, params: best.params };
  }

  /** The state at the stop epoch's end, kept until finishEarlyStop rewinds to it. */
  private stopEnd: Checkpoint | null = null;

  private submit(maxSteps = this.options.stepsPerSubmit): Pending {
    const backend = this.backendRef;
    if (this.scheduled && this.rateEpoch !== this.schedule.currentEpoch) {
      this.rateEpoch = this.schedule.currentEpoch;
      backend.setOptimizer({ ...this.base!, learningRate: this.learningRateAt(this.rateEpoch)! });
    }
    const { chunk, epoch, endsEpoch } = this.schedule.next(maxSteps);
    const metrics = backend.runSteps(chunk);
    let epochEnd: Promise<Checkpoint> | null = null;
    if (endsEpoch && this.stopper) {
      // Read right after the steps (queue order): the weights after exactly this epoch.
      const end = { step: this.submitted + chunk.rows.length, epochs: this.schedule.currentEpoch, schedule: this.schedule.save() };
      epochEnd = backend.readParams().then((params) => ({ ...end, params }));
    }
    const validation = endsEpoch && this.splits.validation.length > 0 ? backend.evaluate(this.splits.validation) : null;
    this.submitted += chunk.rows.length;
    let checkpoint: Promise<Checkpoint> | null = null;
    if (this.submitted - this.lastCheckpointAt >= (this.options.checkpointEvery ?? CHECKPOINT_EVERY)) {
      // Called right after the steps, so the backend's queue order makes these the parameters
      // after exactly `submitted` steps, whatever is submitted next.
      const state = { step: this.submitted, epochs: this.schedule.currentEpoch, schedule: this.schedule.save() };
      checkpoint = backend.readParams().then((params) => ({ ...state, params }));
      this.lastCheckpointAt = this.submitted;
    }
    // If the steps fail first, these are never awaited: mark their rejections as handled.
    validation?.catch(() => undefined);
    checkpoint?.catch(() => undefined);
    epochEnd?.catch(() => undefined);
    return { metrics, validation, epoch, endsEpoch, checkpoint, epochEnd };
  }

  private async settle(p: Pending): Promise<EpochRecord | null> {
    const metrics = await p.metrics;
    for (const m of metrics) {
      this.steps.push(m);
      if (!Number.isFinite(m.loss)) throw new DivergenceError(this.steps.length, 'loss', m.loss, this.checkpoint.step);
    }
    if (p.checkpoint) {
      const c = await p.checkpoint;
      const bad = c.params.find((v) => !Number.isFinite(v));
      if (bad !== undefined) throw new DivergenceError(c.step, 'weights', bad, this.checkpoint.step);
      this.checkpoint = c;
    }
    const val = p.validation ? await p.validation : null;
    if (!p.endsEpoch) return null;
    const epochSteps = this.steps.slice(this.steps.length - this.schedule.stepsPerEpoch);
    const rows = epochSteps.reduce((s, m) => s + m.rows, 0);
    const record: EpochRecord = {
      epoch: p.epoch + 1,
      step: this.steps.length,
      trainLoss: epochSteps.reduce((s, m) => s + m.loss * m.rows, 0) / rows,
      trainAccuracy: this.options.classification ? epochSteps.reduce((s, m) => s + m.correct, 0) / rows : null,
      validationLoss: val ? val.loss : null,
      validationAccuracy: val && this.options.classification ? val.correct / val.rows : null,
    };
    if (this.stopper) await this.earlyStopping(record, p);
    this.history.push(record);
    return record;
  }

  /** Feeds a finished epoch to early stopping: keeps its weights if best, marks the stop. */
  private async earlyStopping(record: EpochRecord, p: Pending): Promise<void> {
    const end = await p.epochEnd!;
    const decision = this.stopper!.update(record);
    if (decision.improved) this.best = end;
    record.bestEpoch = decision.bestEpoch;
    if (decision.stop) {
      record.stoppedEpoch = record.epoch;
      this.stopped = { stoppedEpoch: record.epoch, bestEpoch: decision.bestEpoch, best: this.stopper!.best };
      this.stopEnd = end;
    }
  }
}
