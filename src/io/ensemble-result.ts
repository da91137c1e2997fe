// The result files of boosting and stacking that the page downloads (Download result) for an
// exported script's --check (export-ensembles.ts): the run's settings, so the script can refuse
// another run's file, and its figures. JSON has no NaN: a figure that is NaN (an empty split, no
// ensemble) is written as null, as the script writes None.
import type { ExperimentConfig } from '../config/experiment.ts';
import { encodeHash } from '../config/url.ts';
import type { BoostingOptions, BoostingResult } from '../train/boosting.ts';
import type { StackingOptions, StackingResult, StackScore } from '../train/stacking.ts';

/** Above this many values the out-of-fold matrix is left out of a stacking result file (MNIST-sized runs); the scores are still checked. */
export const MAX_OUT_OF_FOLD_VALUES = 200_000;

const num = (x: number): number | null => (Number.isFinite(x) ? x : null);
const score = (s: StackScore) => ({ accuracy: num(s.accuracy), macroF1: num(s.macroF1) });

/**
 * A boosting run's result file: per round the outcome, weighted error, vote and the ensemble's
 * accuracy on each split, and each kept member's class for every dataset row (the script follows
 * the page's class on a near tie, so later rounds see the same weights). `config` and `options`
 * are the driver's (boostingRun's), as the script was exported with.
 */
export function boostingResultJson(config: ExperimentConfig, options: BoostingOptions, result: BoostingResult): string {
  return JSON.stringify({
    format: 'shaderprop-boosting',
    version: 1,
    config: encodeHash(config),
    options,
    rounds: result.rounds.map((r) => ({
      round: r.round,
      outcome: r.outcome,
      error: num(r.error),
      alpha: r.alpha,
      accuracy: { train: num(r.accuracy.train), validation: num(r.accuracy.validation), test: num(r.accuracy.test) },
    })),
    members: result.predictions.map((p) => Array.from(p)),
    message: result.message,
    cancelled: result.cancelled,
  });
}

/**
 * A stacking run's result file: each base learner's, the soft vote's and the stack's test accuracy
 * and macro F1, the meta-learner's inputs per row, and the out-of-fold matrix (rows of the
 * training ∪ validation split ascending, learner-major columns; left out, as null, above
 * MAX_OUT_OF_FOLD_VALUES values).
 */
export function stackingResultJson(config: ExperimentConfig, options: StackingOptions, result: StackingResult): string {
  return JSON.stringify({
    format: 'shaderprop-stacking',
    version: 1,
    config: encodeHash(config),
    options,
    learners: result.learners.map(score),
    average: score(result.average),
    stack: score(result.stack),
    metaInputs: result.metaInputs,
    outOfFold: result.outOfFold.length <= MAX_OUT_OF_FOLD_VALUES ? Array.from(result.outOfFold) : null,
  });
}
