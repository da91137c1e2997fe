import type { DataSplits } from '../data/dataset.ts';
import type { OptimizerConfig } from '../nn/optimizer.ts';
import type { StepMetric, TrainingBackend } from './backend.ts';
import { BatchSchedule } from './schedule.ts';

/** Metrics of one finished epoch. Accuracy is null for regression (MSE) heads. */
export interface EpochRecord {
  epoch: number;
  step: number;
  trainLoss: number;
  trainAccuracy: number | null;
  validationLoss: number | null;
  validationAccuracy: number | null;
}

/** Raised when a loss turns NaN or infinite; training stops at that step. */
export class DivergenceError extends Error {
  constructor(readonly step: number, readonly loss: number) {
    super(`Training diverged at step ${step}: the loss became ${loss}. Lower the learning rate and reset.`);
    this.name = 'DivergenceError';
  }
}

/** Trainer settings that do not change the model. */
export interface TrainerOptions {
  batchSize: number;
  seed: number;
  /** Steps encoded per GPU submit (and per metrics readback). */
  stepsPerSubmit: number;
  /** False for regression heads, where accuracy is meaningless. */
  classification: boolean;
}

/**
 * Drives any TrainingBackend through epochs: takes batches from the seeded schedule, submits up
 * to `stepsPerSubmit` steps at a time with at most two submits awaiting their readback, and
 * evaluates the validation split at each epoch's end.
 */
export class Trainer {
  readonly history: EpochRecord[] = [];
  /** Every step's metrics, in order. */
  readonly steps: StepMetric[] = [];
  private readonly schedule: BatchSchedule;

  constructor(
    readonly backend: TrainingBackend,
    readonly splits: DataSplits,
    readonly options: TrainerOptions,
  ) {
    this.schedule = new BatchSchedule(splits.train, options.batchSize, options.seed);
  }

  /** Number of completed epochs. */
  get epoch(): number {
    return this.history.length;
  }

  /** Steps per epoch for the current batch size. */
  get stepsPerEpoch(): number {
    return this.schedule.stepsPerEpoch;
  }

  /** Changes learning rate or regularization live; takes effect at the next submitted step. */
  setOptimizer(cfg: OptimizerConfig): void {
    this.backend.setOptimizer(cfg);
  }

  /**
   * Trains `epochs` more epochs, calling `onEpoch` after each. `shouldStop` is polled between
   * submits so a pause lands within one chunk.
   */
  async trainEpochs(epochs: number, onEpoch?: (r: EpochRecord) => void, shouldStop: () => boolean = () => false): Promise<EpochRecord[]> {
    const target = this.epoch + epochs;
    const done: EpochRecord[] = [];
    const pending: Promise<EpochRecord | null>[] = [];
    const settle = async () => {
      const record = await pending.shift()!;
      if (record) {
        done.push(record);
        onEpoch?.(record);
      }
    };
    try {
      while (this.schedule.currentEpoch < target && !shouldStop()) {
        pending.push(this.submitChunk());
        if (pending.length === 2) await settle();
      }
      while (pending.length) await settle();
    } finally {
      // A failure in one chunk must not leave the other's rejection unobserved.
      for (const p of pending) p.catch(() => undefined);
    }
    return done;
  }

  /** Runs a single training step (the "one step" button); resolves with its metric. */
  async step(): Promise<StepMetric> {
    const before = this.steps.length;
    await this.submitChunk(1);
    return this.steps[before]!;
  }

  private async submitChunk(maxSteps = this.options.stepsPerSubmit): Promise<EpochRecord | null> {
    const { chunk, epoch, endsEpoch } = this.schedule.next(maxSteps);
    const stepsPromise = this.backend.runSteps(chunk);
    const validation = endsEpoch && this.splits.validation.length > 0 ? this.backend.evaluate(this.splits.validation) : null;
    const metrics = await stepsPromise;
    for (const m of metrics) {
      this.steps.push(m);
      if (!Number.isFinite(m.loss)) throw new DivergenceError(this.steps.length, m.loss);
    }
    if (!endsEpoch) return null;
    const val = validation ? await validation : null;
    const epochSteps = this.steps.slice(this.steps.length - this.schedule.stepsPerEpoch);
    const rows = epochSteps.reduce((s, m) => s + m.rows, 0);
    const record: EpochRecord = {
      epoch: epoch + 1,
      step: this.steps.length,
      trainLoss: epochSteps.reduce((s, m) => s + m.loss * m.rows, 0) / rows,
      trainAccuracy: this.options.classification ? epochSteps.reduce((s, m) => s + m.correct, 0) / rows : null,
      validationLoss: val ? val.loss : null,
      validationAccuracy: val && this.options.classification ? val.correct / val.rows : null,
    };
    this.history.push(record);
    return record;
  }
}
