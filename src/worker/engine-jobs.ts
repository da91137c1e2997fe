// The engine's cancellable jobs: the registry that cancelJob(jobId) reaches, and the multi-model
// jobs (cross-validation, ensembles, optimizer races, sweeps) that run under it. Separate from
// the engine because none of them keeps a session: each one loads its data, trains, and returns.
import { validateExperiment, type ExperimentConfig } from '../config/experiment.ts';
import { validateSweep, type SweepConfig } from '../config/sweep.ts';
import type { LabeledTable } from '../data/dataset.ts';
import { loadExperimentData, type MnistSource } from '../data/load.ts';
import type { GpuContext } from '../gpu/device.ts';
import type { OptimizerKind } from '../nn/optimizer.ts';
import {
  crossValidate,
  raceOptimizers,
  trainEnsemble,
  type CrossValidationResult,
  type EnsembleMode,
  type EnsembleResult,
  type MultiRunHooks,
  type RaceEntry,
} from '../train/multi-run.ts';
import { runHalving, type HalvingResult } from '../train/halving.ts';
import { runSweep, type SweepProgress, type SweepResult } from '../train/sweep.ts';
import { boost, type BoostingOptions, type BoostingResult } from '../train/boosting.ts';
import { plotPoints } from '../train/plot-points.ts';
import { stack, type StackingOptions, type StackingResult } from '../train/stacking.ts';
import type { BoostingEvent, JobProgress } from './api.ts';

/**
 * Jobs by the id their caller picked, each with its cancel flag, and the multi-model jobs on the
 * engine's shared device and MNIST.
 */
export class EngineJobs {
  private readonly jobs = new Map<number, { cancelled: boolean }>();

  constructor(
    private readonly device: () => Promise<GpuContext>,
    private readonly mnist: MnistSource,
  ) {}

  /** Jobs running now. */
  get count(): number {
    return this.jobs.size;
  }

  /** Runs a job (a build, a multi-run job) that cancelJob(jobId) stops at its next check. */
  async run<T>(
    jobId: number | undefined,
    onProgress: JobProgress | undefined,
    run: (hooks: MultiRunHooks & { shouldStop: () => boolean }) => Promise<T>,
  ): Promise<T> {
    const flag = { cancelled: false };
    if (jobId !== undefined) this.jobs.set(jobId, flag);
    try {
      return await run({ shouldStop: () => flag.cancelled, ...(onProgress ? { onProgress } : {}) });
    } finally {
      if (jobId !== undefined && this.jobs.get(jobId) === flag) this.jobs.delete(jobId);
    }
  }

  /** Marks a running job cancelled; an unknown or finished one is ignored. */
  async cancel(jobId: number): Promise<void> {
    const job = this.jobs.get(jobId);
    if (job) job.cancelled = true;
  }

  /** k-fold cross-validation of `config`. */
  async crossValidate(
    config: ExperimentConfig,
    k: number,
    balanced: boolean,
    table: LabeledTable | null = null,
    onProgress?: JobProgress,
    jobId?: number,
  ): Promise<CrossValidationResult> {
    return this.run(jobId, onProgress, async (hooks) => {
      validateExperiment(config);
      return crossValidate(config, this.device, await loadExperimentData(config, table, this.mnist), k, balanced, hooks);
    });
  }

  /** Trains `members` models and averages their predictions. */
  async trainEnsemble(
    config: ExperimentConfig,
    members: number,
    mode: EnsembleMode,
    table: LabeledTable | null = null,
    onProgress?: JobProgress,
    jobId?: number,
  ): Promise<EnsembleResult> {
    return this.run(jobId, onProgress, async (hooks) => {
      validateExperiment(config);
      return trainEnsemble(config, this.device, await loadExperimentData(config, table, this.mnist), members, mode, hooks);
    });
  }

  /** Trains the same network and seed with each optimizer in turn. */
  async raceOptimizers(
    config: ExperimentConfig,
    kinds: OptimizerKind[],
    table: LabeledTable | null = null,
    onProgress?: JobProgress,
    jobId?: number,
  ): Promise<RaceEntry[]> {
    return this.run(jobId, onProgress, async (hooks) => {
      validateExperiment(config);
      return raceOptimizers(config, this.device, await loadExperimentData(config, table, this.mnist), kinds, hooks);
    });
  }

  /** A hyperparameter sweep over `config`; cancelled, it resolves with what it trained. */
  async runSweep(
    config: ExperimentConfig,
    sweep: SweepConfig,
    table: LabeledTable | null = null,
    onProgress?: (p: SweepProgress) => void,
    jobId?: number,
  ): Promise<SweepResult> {
    return this.run(jobId, undefined, async ({ shouldStop }) => {
      validateExperiment(config);
      validateSweep(sweep);
      return runSweep(config, sweep, await loadExperimentData(config, table, this.mnist), this.device, {
        shouldStop,
        ...(onProgress ? { onProgress } : {}),
      });
    });
  }

  /** Successive halving over the grid of `sweep`; cancelled, it resolves with what it trained. */
  async runHalving(
    config: ExperimentConfig,
    sweep: SweepConfig,
    table: LabeledTable | null = null,
    onProgress?: (p: SweepProgress) => void,
    jobId?: number,
  ): Promise<HalvingResult> {
    return this.run(jobId, undefined, async ({ shouldStop }) => {
      validateExperiment(config);
      validateSweep(sweep);
      return runHalving(config, sweep, await loadExperimentData(config, table, this.mnist), this.device, {
        shouldStop,
        ...(onProgress ? { onProgress } : {}),
      });
    });
  }

  /** Boosting of `config`; cancelled, it resolves with the rounds done. */
  async boost(
    config: ExperimentConfig,
    options: BoostingOptions,
    table: LabeledTable | null = null,
    onEvent?: (e: BoostingEvent) => void,
    jobId?: number,
  ): Promise<BoostingResult> {
    return this.run(jobId, undefined, async ({ shouldStop }) => {
      validateExperiment(config);
      const data = await loadExperimentData(config, table, this.mnist);
      onEvent?.({ type: 'data', points: data.table.inputSize === 2 ? plotPoints(data) : null, classNames: data.classNames });
      return boost(config, this.device, data, options, {
        shouldStop,
        onProgress: (done, total) => onEvent?.({ type: 'progress', done, total }),
        onRound: (round) => onEvent?.({ type: 'round', round }),
      });
    });
  }

  /** Stacking on `config`; cancelled, it rejects with a JobCancelledError. */
  async stack(
    config: ExperimentConfig,
    options: StackingOptions,
    table: LabeledTable | null = null,
    onProgress?: JobProgress,
    jobId?: number,
  ): Promise<StackingResult> {
    return this.run(jobId, undefined, async ({ shouldStop }) => {
      validateExperiment(config);
      const data = await loadExperimentData(config, table, this.mnist);
      return stack(config, this.device, data, options, { shouldStop, ...(onProgress ? { onEpochs: onProgress } : {}) });
    });
  }
}
