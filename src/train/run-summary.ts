import type { EpochRecord } from './records.ts';

/** What a finished (or paused) run reached, for comparing two runs. */
export interface RunSummary {
  epochs: number;
  finalTrainLoss: number | null;
  finalValidationLoss: number | null;
  finalValidationAccuracy: number | null;
  /** Lowest validation loss and the epoch it was reached at; null without validation rows. */
  bestValidationLoss: { value: number; epoch: number } | null;
  /** Final validation loss minus final train loss: how far the model overfits. */
  generalizationGap: number | null;
}

/** The summary of a run's epoch history. */
export function summarizeRun(history: readonly EpochRecord[]): RunSummary {
  const last = history[history.length - 1];
  let best: RunSummary['bestValidationLoss'] = null;
  for (const r of history) {
    if (r.validationLoss !== null && Number.isFinite(r.validationLoss) && (!best || r.validationLoss < best.value))
      best = { value: r.validationLoss, epoch: r.epoch };
  }
  const vl = last?.validationLoss ?? null;
  const tl = last?.trainLoss ?? null;
  return {
    epochs: last?.epoch ?? 0,
    finalTrainLoss: tl,
    finalValidationLoss: vl,
    finalValidationAccuracy: last?.validationAccuracy ?? null,
    bestValidationLoss: best,
    generalizationGap: vl !== null && tl !== null ? vl - tl : null,
  };
}
