import type { OptimizerConfig } from '../nn/optimizer.ts';
import type { StepMetric } from './training-backend.ts';
import { EarlyStopping, type EarlyStoppingOptions } from './early-stopping.ts';
import { learningRateAt, type LrSchedule } from './lr-schedule.ts';
import type { Checkpoint, EarlyStopResult, EpochRecord } from './records.ts';
import { BatchSchedule, type ScheduleOptions } from './schedule.ts';

/** What one model of a batched run trains on and how it ends. */
export interface ModelPlan {
  /** Its training rows: a fold, a bootstrap sample, or the training split. */
  train: Uint32Array;
  /** Its validation rows, evaluated at each of its epochs' ends (may be empty). */
  validation: Uint32Array;
  batchSize: number;
  /** Seed of its batch order. */
  seed: number;
  /** Which rows each epoch visits beyond the plain shuffle (resampling). */
  schedule?: ScheduleOptions;
  /** Stop when its monitored validation metric stops improving, restoring its best epoch's weights. */
  earlyStopping?: EarlyStoppingOptions | null;
  /** Multiplies its base learning rate per epoch; needs `optimizer`. */
  lrSchedule?: LrSchedule;
  /** Its starting optimizer settings (the base of a schedule). */
  optimizer?: OptimizerConfig;
}

/**
 * Where a model of a batched run stands. `lost`: the backend gave it up (the CPU pool workers that
 * held it kept dying); its results are gone, the other models' stay.
 */
export type ModelStatus = 'training' | 'early-stopped' | 'diverged' | 'lost';

/** Where and how a model diverged (a NaN or infinite loss or weight). */
export interface Divergence {
  step: number;
  what: 'loss' | 'weights';
  value: number;
}

/**
 * One model's side of a batched run: its batch schedule, records, early stopping, checkpoints
 * and learning-rate schedule. The trainer drives every model's run through the same submits.
 */
export class ModelRun {
  readonly history: EpochRecord[] = [];
  /** Every step's metrics, in order. */
  readonly steps: StepMetric[] = [];
  readonly schedule: BatchSchedule;
  readonly stopper: EarlyStopping | null;
  status: ModelStatus = 'training';
  /** Epochs it trains in all before it stops (raised by each trainEpochs of a single model). */
  target = 0;
  /** Steps submitted so far. */
  submitted = 0;
  lastCheckpointAt = 0;
  checkpoint: Checkpoint;
  best: Checkpoint | null = null;
  stopped: EarlyStopResult | null = null;
  /** The state at the stop epoch's end, kept until the trainer rewinds to it. */
  stopEnd: Checkpoint | null = null;
  divergence: Divergence | null = null;
  /** Why the backend lost it (status `lost`), or null. */
  lost: string | null = null;
  base: OptimizerConfig | null;

  constructor(
    readonly plan: ModelPlan,
    initialParams: Float32Array,
  ) {
    this.schedule = new BatchSchedule(plan.train, plan.batchSize, plan.seed, plan.schedule);
    this.checkpoint = { step: 0, epochs: 0, params: initialParams.slice(), schedule: this.schedule.save() };
    this.stopper = plan.earlyStopping ? new EarlyStopping(plan.earlyStopping) : null;
    if (this.stopper && plan.validation.length === 0) throw new Error('early stopping needs a validation split: set one above 0');
    if (this.stopper) this.best = this.checkpoint;
    this.base = plan.optimizer ? { ...plan.optimizer } : null;
    if (this.scheduled && !this.base) throw new Error('a learning-rate schedule needs the base optimizer config');
  }

  /** Number of completed epochs. */
  get epoch(): number {
    return this.history.length;
  }

  /** Whether it takes part in the next submit. */
  get active(): boolean {
    return this.status === 'training' && this.schedule.currentEpoch < this.target;
  }

  /** Steps left before its current epoch ends. */
  get stepsToEpochEnd(): number {
    return this.schedule.stepsPerEpoch - this.schedule.stepInEpoch;
  }

  /** Steps left before it reaches its target epochs. */
  get stepsToTarget(): number {
    return this.stepsToEpochEnd + (this.target - this.schedule.currentEpoch - 1) * this.schedule.stepsPerEpoch;
  }

  /** True when a non-constant learning-rate schedule drives its rate. */
  get scheduled(): boolean {
    const s = this.plan.lrSchedule;
    return s !== undefined && s.kind !== 'constant';
  }

  /** The learning rate its schedule sets for 0-based `epoch` from the current base rate. */
  learningRateAt(epoch: number): number | null {
    if (!this.base) return null;
    const s = this.plan.lrSchedule;
    return s ? learningRateAt(s, this.base.learningRate, epoch) : this.base.learningRate;
  }

  /** The record of the epoch that just ended with the last `stepsPerEpoch` steps. */
  epochRecord(epoch: number, validation: { loss: number; correct: number; rows: number } | null, classification: boolean): EpochRecord {
    const epochSteps = this.steps.slice(this.steps.length - this.schedule.stepsPerEpoch);
    const rows = epochSteps.reduce((s, m) => s + m.rows, 0);
    return {
      epoch: epoch + 1,
      step: this.steps.length,
      trainLoss: epochSteps.reduce((s, m) => s + m.loss * m.rows, 0) / rows,
      trainAccuracy: classification ? epochSteps.reduce((s, m) => s + m.correct, 0) / rows : null,
      validationLoss: validation ? validation.loss : null,
      validationAccuracy: validation && classification ? validation.correct / validation.rows : null,
    };
  }

  /** Feeds a finished epoch to early stopping: keeps its weights if best, marks the stop. */
  earlyStopping(record: EpochRecord, end: Checkpoint): void {
    const decision = this.stopper!.update(record);
    if (decision.improved) this.best = end;
    record.bestEpoch = decision.bestEpoch;
    if (decision.stop) {
      record.stoppedEpoch = record.epoch;
      this.stopped = { stoppedEpoch: record.epoch, bestEpoch: decision.bestEpoch, best: this.stopper!.best };
      this.stopEnd = end;
      this.status = 'early-stopped';
    }
  }

  /** Rewinds its counters and schedule to a checkpoint (the caller rewrites the parameters). */
  rewind(checkpoint: Checkpoint): void {
    this.schedule.restore(checkpoint.schedule);
    this.steps.length = checkpoint.step;
    this.history.length = checkpoint.epochs;
    this.submitted = checkpoint.step;
    this.lastCheckpointAt = checkpoint.step;
  }
}
