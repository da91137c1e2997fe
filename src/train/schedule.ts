import { Rng, type RngState } from '../nn/rng.ts';
import type { StepChunk } from './backend.ts';

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
  private stepInEpoch = 0;

  constructor(
    train: Uint32Array,
    readonly batchSize: number,
    seed: number,
  ) {
    if (train.length === 0) throw new Error('the training split is empty');
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size must be a whole number ≥ 1, got ${batchSize}`);
    this.stepsPerEpoch = Math.ceil(train.length / batchSize);
    this.rng = new Rng(seed ^ 0x5bd1e995);
    this.order = this.rng.shuffle(Uint32Array.from(train));
  }

  /** Epoch of the next step. */
  get currentEpoch(): number {
    return this.epoch;
  }

  /** Where the schedule stands, to rewind to it after a rollback. */
  save(): ScheduleState {
    return { epoch: this.epoch, stepInEpoch: this.stepInEpoch, order: this.order.slice(), rng: this.rng.getState() };
  }

  /** Rewinds to a saved position; the following batches repeat exactly. */
  restore(state: ScheduleState): void {
    this.epoch = state.epoch;
    this.stepInEpoch = state.stepInEpoch;
    this.order = state.order.slice();
    this.rng = Rng.fromState(state.rng);
  }

  /** The next up to `maxSteps` steps, never crossing an epoch boundary. */
  next(maxSteps: number): ScheduledChunk {
    const steps = Math.min(maxSteps, this.stepsPerEpoch - this.stepInEpoch);
    const batchIndices = new Uint32Array(steps * this.batchSize);
    const rows = new Uint32Array(steps);
    for (let s = 0; s < steps; s++) {
      const start = (this.stepInEpoch + s) * this.batchSize;
      const batch = this.order.subarray(start, Math.min(start + this.batchSize, this.order.length));
      batchIndices.set(batch, s * this.batchSize);
      rows[s] = batch.length;
    }
    const epoch = this.epoch;
    this.stepInEpoch += steps;
    const endsEpoch = this.stepInEpoch === this.stepsPerEpoch;
    if (endsEpoch) {
      this.epoch++;
      this.stepInEpoch = 0;
      this.order = this.rng.shuffle(this.order);
    }
    return { chunk: { batchIndices, rows }, epoch, endsEpoch };
  }
}
