import * as Comlink from 'comlink';
import { validateExperiment, type BackendChoice, type ExperimentConfig } from '../config/experiment.ts';
import type { DataSplits, LabeledTable } from '../data/dataset.ts';
import { acquireGpu, type GpuContext } from '../gpu/device.ts';
import { chooseMatmulVariant } from '../gpu/autotune.ts';
import { arenaLayout } from '../nn/arena.ts';
import type { OptimizerConfig, OptimizerKind } from '../nn/optimizer.ts';
import type { StepMetric } from '../train/training-backend.ts';
import { Session, type BoundaryGrid } from '../train/session.ts';
import { loadExperimentData } from '../data/load.ts';
import {
  crossValidate,
  JobCancelledError,
  raceOptimizers,
  trainEnsemble,
  type CrossValidationResult,
  type EnsembleMode,
  type EnsembleResult,
  type MultiRunHooks,
  type RaceEntry,
} from '../train/multi-run.ts';
import { DivergenceError, type EpochRecord } from '../train/trainer.ts';
import { GpuFailureError } from '../gpu/errors.ts';
import { abandonDevice, withQueueDeadline } from '../gpu/deadline.ts';
import { MnistAssets } from './assets.ts';
import { GanEngine } from './gan-engine.ts';
import type { GanConfig } from '../train/gan-config.ts';
import type { EngineApi, GanEvent, GanImages, GanInfo, GanQuality, GpuMemoryReport, JobProgress, SplitEvaluation, TrainEvent, TrainFailure } from './api.ts';
import { GpuLedger } from './gpu-ledger.ts';
import { runSweep, type SweepProgress, type SweepResult } from '../train/sweep.ts';
import { validateSweep, type SweepConfig } from '../config/sweep.ts';

interface Running {
  session: Session;
  training: Promise<void> | null;
  stopRequested: boolean;
  /** Set by disposeSession: the session's events are no longer sent. */
  disposed: boolean;
}

/**
 * The worker side of EngineApi: sessions by id, one GPU device shared by all of them, and the
 * background training loops. DOM-free, so it also runs in a page or in tests.
 */
export class Engine implements EngineApi {
  private gpu: Promise<GpuContext> | null = null;
  private sessions = new Map<number, Running>();
  private nextId = 1;
  /** Multi-run jobs by the id their caller picked, with their cancel flag. */
  private readonly jobs = new Map<number, { cancelled: boolean }>();
  private readonly ledger = new GpuLedger();

  /** The shared device; a new one replaces it once it has failed (lost, or errors). */
  private device = async (): Promise<GpuContext> => {
    if (this.gpu) {
      const ctx = await this.gpu.catch(() => null);
      if (ctx && !ctx.failure) return ctx;
    }
    const next = this.acquire().then((ctx) => {
      ctx.device = this.ledger.track(withQueueDeadline(ctx.device, (e) => abandonDevice(ctx, e)));
      return ctx;
    });
    this.gpu = next;
    // A refused device must be retried next time rather than cached as a failure forever.
    next.catch(() => {
      if (this.gpu === next) this.gpu = null;
    });
    return next;
  };

  /** MNIST from the build's data/ folder beside the worker bundle (dist/worker.js → dist/data/). */
  readonly assets: MnistAssets;

  constructor(
    private readonly acquire: () => Promise<GpuContext> = () => acquireGpu(),
    assetBase: URL = new URL('./data/', import.meta.url),
  ) {
    this.assets = new MnistAssets(assetBase);
    this.gan = new GanEngine(this.device, this.assets.source);
  }

  /** GAN runs share this worker's device and MNIST. */
  private readonly gan: GanEngine;

  async ping(): Promise<'pong'> {
    return 'pong';
  }

  async createSession(config: ExperimentConfig, table: LabeledTable | null = null, jobId?: number): Promise<{ id: number; info: Session['info'] }> {
    return this.job(jobId, undefined, async ({ shouldStop }) => {
      // Under a storm of rebuilds (an author's script, impatient clicks) every superseded build
      // would still compile its pipelines: a cancelled one stops before asking for the device.
      const cancelled = () => new JobCancelledError('Building the model');
      const gpu = async () => {
        // Checked again after each wait: several builds can queue behind the first device and
        // its start-up trial, and only the newest one of a widget is still wanted.
        if (shouldStop()) throw cancelled();
        const ctx = await this.device();
        if (shouldStop()) throw cancelled();
        await chooseMatmulVariant(ctx);
        if (shouldStop()) throw cancelled();
        return ctx;
      };
      const session = await Session.create(config, gpu, table, this.assets.source);
      if (shouldStop()) {
        session.dispose();
        throw cancelled();
      }
      const id = this.nextId++;
      this.sessions.set(id, { session, training: null, stopRequested: false, disposed: false });
      return { id, info: session.info };
    });
  }

