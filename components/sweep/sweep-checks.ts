// What <sp-sweep> says in words: the first problem with a sweep's settings (worded for the field
// it names), a problem of the experiment that would stop the sweep, and the live region's words
// when a sweep ends; and successive halving's plan against the experiment's epochs.
import { remediesOf, taskOf, type ExperimentConfig } from '../../src/config/experiment.ts';
import { REGRESSION_OFF } from '../../src/config/task.ts';
import { sweepSize, validateSweep, type SweepConfig } from '../../src/config/sweep.ts';
import { halvingRungs, plannedEpochs, type HalvingRung } from '../../src/train/halving-plan.ts';
import type { SweepResult } from '../../src/train/sweep.ts';
import type { SweepFieldError } from './sp-sweep-settings.ts';
import { isHalving, metricName, metricOf, metricText } from './sweep-format.ts';

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
  'sweep.eta': 'η',
  'sweep.minEpochs': 'Minimum budget',
};

/** A ConfigError (or anything thrown) as the message beside the field it names. */
function fieldError(e: unknown): SweepFieldError {
  const field = (e as { field?: unknown }).field;
  if (typeof field !== 'string') return { field: 'sweep', message: String((e as Error).message ?? e) };
  const reason = (e as Error).message.slice(field.length + 2);
  return { field, message: field === 'sweep' ? `The sweep ${reason}.` : `${FIELD_LABELS[field] ?? field}: ${reason}.` };
}

/** The first problem with a sweep's settings, worded for the field it names; null when valid. */
export function sweepProblem(s: SweepConfig): SweepFieldError | null {
  try {
    validateSweep(s);
    return null;
  } catch (e) {
    return fieldError(e);
  }
}

/** What a valid halving sweep will train: its rungs, and model-epochs planned against a full grid's. */
export interface HalvingPlan {
  rungs: HalvingRung[];
  planned: number;
  full: number;
}

/**
 * Successive halving's plan for `sweep` on an experiment of `epochs` epochs, or the problem (a
 * minimum budget at or above the epochs, fewer than two configurations) beside the field it
 * names; null for another mode. Checked here because only the pair (sweep, experiment) knows it.
 */
export function halvingPlan(sweep: SweepConfig, epochs: number): HalvingPlan | SweepFieldError | null {
  if (sweep.mode !== 'halving' || sweep.eta === undefined || sweep.minEpochs === undefined) return null;
  if (sweepSize(sweep) < 2)
    return { field: 'sweep', message: 'Successive halving needs at least 2 configurations to choose between: vary something, or add seeds.' };
  try {
    const rungs = halvingRungs(sweepSize(sweep), epochs, sweep.minEpochs, sweep.eta);
    return { rungs, planned: plannedEpochs(rungs), full: sweepSize(sweep) * epochs };
  } catch (e) {
    return fieldError(e);
  }
}

/** The plan's problem, if halvingPlan found one. */
export function planProblem(sweep: SweepConfig, epochs: number): SweepFieldError | null {
  const plan = halvingPlan(sweep, epochs);
  return plan && 'message' in plan ? plan : null;
}

/** A problem of the experiment itself that would stop this sweep, said before it starts. */
export function experimentProblem(config: ExperimentConfig, sweep: SweepConfig): string | null {
  if (config.validationSplit <= 0) return 'A sweep picks its best configuration on the validation split: give the experiment a validation split above 0.';
  if (sweep.dropout && config.hidden.length === 0) return 'Dropout needs hidden layers: add a layer to the network, or vary something else.';
  if (taskOf(config) === 'regression' && sweep.metric === 'accuracy') return `${REGRESSION_OFF.accuracy} Pick the best by validation loss.`;
  // Halving decides when each configuration stops; early stopping would stop them itself.
  if (sweep.mode === 'halving' && remediesOf(config).earlyStopping)
    return 'Successive halving decides when each configuration stops: turn early stopping off in the experiment, or choose Grid search.';
  return null;
}

/** What the live region says when a sweep ends: finished (with the best score) or cancelled. */
export function sweepAnnouncement(r: SweepResult, done: number): string {
  const diverged = r.rows.filter((row) => row.status === 'diverged').length;
  const lost = r.rows.filter((row) => row.status === 'lost').length;
  const best = r.best === null ? 'no configuration has a score' : `best ${metricName(r.metric)} ${metricText(metricOf(r.rows[r.best]!, r.metric), r.metric)}`;
  if (r.cancelled) return `Sweep cancelled: ${done} of ${r.rows.length} models finished; no test score.`;
  // Halving's point is the budget it saved, so the announcement says it too.
  const budget = isHalving(r) ? `; ${r.budget.used} of ${r.budget.full} model-epochs` : '';
  return `Sweep finished: ${r.rows.length} models${diverged ? `, ${diverged} diverged` : ''}${lost ? `, ${lost} lost` : ''}; ${best}${budget}.`;
}
