import type { SweepConfig, SweepParam } from '../../src/config/sweep.ts';
import type { HalvingResult, HalvingRow } from '../../src/train/halving.ts';
import type { SweepResult, SweepRow } from '../../src/train/sweep.ts';

/** How each sweepable hyperparameter is named to a reader. */
export const PARAM_LABELS: Record<SweepParam, string> = {
  lr: 'Learning rate',
  batch: 'Batch size',
  epochs: 'Epochs',
  l2: 'L2 strength',
  l1: 'L1 strength',
  dropout: 'Dropout rate',
  optimizer: 'Optimizer',
  seed: 'Seed',
};

/** A hyperparameter's name inside a sentence: "learning rate", but "L2 strength" keeps its capital. */
export function paramNoun(p: SweepParam): string {
  const label = PARAM_LABELS[p];
  return /^L\d/.test(label) ? label : label[0]!.toLowerCase() + label.slice(1);
}

/** A hyperparameter's value as a short text: rates to 3 significant digits, counts whole. */
export function formatValue(value: number | string | undefined): string {
  if (value === undefined) return '–';
  if (typeof value === 'string') return value;
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(3)));
}

/** A share as a percentage with one decimal; a missing score (diverged) as "—". */
export function pct(v: number): string {
  return Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '—';
}

/** A loss to 4 decimals; a missing one as "—". */
export function lossText(v: number): string {
  return Number.isFinite(v) ? v.toFixed(4) : '—';
}

/** The name of a sweep's selection metric, always saying it is measured on the validation split. */
export function metricName(metric: SweepConfig['metric']): string {
  return metric === 'accuracy' ? 'validation accuracy' : 'validation loss';
}

/** A row's score by the sweep's metric (NaN when it has none). */
export function metricOf(row: SweepRow, metric: SweepConfig['metric']): number {
  return metric === 'accuracy' ? row.validationAccuracy : row.validationLoss;
}

/** The score by the metric as text: a percentage for accuracy, a number for loss. */
export function metricText(v: number, metric: SweepConfig['metric']): string {
  return metric === 'accuracy' ? pct(v) : lossText(v);
}

/** Whether a sweep's result came from successive halving (it carries rungs and a budget). */
export function isHalving(r: SweepResult): r is SweepResult & HalvingResult {
  return 'rungs' in r && 'budget' in r;
}

/** How a row ended, in words (never colour alone): "diverged at step 12", "pruned after rung 1", ... */
export function statusText(row: SweepRow): string {
  // Short: the table's Epochs column beside it says how far it trained.
  if ((row as Partial<HalvingRow>).pruned) return `pruned after rung ${(row as HalvingRow).rung + 1}`;
  if (row.status === 'lost') return 'lost: its CPU workers kept dying';
  if (row.status === 'diverged') return row.divergedAt === null ? 'diverged' : `diverged at step ${row.divergedAt}`;
  if (row.status === 'early-stopped') return 'stopped early';
  if (row.status === 'cancelled') return 'cancelled';
  return 'done';
}

/** A row's varied values as "lr 0.01, batch 32" (seed included when it varies). */
export function valuesText(row: SweepRow, varied: readonly SweepParam[]): string {
  return varied.map((p) => `${p === 'lr' ? 'lr' : paramNoun(p)} ${formatValue(row.values[p])}`).join(', ');
}

/** The playground link of a row: `index.html#<hash>` by default, relative to the page. */
export function rowHref(playground: string, row: SweepRow): string {
  return `${playground}#${row.hash}`;
}

/**
 * Whether a hyperparameter is drawn on a log axis: always the learning rate (searched on a log
 * scale); batch sizes, L2 and L1 when every value is above 0 and they span a factor of 8 or more.
 */
export function logAxis(param: SweepParam, values: number[]): boolean {
  if (param === 'lr') return true;
  if (param !== 'batch' && param !== 'l2' && param !== 'l1') return false;
  return values.length > 0 && values.every((v) => v > 0) && Math.max(...values) / Math.min(...values) >= 8;
}
