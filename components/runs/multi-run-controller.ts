import type { ReactiveControllerHost } from 'lit';
import type { ExperimentConfig } from '../../src/config/experiment.ts';
import type { LabeledTable } from '../../src/data/dataset.ts';
import type { OptimizerKind } from '../../src/nn/optimizer.ts';
import type { CrossValidationResult, EnsembleMode, EnsembleResult, JobProgress, RaceEntry } from '../../src/worker/api.ts';
import type { EngineClient } from '../../src/worker/client.ts';
import type { MultiRunStatus } from './sp-multi-run.ts';
import { WorkerJobSlot } from '../../src/worker/worker-job.ts';
import { messageOf } from '../shared/worker-controller.ts';
import { PlaygroundEnsembles } from '../ensembles/playground-ensembles.ts';

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
 * ensembles, an optimizer race), one at a time, with progress. `cancel` stops the running one
 * after the chunk in flight; a rebuild or a removal from the page cancels it and discards results.
 */
export class MultiRunController {
  jobs: MultiRunJobs = { running: null, cv: null, ensemble: null, race: null, error: null };
  private readonly slot = new WorkerJobSlot();
  /** Boosting and stacking: their settings (link keys `boost=`, `stack=`) and runners on this worker and the built CSV table. */
  readonly ensembles: PlaygroundEnsembles;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly client: () => EngineClient,
    private readonly built: () => { config: ExperimentConfig; table: LabeledTable | null } | null,
    private readonly generationOf: () => number,
  ) {
    this.ensembles = new PlaygroundEnsembles(host, () => this.built()?.table ?? null, client);
  }

  /** Forgets the results of the previous experiment. */
  reset(): void {
    this.jobs = { ...this.jobs, cv: null, ensemble: null, race: null, error: null };
  }

  /** Cross-validates the built experiment in the worker. */
  crossValidate(k: number, balanced: boolean): Promise<void> {
    return this.job(
      'cv',
      k,
      (c, t, p, id) => this.client().crossValidate(c, k, balanced, t, p, id),
      (r) => (this.jobs.cv = r),
    );
  }

  /** Trains an ensemble of the built experiment in the worker. */
  trainEnsemble(members: number, mode: EnsembleMode): Promise<void> {
    return this.job(
      'ensemble',
      members,
      (c, t, p, id) => this.client().trainEnsemble(c, members, mode, t, p, id),
      (r) => (this.jobs.ensemble = r),
    );
  }

  /** Races optimizers on the built experiment in the worker. */
  raceOptimizers(kinds: OptimizerKind[]): Promise<void> {
    return this.job(
      'race',
      kinds.length,
      (c, t, p, id) => this.client().raceOptimizers(c, kinds, t, p, id),
      (r) => (this.jobs.race = r),
    );
  }

  /** Stops the running job after the chunk in flight; the panel shows no error for it. */
  cancel(): void {
    if (!this.slot.abandon()) return;
    this.jobs = { ...this.jobs, running: null };
    this.host.requestUpdate();
  }

  private async job<T>(
    job: MultiRunStatus['job'],
    total: number,
    run: (config: ExperimentConfig, table: LabeledTable | null, progress: JobProgress, id: number) => Promise<T>,
    keep: (result: T) => void,
  ): Promise<void> {
    const built = this.built();
    if (!built || this.jobs.running) return;
    const generation = this.generationOf();
    const mine = this.slot.start(this.client());
    const live = () => this.slot.isCurrent(mine) && generation === this.generationOf();
    this.jobs = { ...this.jobs, running: { job, done: 0, total }, error: null };
    this.host.requestUpdate();
    try {
      const result = await run(
        built.config,
        built.table,
        (done, n) => {
          if (!live()) return;
          this.jobs = { ...this.jobs, running: { job, done, total: n } };
          this.host.requestUpdate();
        },
        mine.id,
      );
      if (live()) keep(result);
    } catch (e) {
      if (live()) this.jobs.error = messageOf(e);
    }
    if (!this.slot.finish(mine)) return;
    this.jobs = { ...this.jobs, running: null };
    this.host.requestUpdate();
  }
}
