/**
 * A learning-rate schedule over epochs.
 * - `constant`: the base rate throughout.
 * - `step`: multiplied by `factor` every `every` epochs (factor in (0, 1]).
 * - `cosine`: half a cosine from the base rate down to `floor · base` over `epochs` epochs, then
 *   held there. `floor` is a fraction of the base (Keras CosineDecay's `alpha`), so the curve
 *   keeps its shape when the base rate is changed live.
 */
export type LrSchedule = { kind: 'constant' } | { kind: 'step'; every: number; factor: number } | { kind: 'cosine'; epochs: number; floor: number };

/** The schedule kinds, for config validation and the UI's picker. */
export const LR_SCHEDULE_KINDS = ['constant', 'step', 'cosine'] as const;

/** Bounds of schedule fields; the epoch bound matches the experiment's epoch limit. */
export const LR_SCHEDULE_LIMITS = { maxEpochs: 10000 } as const;

/** Checks a schedule field by field; returns it unchanged when valid. */
export function validateLrSchedule(s: LrSchedule): LrSchedule {
  switch (s?.kind) {
    case 'constant':
      return s;
    case 'step':
      checkEpochs('step every', s.every);
      if (typeof s.factor !== 'number' || !Number.isFinite(s.factor) || s.factor <= 0 || s.factor > 1) {
        throw new Error(`step factor must be in (0, 1], got ${s.factor}`);
      }
      return s;
    case 'cosine':
      checkEpochs('cosine epochs', s.epochs);
      if (typeof s.floor !== 'number' || !Number.isFinite(s.floor) || s.floor < 0 || s.floor > 1) {
        throw new Error(`cosine floor must be a fraction of the base rate in [0, 1], got ${s.floor}`);
      }
      return s;
    default:
      throw new Error(`learning-rate schedule must be one of ${LR_SCHEDULE_KINDS.join(', ')}, got ${String((s as { kind?: unknown })?.kind)}`);
  }
}

/** The learning rate for 0-based `epoch` under `schedule`, starting from `base`. */
export function learningRateAt(schedule: LrSchedule, base: number, epoch: number): number {
  validateLrSchedule(schedule);
  checkBase(base);
  if (!Number.isInteger(epoch) || epoch < 0) throw new Error(`epoch must be a whole number ≥ 0, got ${epoch}`);
  return rateAt(schedule, base, epoch);
}

/** The rate of each epoch 0..epochs-1, for the UI's schedule chart. */
export function scheduleCurve(schedule: LrSchedule, base: number, epochs: number): number[] {
  validateLrSchedule(schedule);
  checkBase(base);
  checkEpochs('epochs', epochs);
  return Array.from({ length: epochs }, (_, e) => rateAt(schedule, base, e));
}

function rateAt(s: LrSchedule, base: number, epoch: number): number {
  switch (s.kind) {
    case 'constant':
      return base;
    case 'step':
      return base * s.factor ** Math.floor(epoch / s.every);
    case 'cosine': {
      const progress = Math.min(epoch, s.epochs) / s.epochs;
      return base * (s.floor + ((1 - s.floor) * (1 + Math.cos(Math.PI * progress))) / 2);
    }
  }
}

function checkBase(base: number): void {
  if (typeof base !== 'number' || !Number.isFinite(base) || base <= 0) {
    throw new Error(`base learning rate must be a finite number > 0, got ${base}`);
  }
}

function checkEpochs(field: string, n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > LR_SCHEDULE_LIMITS.maxEpochs) {
    throw new Error(`${field} must be a whole number in 1..${LR_SCHEDULE_LIMITS.maxEpochs}, got ${n}`);
  }
}