  private get(id: number): Running {
    const running = this.sessions.get(id);
    if (!running) throw new Error(`No session ${id}: it was disposed or never created`);
    return running;
  }

  private idle(id: number): Running {
    const running = this.get(id);
    if (running.training) throw new Error(`Session ${id} is training; pause it first`);
    return running;
  }

  async startTraining(id: number, epochs: number, onEvent: (e: TrainEvent) => void): Promise<void> {
    const running = this.idle(id);
    running.stopRequested = false;
    const trainer = running.session.trainer;
    // A disposed session's run ends by itself (its buffers are gone); nobody listens any more.
    const emit = (e: TrainEvent) => {
      if (!running.disposed) onEvent(e);
    };
    running.training = trainer
      .trainEpochs(
        epochs,
        (record) => emit({ type: 'epoch', record }),
        () => running.stopRequested,
      )
      .then(() => {
        const early = trainer.earlyStop;
        if (early) emit({ type: 'stopped', reason: 'early-stopped', epoch: trainer.epoch, stoppedEpoch: early.stoppedEpoch, bestEpoch: early.bestEpoch });
        else emit({ type: 'stopped', reason: running.stopRequested ? 'paused' : 'done', epoch: trainer.epoch });
      })
      .catch((e: unknown) => {
        const error = e instanceof Error ? e : new Error(String(e));
        const restoredStep = error instanceof DivergenceError ? error.restoredStep : null;
        emit({ type: 'error', message: error.message, name: error.name, kind: failureKind(error), restoredStep });
      })
      .finally(() => {
        running.training = null;
      });
  }

  async pause(id: number): Promise<void> {
    const running = this.get(id);
    running.stopRequested = true;
    await running.training;
  }

  async step(id: number): Promise<StepMetric> {
    return this.exclusive(id, (trainer) => trainer.step());
  }

  async epoch(id: number): Promise<EpochRecord> {
    return this.exclusive(id, async (trainer) => (await trainer.trainEpochs(1))[0]!);
  }

  /** Runs a step or an epoch on an idle session; training cannot start until it is done. */
  private async exclusive<T>(id: number, work: (trainer: Session['trainer']) => Promise<T>): Promise<T> {
    const running = this.idle(id);
    const result = work(running.session.trainer);
    const done = result.then(
      () => undefined,
      () => undefined,
    );
    running.training = done;
    void done.then(() => {
      if (running.training === done) running.training = null;
    });
    return result;
  }

  async evaluate(id: number, split: keyof DataSplits): Promise<SplitEvaluation> {
    const { session } = this.get(id);
    const r = await session.evaluate(split);
    const accuracy = session.info.spec.loss === 'mse' || r.rows === 0 ? null : r.correct / r.rows;
    const result: SplitEvaluation = { split, loss: r.loss, accuracy, rows: r.rows, outputs: r.outputs };
    return Comlink.transfer(result, [r.outputs.buffer]);
  }

  async boundary(id: number, resolution: number): Promise<BoundaryGrid> {
    if (!Number.isInteger(resolution) || resolution < 2 || resolution > 256) throw new Error(`boundary resolution must be 2 to 256, got ${resolution}`);
    const grid = await this.get(id).session.boundary(resolution);
    return Comlink.transfer(grid, [grid.classes.buffer, grid.confidence.buffer]);
  }

  async snapshot(id: number): Promise<Float32Array> {
    const params = await this.get(id).session.snapshot();
    return Comlink.transfer(params, [params.buffer]);
  }

  async loadParams(id: number, params: Float32Array): Promise<void> {
    const { session } = this.idle(id);
    const expected = arenaLayout(session.info.spec).totalFloats;
    if (params.length !== expected) throw new Error(`the parameters have ${params.length} values but this network's arena holds ${expected}`);
    if (!params.every(Number.isFinite)) throw new Error('the parameters contain NaN or infinite values');
    await session.backend.writeParams(params);
  }

  async recover(id: number): Promise<number> {
    return this.idle(id).session.recover(this.device);
  }

  async setOptimizer(id: number, cfg: OptimizerConfig): Promise<void> {
    this.get(id).session.trainer.setOptimizer(cfg);
  }

