// How the sweep settings form edits a draft: what a hyperparameter's range, list or choices start
// as when "vary" is first ticked, how its values are spread per search mode, and how typed text
// and patches become a new draft.
import type { SweepConfig, SweepRange } from '../../src/config/sweep.ts';
import type { OptimizerKind } from '../../src/nn/optimizer.ts';

/** The numeric hyperparameters a sweep takes a range for. */
export type RangeParam = 'lr' | 'epochs' | 'l2' | 'l1' | 'dropout';

/** What each range, the batch sizes and the optimizers start as (see startOf). */
const START_RANGES: Record<RangeParam, SweepRange> = {
  lr: { min: 1e-4, max: 1, steps: 5 },
  epochs: { min: 25, max: 200, steps: 4 },
  l2: { min: 0, max: 0.01, steps: 3 },
  l1: { min: 0, max: 0.01, steps: 3 },
  dropout: { min: 0, max: 0.5, steps: 3 },
};
const START_BATCH = [8, 32, 128];
const START_OPTIMIZERS: OptimizerKind[] = ['sgd', 'adam'];
/** Each optimizer's name as the form shows it. */
export const OPTIMIZER_LABELS: Record<OptimizerKind, string> = { sgd: 'SGD', momentum: 'Momentum', adam: 'Adam', adamw: 'AdamW' };
/** How a range's values are spread, per search mode (SweepRange's rules). */
export const RANGE_NOTES: Record<SweepConfig['mode'], Partial<Record<RangeParam, string>>> = {
  grid: { lr: 'log-spaced', l2: 'log-spaced when from > 0', l1: 'log-spaced when from > 0' },
  // Successive halving prunes the grid's points, spread as the grid spreads them.
  halving: { lr: 'log-spaced', l2: 'log-spaced when from > 0', l1: 'log-spaced when from > 0' },
  random: { lr: 'log-uniform draws', l2: 'log-uniform draws when from > 0', l1: 'log-uniform draws when from > 0' },
};

/** The number typed in a field; NaN when it is empty, so validation refuses it rather than reading 0. */
export const num = (text: string) => (text.trim() === '' ? NaN : Number(text));
/** A comma-separated list of numbers as typed; empty text is the empty list. */
export const parseList = (text: string): number[] => (text.trim() === '' ? [] : text.split(',').map(num));

/** What a range, the batch sizes or the optimizers start as the first time a person ticks "vary". */
export function startOf(param: RangeParam | 'batch' | 'optimizer'): SweepRange | number[] | OptimizerKind[] {
  return param === 'batch' ? START_BATCH : param === 'optimizer' ? START_OPTIMIZERS : START_RANGES[param];
}

/** What a list field shows: the text as typed while it still stands for `list` (a rejected "8, x" stays), else the list. */
export function listText(typed: string | null, list: number[]): string {
  if (typed !== null) {
    const parsed = parseList(typed);
    if (parsed.length === list.length && parsed.every((v, i) => Object.is(v, list[i]))) return typed;
  }
  return list.join(', ');
}

/** The config with `patch` applied; keys patched to undefined are removed (that hyperparameter stops varying). */
export function patched(s: SweepConfig, patch: Partial<SweepConfig>): SweepConfig {
  const next: Record<string, unknown> = { ...s, ...patch };
  for (const k of Object.keys(next)) if (next[k] === undefined) delete next[k];
  return next as unknown as SweepConfig;
}
