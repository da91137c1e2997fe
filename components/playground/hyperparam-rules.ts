// The hyperparameter form's rules: each numeric field's bounds and the words for a value out of
// them, which optimizer fields change live (no rebuild), and the learning-rate slider's log scale.
import { EXPERIMENT_LIMITS, type ExperimentConfig } from '../../src/config/experiment.ts';
import type { OptimizerConfig } from '../../src/nn/optimizer.ts';

/** Optimizer fields the engine can change between steps without rebuilding the model. */
const LIVE_FIELDS = ['learningRate', 'momentum', 'nesterov', 'beta1', 'beta2', 'epsilon', 'l1', 'l2', 'weightDecay'] as const;

/** The slider spans learning rates 1e-5..10 on a log scale; the number field accepts any value in range. */
export const LR_LOG_MIN = -5;
/** The slider's top: a learning rate of 10. */
export const LR_LOG_MAX = 1;

/** The numeric optimizer fields. */
export type OptimizerNumber = 'learningRate' | 'momentum' | 'beta1' | 'beta2' | 'epsilon' | 'weightDecay';
/** The numeric fields of the experiment itself. */
export type ScheduleNumber = 'batchSize' | 'epochs' | 'validationSplit' | 'testSplit' | 'seed';
/** Every numeric field of the form. */
export type NumberField = OptimizerNumber | ScheduleNumber;

/** Bounds of one numeric field; `above` makes the minimum exclusive. */
export interface Rule {
  label: string;
  min: number;
  max: number;
  integer?: boolean;
  above?: boolean;
  testid: string;
}

/** Each numeric field's label, bounds and test id. */
export const RULES: Record<NumberField, Rule> = {
  learningRate: { label: 'Learning rate', min: 0, max: 10, above: true, testid: 'learning-rate' },
  momentum: { label: 'Momentum', min: 0, max: 0.9999, testid: 'momentum' },
  beta1: { label: 'β1', min: 0, max: 0.9999, testid: 'beta1' },
  beta2: { label: 'β2', min: 0, max: 0.999999, testid: 'beta2' },
  epsilon: { label: 'ε', min: 1e-12, max: 1, testid: 'epsilon' },
  weightDecay: { label: 'Weight decay', min: 0, max: 10, testid: 'weight-decay' },
  batchSize: { label: 'Batch size', min: 1, max: EXPERIMENT_LIMITS.maxBatchSize, integer: true, testid: 'batch-size' },
  epochs: { label: 'Epochs', min: 1, max: EXPERIMENT_LIMITS.maxEpochs, integer: true, testid: 'epochs' },
  validationSplit: { label: 'Validation split', min: 0, max: EXPERIMENT_LIMITS.maxSplit, testid: 'validation-split' },
  testSplit: { label: 'Test split', min: 0, max: EXPERIMENT_LIMITS.maxSplit, testid: 'test-split' },
  seed: { label: 'Seed', min: 0, max: 0xffffffff, integer: true, testid: 'seed' },
};

/** The numeric fields that live in `config.optimizer`. */
export const OPTIMIZER_NUMBERS = new Set<NumberField>(['learningRate', 'momentum', 'beta1', 'beta2', 'epsilon', 'weightDecay']);

/** JSON with sorted object keys, so configs parsed from a URL compare equal to built ones. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

/** The config without the optimizer fields that change live: equal for two configs that differ only in those. */
export function withoutLiveFields(cfg: ExperimentConfig): unknown {
  const optimizer: Partial<OptimizerConfig> = { ...cfg.optimizer };
  for (const k of LIVE_FIELDS) delete optimizer[k];
  // The CPU workers change no model either: a job reads them when it starts, one model never uses them.
  const rest: Partial<ExperimentConfig> = { ...cfg };
  delete rest.cpuWorkers;
  return { ...rest, optimizer };
}

/** Why `text` is not a valid value of the field, in words, or null when it is. */
export function problem(rule: Rule, text: string): string | null {
  const v = text.trim() === '' ? NaN : Number(text);
  const kind = rule.integer ? 'a whole number' : 'a number';
  const range = rule.above ? `above ${rule.min} and at most ${rule.max}` : `from ${rule.min} to ${rule.max}`;
  const bad = !Number.isFinite(v) || (rule.integer && !Number.isInteger(v)) || (rule.above ? v <= rule.min : v < rule.min) || v > rule.max;
  return bad ? `${rule.label} must be ${kind} ${range}.` : null;
}

/** The learning rate a slider position stands for, rounded to what a person would type. */
export function sliderRate(position: number): number {
  return Number((10 ** position).toPrecision(2));
}
