// What trains boosting and stacking for their elements, and the default an element alone in a
// post gets from the widgets bundle (kept apart from the worker client, which the bundle brings).
import type { ExperimentConfig } from '../../src/config/experiment.ts';
import type { BoostingEvent, BoostingOptions, BoostingResult, StackingOptions, StackingResult } from '../../src/worker/api.ts';

/** Trains one boosting or stacking run at a time; `cancel` stops it after the chunk in flight. */
export interface EnsembleRunner {
  boost(config: ExperimentConfig, options: BoostingOptions, onEvent: (e: BoostingEvent) => void): Promise<BoostingResult>;
  stack(config: ExperimentConfig, options: StackingOptions, onProgress: (done: number, total: number) => void): Promise<StackingResult>;
  cancel(): void;
}

/** An element that trains through a runner. */
export interface RunnerHost {
  runner: EnsembleRunner | null;
}

const connected = new Set<RunnerHost>();
let makeDefault: (() => EnsembleRunner) | null = null;

/** Gives every connected element without a runner one from `make`, and every later one too. */
export function useDefaultEnsembleRunner(make: () => EnsembleRunner): void {
  makeDefault = make;
  for (const el of connected) if (!el.runner) el.runner = make();
}

/** Called when an element joins the page: it gets the default runner if it has none. */
export function joinRunners(el: RunnerHost): void {
  connected.add(el);
  if (!el.runner && makeDefault) el.runner = makeDefault();
}

/** Called when an element leaves the page. */
export function leaveRunners(el: RunnerHost): void {
  connected.delete(el);
}