  async crossValidate(
    config: ExperimentConfig,
    k: number,
    balanced: boolean,
    table: LabeledTable | null = null,
    onProgress?: JobProgress,
    jobId?: number,
  ): Promise<CrossValidationResult> {
    return this.job(jobId, onProgress, async (hooks) => {
      validateExperiment(config);
      return crossValidate(config, this.device, await loadExperimentData(config, table, this.assets.source), k, balanced, hooks);
    });
  }

  async trainEnsemble(
    config: ExperimentConfig,
    members: number,
    mode: EnsembleMode,
    table: LabeledTable | null = null,
    onProgress?: JobProgress,
    jobId?: number,
  ): Promise<EnsembleResult> {
    return this.job(jobId, onProgress, async (hooks) => {
      validateExperiment(config);
      return trainEnsemble(config, this.device, await loadExperimentData(config, table, this.assets.source), members, mode, hooks);
    });
  }

  async raceOptimizers(
    config: ExperimentConfig,
    kinds: OptimizerKind[],
    table: LabeledTable | null = null,
    onProgress?: JobProgress,
    jobId?: number,
  ): Promise<RaceEntry[]> {
    return this.job(jobId, onProgress, async (hooks) => {
      validateExperiment(config);
      return raceOptimizers(config, this.device, await loadExperimentData(config, table, this.assets.source), kinds, hooks);
    });
  }

  async runSweep(
    config: ExperimentConfig,
    sweep: SweepConfig,
    table: LabeledTable | null = null,
    onProgress?: (p: SweepProgress) => void,
    jobId?: number,
  ): Promise<SweepResult> {
    return this.job(jobId, undefined, async ({ shouldStop }) => {
      validateExperiment(config);
      validateSweep(sweep);
      return runSweep(config, sweep, await loadExperimentData(config, table, this.assets.source), this.device, {
        shouldStop,
        ...(onProgress ? { onProgress } : {}),
      });
    });
  }

  /** Runs a job (a build, a multi-run job) that cancelJob(jobId) stops at its next check. */
  private async job<T>(
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

  async cancelJob(jobId: number): Promise<void> {
    const job = this.jobs.get(jobId);
    if (job) job.cancelled = true;
  }

  async createGan(
    config: GanConfig | null,
    backend: BackendChoice,
    params: { g: Float32Array; d: Float32Array } | null = null,
  ): Promise<{ id: number; info: GanInfo }> {
    return this.gan.create(config, backend, params);
  }

  async startGan(id: number, iterations: number, onEvent: (e: GanEvent) => void): Promise<void> {
    return this.gan.start(id, iterations, onEvent);
  }

  async pauseGan(id: number): Promise<void> {
    return this.gan.pause(id);
  }

  async ganImages(id: number): Promise<GanImages> {
    return this.gan.images(id);
  }

  async ganQuality(id: number): Promise<GanQuality> {
    return this.gan.quality(id);
  }

  async ganParams(id: number): Promise<{ g: Float32Array; d: Float32Array }> {
    return this.gan.params(id);
  }

  async disposeGan(id: number): Promise<void> {
    return this.gan.dispose(id);
  }

  async splitRows(id: number, split: keyof DataSplits, positions: number[]): Promise<Float32Array> {
    const { data } = this.get(id).session;
    const rows = data.splits[split];
    const width = data.table.inputSize;
    const out = new Float32Array(positions.length * width);
    positions.slice(0, 256).forEach((k, n) => {
      if (!Number.isInteger(k) || k < 0 || k >= rows.length) throw new Error(`no row ${k} in the ${split} split`);
      out.set(data.table.features.subarray(rows[k]! * width, (rows[k]! + 1) * width), n * width);
    });
    return Comlink.transfer(out, [out.buffer]);
  }

  /**
   * Frees a session without waiting for it. Its training is told to stop and its events are no
   * longer sent; its buffers go as soon as the chunk in flight has ended, never under it (a
   * readback that never comes back ends at its deadline, which gives up the device instead).
   */
  async disposeSession(id: number): Promise<void> {
    const running = this.sessions.get(id);
    if (!running) return;
    this.sessions.delete(id);
    running.disposed = true;
    running.stopRequested = true;
    const release = () => running.session.dispose();
    if (running.training) void running.training.then(release);
    else release();
  }

  async gpuMemory(): Promise<GpuMemoryReport> {
    return { ...this.ledger.report(), sessions: this.sessions.size, gans: this.gan.count, jobs: this.jobs.size };
  }
}

function failureKind(error: Error): TrainFailure {
  if (error instanceof DivergenceError) return 'divergence';
  if (error instanceof GpuFailureError && error.kind === 'device-lost') return 'device-lost';
  return 'other';
}
