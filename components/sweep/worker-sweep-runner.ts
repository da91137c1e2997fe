import type { ExperimentConfig } from '../../src/config/experiment.ts';
import type { SweepConfig } from '../../src/config/sweep.ts';
import type { LabeledTable } from '../../src/data/dataset.ts';
import type { SweepProgress, SweepResult, SweepRunner } from '../../src/train/sweep.ts';
import type { EngineClient } from '../../src/worker/client.ts';
import { sharedClient } from '../../src/worker/shared-client.ts';
import { WorkerJobSlot } from '../../src/worker/worker-job.ts';
import { engineWorkerUrl } from '../../src/worker/worker-url.ts';

/**
 * Trains sweeps in the page's shared engine worker, so the page never blocks: `run` sends the
 * experiment and the sweep (with the CSV table when the experiment is on one), `cancel` stops the
 * running sweep after the chunk in flight, and the sweep then resolves with what it trained.
 * A sweep of mode halving runs through runHalving, and resolves with its HalvingResult (rungs,
 * budget and each row's rung) where a SweepResult is expected.
 */
export class WorkerSweepRunner implements SweepRunner {
  private readonly slot = new WorkerJobSlot();

  constructor(
    /** The CSV table an experiment on `dataset=csv` trains on; null for the built-in datasets. */
    private readonly table: () => LabeledTable | null = () => null,
    private readonly client: () => EngineClient = () => sharedClient(engineWorkerUrl()),
  ) {}

  async run(config: ExperimentConfig, sweep: SweepConfig, onProgress: (p: SweepProgress) => void): Promise<SweepResult> {
    const job = this.slot.start(this.client());
    try {
      const table = config.dataset.name === 'csv' ? this.table() : null;
      if (sweep.mode === 'halving') return await job.client.runHalving(config, sweep, table, onProgress, job.id);
      return await job.client.runSweep(config, sweep, table, onProgress, job.id);
    } finally {
      this.slot.finish(job);
    }
  }

  cancel(): void {
    this.slot.cancel();
  }
}
