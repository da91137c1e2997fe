import { Rng, type RngState } from '../nn/rng.ts';
import type { StepChunk } from './training-backend.ts';
import { epochOrder, resampledLength, type ResampleMode } from './sampling.ts';

/** A chunk of steps and where it sits in the epoch sequence. */
export interface ScheduledChunk {
  chunk: StepChunk;
  /** Epoch the steps belong to (0-based). */
  epoch: number;
  /** True when the chunk's last step ends its epoch. */
  endsEpoch: boolean;
}

/** A saved position of a BatchSchedule. */
export interface ScheduleState {
  epoch: number;
  stepInEpoch: number;
  order: Uint32Array;
  rng: RngState;
}

/** Optional per-epoch changes of which rows a schedule visits. */
export interface ScheduleOptions {
  /** Random over- or undersampling per epoch; needs `labels` (indexed by row) and `classes`. */
  resample?: { mode: ResampleMode; labels: ArrayLike<number>; classes: number };
}

/**
 * Which training rows each step sees: the training indices reshuffled at the start of every
 * epoch from one seeded RNG, cut into batches of `batchSize` (the last one may be smaller).
 * Both backends consume the same schedule, which is what makes their runs comparable.
 */
export class BatchSchedule {
  readonly stepsPerEpoch: number;
  private rng: Rng;
  private order: Uint32Array;
  private epoch = 0;
  private inEpoch = 0;
  private readonly train: Uint32Array;

  /**
   * With `options.resample` (mode other than 'none') every epoch is a fresh `epochOrder` draw of
   * `resampledLength` rows; without it, the previous order is reshuffled, as it always was.
   */
  constructor(
    train: Uint32Array,
    readonly batchSize: number,
    seed: number,
    private readonly options: ScheduleOptions = {},
  ) {
    if (train.length === 0) throw new Error('the training split is empty');
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size must be a whole number ≥ 1, got ${batchSize}`);
    this.train = Uint32Array.from(train);
    const rs = this.resampling;
    const rows = rs ? resampledLength(this.train, rs.labels, rs.classes, rs.mode) : train.length;
    if (rows === 0) throw new Error('resampling left no training rows');
    this.stepsPerEpoch = Math.ceil(rows / batchSize);
    this.rng = new Rng(seed ^ 0x5bd1e995);
    this.order = this.nextOrder(Uint32Array.from(this.train));
  }

  /** Rows per epoch (after resampling). */
  get epochRows(): number {
    return this.order.length;
  }

  private get resampling(): ScheduleOptions['resample'] | null {
    const rs = this.options.resample;
    return rs && rs.mode !== 'none' ? rs : null;
  }

  /**
   * The next epoch's order: a resampled draw, or (unchanged from before resampling existed) the
   * previous epoch's order shuffled again in place.
   */
  private nextOrder(previous: Uint32Array): Uint32Array {
    const rs = this.resampling;
    return rs ? epochOrder(this.train, rs.labels, rs.classes, rs.mode, this.rng) : this.rng.shuffle(previous);
  }

  /** Epoch of the next step. */
  get currentEpoch(): number {
    return this.epoch;
  }

  /** Steps of the current epoch already taken. */
  get stepInEpoch(): number {
    return this.inEpoch;
  }

  /** Where the schedule stands, to rewind to it after a rollback. */
  save(): ScheduleState {
    return { epoch: this.epoch, stepInEpoch: this.inEpoch, order: this.order.slice(), rng: this.rng.getState() };
  }

  /** Rewinds to a saved position; the following batches repeat exactly. */
  restore(state: ScheduleState): void {
    this.epoch = state.epoch;
    this.inEpoch = state.stepInEpoch;
    this.order = state.order.slice();
    this.rng = Rng.fromState(state.rng);
  }

  /** The next up to `maxSteps` steps, never crossing an epoch boundary. */
  next(maxSteps: number): ScheduledChunk {
    const steps = Math.min(maxSteps, this.stepsPerEpoch - this.inEpoch);
    const batchIndices = new Uint32Array(steps * this.batchSize);
    const rows = new Uint32Array(steps);
    for (let s = 0; s < steps; s++) {
      const start = (this.inEpoch + s) * this.batchSize;
      const batch = this.order.subarray(start, Math.min(start + this.batchSize, this.order.length));
      batchIndices.set(batch, s * this.batchSize);
      rows[s] = batch.length;
    }
    const epoch = this.epoch;
    this.inEpoch += steps;
    const endsEpoch = this.inEpoch === this.stepsPerEpoch;
    if (endsEpoch) {
      this.epoch++;
      this.inEpoch = 0;
      this.order = this.nextOrder(this.order);
    }
    return { chunk: { batchIndices, rows }, epoch, endsEpoch };
  }
}
