// Boosting and stacking trained in the page's shared engine worker.
import type { ExperimentConfig } from '../../src/config/experiment.ts';
import type { LabeledTable } from '../../src/data/dataset.ts';
import type { EnsembleRunner } from './ensemble-runner.ts';
import type { BoostingEvent, BoostingOptions, BoostingResult, StackingOptions, StackingResult } from '../../src/worker/api.ts';
import type { EngineClient } from '../../src/worker/client.ts';
import { sharedClient } from '../../src/worker/shared-client.ts';
import { WorkerJobSlot } from '../../src/worker/worker-job.ts';
import { engineWorkerUrl } from '../../src/worker/worker-url.ts';

/**
 * Runs boosting and stacking in the page's shared engine worker (with the CSV table when the
 * experiment is on one), as the other multi-run jobs do: a cancelled boosting run resolves with
 * its finished rounds, a cancelled stacking run rejects with a JobCancelledError.
 */
export class WorkerEnsembleRunner implements EnsembleRunner {
  private readonly slot = new WorkerJobSlot();

  constructor(
    private readonly table: () => LabeledTable | null = () => null,
    private readonly client: () => EngineClient = () => sharedClient(engineWorkerUrl()),
  ) {}

  async boost(config: ExperimentConfig, options: BoostingOptions, onEvent: (e: BoostingEvent) => void): Promise<BoostingResult> {
    const job = this.slot.start(this.client());
    try {
      return await job.client.boost(config, options, this.tableFor(config), (e) => this.slot.isCurrent(job) && onEvent(e), job.id);
    } finally {
      this.slot.finish(job);
    }
  }

  async stack(config: ExperimentConfig, options: StackingOptions, onProgress: (done: number, total: number) => void): Promise<StackingResult> {
    const job = this.slot.start(this.client());
    try {
      return await job.client.stack(config, options, this.tableFor(config), (d, t) => this.slot.isCurrent(job) && onProgress(d, t), job.id);
    } finally {
      this.slot.finish(job);
    }
  }

  cancel(): void {
    this.slot.cancel();
  }

  private tableFor(config: ExperimentConfig): LabeledTable | null {
    return config.dataset.name === 'csv' ? this.table() : null;
  }
}
