// What <sp-sweep> says in words: the first problem with a sweep's settings (worded for the field
// it names), a problem of the experiment that would stop the sweep, and the live region's words
// when a sweep ends.
import { taskOf, type ExperimentConfig } from '../../src/config/experiment.ts';
import { REGRESSION_OFF } from '../../src/config/task.ts';
import { validateSweep, type SweepConfig } from '../../src/config/sweep.ts';
import type { SweepResult } from '../../src/train/sweep.ts';
import type { SweepFieldError } from './sp-sweep-settings.ts';
import { metricName, metricOf, metricText } from './sweep-format.ts';

const FIELD_LABELS: Record<string, string> = {
  'sweep.mode': 'Search',
  'sweep.metric': 'Metric',
  'sweep.budget': 'Budget',
  'sweep.seed': 'Random-search seed',
  'sweep.replicates': 'Seeds per configuration',
  'sweep.lr': 'Learning rate',
  'sweep.batch': 'Batch sizes',
  'sweep.epochs': 'Epochs',
  'sweep.l2': 'L2 strength',
  'sweep.l1': 'L1 strength',
  'sweep.dropout': 'Dropout rate',
  'sweep.optimizer': 'Optimizers',
};

/** The first problem with a sweep's settings, worded for the field it names; null when valid. */
export function sweepProblem(s: SweepConfig): SweepFieldError | null {
  try {
    validateSweep(s);
    return null;
  } catch (e) {
    const field = (e as { field?: unknown }).field;
    if (typeof field !== 'string') return { field: 'sweep', message: String((e as Error).message ?? e) };
    const reason = (e as Error).message.slice(field.length + 2);
    return { field, message: field === 'sweep' ? `The sweep ${reason}.` : `${FIELD_LABELS[field] ?? field}: ${reason}.` };
  }
}

/** A problem of the experiment itself that would stop this sweep, said before it starts. */
export function experimentProblem(config: ExperimentConfig, sweep: SweepConfig): string | null {
  if (config.validationSplit <= 0) return 'A sweep picks its best configuration on the validation split: give the experiment a validation split above 0.';
  if (sweep.dropout && config.hidden.length === 0) return 'Dropout needs hidden layers: add a layer to the network, or vary something else.';
  if (taskOf(config) === 'regression' && sweep.metric === 'accuracy') return `${REGRESSION_OFF.accuracy} Pick the best by validation loss.`;
  // The engine has successive halving (src/train/halving.ts); this page does not run it yet.
  if (sweep.mode === 'halving') return 'Successive halving is not available on this page yet: choose Grid or Random search.';
  return null;
}

/** What the live region says when a sweep ends: finished (with the best score) or cancelled. */
export function sweepAnnouncement(r: SweepResult, done: number): string {
  const diverged = r.rows.filter((row) => row.status === 'diverged').length;
  const best = r.best === null ? 'no configuration has a score' : `best ${metricName(r.metric)} ${metricText(metricOf(r.rows[r.best]!, r.metric), r.metric)}`;
  if (r.cancelled) return `Sweep cancelled: ${done} of ${r.rows.length} models finished; no test score.`;
  return `Sweep finished: ${r.rows.length} models${diverged ? `, ${diverged} diverged` : ''}; ${best}.`;
}
