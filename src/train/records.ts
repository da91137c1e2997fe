// What a training run records and keeps: epoch records, checkpoints, and how a run can end.
import type { ScheduleState } from './schedule.ts';

/** Metrics of one finished epoch. Accuracy is null for regression (MSE) heads. */
export interface EpochRecord {
  epoch: number;
  step: number;
  trainLoss: number;
  trainAccuracy: number | null;
  validationLoss: number | null;
  validationAccuracy: number | null;
  /** With early stopping: the best epoch so far (0 = the initial weights). */
  bestEpoch?: number;
  /** With early stopping, on the last record of a run it ended: this epoch. */
  stoppedEpoch?: number;
}

/** How early stopping ended a run. */
export interface EarlyStopResult {
  /** The epoch after which training stopped. */
  stoppedEpoch: number;
  /** The epoch whose weights were restored (0 = the initial weights). */
  bestEpoch: number;
  /** The monitored value at the best epoch. */
  best: number;
}

/**
 * Raised when a loss, or a weight read back at a checkpoint, turns NaN or infinite (in float32,
 * the arena's format); the trainer has rolled back when this reaches you.
 */
export class DivergenceError extends Error {
  constructor(
    readonly step: number,
    readonly what: 'loss' | 'weights',
    readonly value: number,
    readonly restoredStep: number,
  ) {
    super(
      `Training diverged at step ${step}: ${what === 'loss' ? 'the loss' : 'a weight'} became ${value}. ` +
        `The weights were rolled back to step ${restoredStep}, the last finite checkpoint. Lower the learning rate, then continue.`,
    );
    this.name = 'DivergenceError';
  }
}

/** Default checkpoint spacing: a rollback or device loss loses at most this many steps plus one submit. */
export const CHECKPOINT_EVERY = 100;

/** Everything needed to resume training exactly at a step. */
export interface Checkpoint {
  step: number;
  epochs: number;
  params: Float32Array;
  schedule: ScheduleState;
}
