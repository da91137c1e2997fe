import type { EpochRecord } from './trainer.ts';

/** The validation metrics early stopping can watch. */
export type EarlyStoppingMonitor = 'validation_loss' | 'validation_accuracy';

/** Settings of early stopping, with Keras's names and meaning. */
export interface EarlyStoppingOptions {
  monitor: EarlyStoppingMonitor;
  /** Epochs without improvement tolerated before stopping (0 stops at the first one). */
  patience: number;
  /** How much better than the best so far a value must be to count as an improvement. */
  minDelta?: number;
}

/** What one epoch meant for early stopping. */
export interface EarlyStoppingDecision {
  /** This epoch beat the best by more than minDelta: checkpoint its weights now. */
  improved: boolean;
  /** Patience ran out: stop training and restore the best epoch's weights. */
  stop: boolean;
  /** `EpochRecord.epoch` of the best epoch so far; 0 (the initial weights) before any improvement. */
  bestEpoch: number;
}

/** Bounds of the early-stopping settings. */
export const EARLY_STOPPING_LIMITS = { maxPatience: 10000 } as const;

/**
 * Keras's EarlyStopping callback as a pure state machine over epoch records: loss is minimized,
 * accuracy maximized; an epoch improves when it beats the best by strictly more than `minDelta`;
 * after `patience` consecutive epochs without improvement it says stop. A NaN value never
 * improves (every comparison with NaN is false), so a diverging run runs out its patience instead
 * of checkpointing garbage. Like Keras, it never stops on the very first epoch it sees.
 */
export class EarlyStopping {
  readonly options: Required<EarlyStoppingOptions>;
  private bestValue: number;
  private bestAt = 0;
  private waited = 0;
  private seen = 0;

  constructor(options: EarlyStoppingOptions) {
    this.options = validateEarlyStopping(options);
    this.bestValue = this.minimizes ? Infinity : -Infinity;
  }

  /** The best monitored value so far (±Infinity before any improvement). */
  get best(): number {
    return this.bestValue;
  }

  /** Epochs since the last improvement. */
  get wait(): number {
    return this.waited;
  }

  private get minimizes(): boolean {
    return this.options.monitor === 'validation_loss';
  }

  /** Feeds one finished epoch; throws when the record lacks the monitored validation metric. */
  update(record: EpochRecord): EarlyStoppingDecision {
    const value = this.minimizes ? record.validationLoss : record.validationAccuracy;
    if (value === null) {
      throw new Error(`early stopping monitors ${this.options.monitor}, but epoch ${record.epoch} has none: it needs a validation split`);
    }
    this.seen++;
    const { minDelta, patience } = this.options;
    const improved = this.minimizes ? value + minDelta < this.bestValue : value - minDelta > this.bestValue;
    if (improved) {
      this.bestValue = value;
      this.bestAt = record.epoch;
      this.waited = 0;
      return { improved, stop: false, bestEpoch: this.bestAt };
    }
    this.waited++;
    return { improved, stop: this.waited >= patience && this.seen > 1, bestEpoch: this.bestAt };
  }

  /** Forgets all history, for a new run with the same settings. */
  reset(): void {
    this.bestValue = this.minimizes ? Infinity : -Infinity;
    this.bestAt = 0;
    this.waited = 0;
    this.seen = 0;
  }
}

/** Checks early-stopping settings field by field, filling minDelta's default of 0. */
export function validateEarlyStopping(o: EarlyStoppingOptions): Required<EarlyStoppingOptions> {
  if (o.monitor !== 'validation_loss' && o.monitor !== 'validation_accuracy') {
    throw new Error(`early stopping monitor must be validation_loss or validation_accuracy, got ${String(o.monitor)}`);
  }
  if (!Number.isInteger(o.patience) || o.patience < 0 || o.patience > EARLY_STOPPING_LIMITS.maxPatience) {
    throw new Error(`patience must be a whole number in 0..${EARLY_STOPPING_LIMITS.maxPatience}, got ${o.patience}`);
  }
  const minDelta = o.minDelta ?? 0;
  if (typeof minDelta !== 'number' || !Number.isFinite(minDelta) || minDelta < 0) {
    throw new Error(`minDelta must be a finite number ≥ 0, got ${minDelta}`);
  }
  return { monitor: o.monitor, patience: o.patience, minDelta };
}
