import type { ReactiveControllerHost } from 'lit';
import type { ExperimentConfig } from '../src/config/experiment.ts';
import type { LabeledTable } from '../src/data/dataset.ts';
import type { OptimizerKind } from '../src/nn/optimizer.ts';
import type { CrossValidationResult, EnsembleMode, EnsembleResult, RaceEntry } from '../src/train/multi-run.ts';
import type { EngineClient } from '../src/worker/client.ts';
import type { MultiRunStatus } from './sp-multi-run.ts';

/** Results of the multi-run jobs for the current experiment, and the one running. */
export interface MultiRunJobs {
  running: MultiRunStatus | null;
  cv: CrossValidationResult | null;
  ensemble: EnsembleResult | null;
  race: RaceEntry[] | null;
  error: string | null;
}

/**
 * Jobs that train several models of the built experiment in the worker (cross-validation,
 * ensembles, an optimizer race), one at a time, with progress. A rebuild discards their results.
 */
export class MultiRunController {
  jobs: MultiRunJobs = { running: null, cv: null, ensemble: null, race: null, error: null };

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly client: () => EngineClient,
    private readonly current: () => { config: ExperimentConfig; table: LabeledTable | null } | null,
    private readonly generationOf: () => number,
  ) {}

  /** Forgets the results of the previous experiment. */
  reset(): void {
    this.jobs = { ...this.jobs, cv: null, ensemble: null, race: null, error: null };
  }

  /** Cross-validates the built experiment in the worker. */
  crossValidate(k: number, balanced: boolean): Promise<void> {
    return this.job('cv', k, (c, t, p) => this.client().crossValidate(c, k, balanced, t, p), (r) => (this.jobs.cv = r));
  }

  /** Trains an ensemble of the built experiment in the worker. */
  trainEnsemble(members: number, mode: EnsembleMode): Promise<void> {
    return this.job('ensemble', members, (c, t, p) => this.client().trainEnsemble(c, members, mode, t, p), (r) => (this.jobs.ensemble = r));
  }

  /** Races optimizers on the built experiment in the worker. */
  raceOptimizers(kinds: OptimizerKind[]): Promise<void> {
    return this.job('race', kinds.length, (c, t, p) => this.client().raceOptimizers(c, kinds, t, p), (r) => (this.jobs.race = r));
  }

  private async job<T>(
    job: MultiRunStatus['job'],
    total: number,
    run: (config: ExperimentConfig, table: LabeledTable | null, progress: (done: number, total: number) => void) => Promise<T>,
    keep: (result: T) => void,
  ): Promise<void> {
    const built = this.current();
    if (!built || this.jobs.running) return;
    const generation = this.generationOf();
    this.jobs = { ...this.jobs, running: { job, done: 0, total }, error: null };
    this.host.requestUpdate();
    try {
      const result = await run(built.config, built.table, (done, n) => {
        if (generation !== this.generationOf()) return;
        this.jobs = { ...this.jobs, running: { job, done, total: n } };
        this.host.requestUpdate();
      });
      if (generation === this.generationOf()) keep(result);
    } catch (e) {
      if (generation === this.generationOf()) this.jobs.error = e instanceof Error ? e.message : String(e);
    }
    this.jobs = { ...this.jobs, running: null };
    this.host.requestUpdate();
  }
}
