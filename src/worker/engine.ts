import type { BackendChoice, ExperimentConfig } from '../config/experiment.ts';
import type { DataSplits, LabeledTable } from '../data/dataset.ts';
import { acquireGpu, type GpuContext } from '../gpu/device.ts';
import { chooseMatmulVariant } from '../gpu/autotune.ts';
import { abandonDevice, withQueueDeadline } from '../gpu/deadline.ts';
import type { OptimizerConfig } from '../nn/optimizer.ts';
import type { StepMetric } from '../train/training-backend.ts';
import { Session, type BoundaryGrid } from '../train/session.ts';
import type { NeuronMaps } from '../train/neuron-maps.ts';
import type { HealthReport } from '../train/health.ts';
import { forgetMeasuredTrials, timeQuietly } from '../train/backend-trial.ts';
import { createTrialStore, type TrialStore } from '../train/trial-store.ts';
import { JobCancelledError } from '../train/multi-run.ts';
import type { EpochRecord } from '../train/trainer.ts';
import type { GanConfig } from '../train/gan-config.ts';
import { MnistAssets } from './assets.ts';
import { EngineJobs } from './engine-jobs.ts';
import { EngineSessions } from './engine-sessions.ts';
import { GanEngine } from './gan-engine.ts';
import { Gan2dEngine } from './gan2d-engine.ts';
import type { Gan2dApi } from './gan2d-api.ts';
import type { EngineApi, SessionEvent, GanEvent, GanImages, GanInfo, GanQuality, GpuMemoryReport, SplitEvaluation, TrainEvent } from './api.ts';
import { GpuLedger } from './gpu-ledger.ts';

/**
 * The worker side of EngineApi: sessions by id, one GPU device shared by all of them, and the
 * background training loops. DOM-free, so it also runs in a page or in tests. It builds sessions
 * and owns the device; the sessions, the multi-run jobs and the GAN runs each live in their own
 * part (engine-sessions.ts, engine-jobs.ts, gan-engine.ts), which the methods here hand on to.
 */
export class Engine implements EngineApi {
  private gpu: Promise<GpuContext> | null = null;
  private readonly sessions = new EngineSessions();
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

  /** Readies the device behind a session (Auto's background trial): the matmul variant timed alone like the trial itself, since sessions train meanwhile. */
  private readonly prepareBehind = (ctx: GpuContext): Promise<void> => timeQuietly(() => chooseMatmulVariant(ctx)).then(() => undefined);

  constructor(
    private readonly acquire: () => Promise<GpuContext> = () => acquireGpu(),
    assetBase: URL = new URL('./data/', import.meta.url),
    /** Where Auto's trials are remembered across visits (the browser's IndexedDB by default). */
    private readonly trials: TrialStore = createTrialStore(),
  ) {
    this.assets = new MnistAssets(assetBase);
    this.jobs = new EngineJobs(this.device, this.assets.source);
    this.gan = new GanEngine(this.device, this.assets.source);
    this.gan2d = new Gan2dEngine(this.device);
  }

  /** Multi-run jobs by the id their caller picked, with their cancel flag. */
  private readonly jobs: EngineJobs;
  /** GAN runs share this worker's device and MNIST. */
  private readonly gan: GanEngine;
  /** 2-D GAN sessions share this worker's device. */
  private readonly gan2d: Gan2dEngine;

  async ping(): Promise<'pong'> {
    return 'pong';
  }

  async createSession(
    config: ExperimentConfig,
    table: LabeledTable | null = null,
    jobId?: number,
    onEvent?: (event: SessionEvent) => void,
  ): Promise<{ id: number; info: Session['info'] }> {
    return this.jobs.run(jobId, undefined, async ({ shouldStop }) => {
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
      const stopListening = onEvent && config.dataset.name === 'mnist' ? this.reportLoading(onEvent) : () => undefined;
      const session = await Session.create(config, gpu, table, this.assets.source, { startOnCpu: true }).finally(stopListening);
      if (shouldStop()) {
        session.dispose();
        throw cancelled();
      }
      const id = this.sessions.add(session);
      // Started in a task of its own, after this answer is posted: the page hears of the
      // session before any change of its backend, so it never has to hold one back.
      setTimeout(
        () => void session.decideBackend(this.device, this.trials, (status) => onEvent?.({ type: 'backend', status }), { prepare: this.prepareBehind }),
      );
      return { id, info: session.info };
    });
  }

  /** Passes MNIST's loading on to a building session's listener: each new file and the preview at once, progress within a file at most every 100 ms. */
  private reportLoading(onEvent: (event: SessionEvent) => void): () => void {
    let last = 0;
    let lastStage = '';
    return this.assets.listen((loaded, total, stage, preview) => {
      const now = performance.now();
      if (!preview && stage === lastStage && now - last < 100) return;
      [last, lastStage] = [now, stage];
      onEvent({ type: 'loading', loaded, total, stage, preview: preview ?? null });
    });
  }

  async startTraining(id: number, epochs: number, onEvent: (e: TrainEvent) => void): Promise<void> {
    return this.sessions.startTraining(id, epochs, onEvent);
  }

  async pause(id: number): Promise<void> {
    return this.sessions.pause(id);
  }

  async step(id: number): Promise<StepMetric> {
    return this.sessions.step(id);
  }

  async epoch(id: number): Promise<EpochRecord> {
    return this.sessions.epoch(id);
  }

  async evaluate(id: number, split: keyof DataSplits): Promise<SplitEvaluation> {
    return this.sessions.evaluate(id, split);
  }

  async boundary(id: number, resolution: number): Promise<BoundaryGrid> {
    return this.sessions.boundary(id, resolution);
  }

  async neuronMaps(id: number, resolution: number): Promise<NeuronMaps> {
    return this.sessions.neuronMaps(id, resolution);
  }

  async health(id: number): Promise<HealthReport> {
    return this.sessions.health(id);
  }

  async snapshot(id: number): Promise<Float32Array> {
    return this.sessions.snapshot(id);
  }

  async loadParams(id: number, params: Float32Array): Promise<void> {
    return this.sessions.loadParams(id, params);
  }

  async recover(id: number): Promise<number> {
    return this.sessions.recover(id, this.device);
  }

  async setWeight(id: number, layer: number, from: number, to: number, value: number): Promise<void> {
    return this.sessions.setWeight(id, layer, from, to, value);
  }

  async setOptimizer(id: number, cfg: OptimizerConfig): Promise<void> {
    return this.sessions.setOptimizer(id, cfg);
  }

  async splitRows(id: number, split: keyof DataSplits, positions: number[]): Promise<Float32Array> {
    return this.sessions.splitRows(id, split, positions);
  }

  async disposeSession(id: number): Promise<void> {
    return this.sessions.dispose(id);
  }

  // The multi-run jobs: each forwarded as it is to EngineJobs (engine-jobs.ts).
  readonly crossValidate: EngineApi['crossValidate'] = (...args) => this.jobs.crossValidate(...args);
  readonly trainEnsemble: EngineApi['trainEnsemble'] = (...args) => this.jobs.trainEnsemble(...args);
  readonly raceOptimizers: EngineApi['raceOptimizers'] = (...args) => this.jobs.raceOptimizers(...args);
  readonly runSweep: EngineApi['runSweep'] = (...args) => this.jobs.runSweep(...args);
  readonly runHalving: EngineApi['runHalving'] = (...args) => this.jobs.runHalving(...args);

  async boost(...args: Parameters<EngineApi['boost']>): ReturnType<EngineApi['boost']> {
    return this.jobs.boost(...args);
  }

  async stack(...args: Parameters<EngineApi['stack']>): ReturnType<EngineApi['stack']> {
    return this.jobs.stack(...args);
  }

  async cancelJob(jobId: number): Promise<void> {
    return this.jobs.cancel(jobId);
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

  readonly createGan2d: Gan2dApi['createGan2d'] = (config, backend) => this.gan2d.create(config, backend);
  readonly startGan2d: Gan2dApi['startGan2d'] = (id, iterations, perSecond, onEvent) => this.gan2d.start(id, iterations, perSecond, onEvent);
  readonly pauseGan2d: Gan2dApi['pauseGan2d'] = (id) => this.gan2d.pause(id);
  readonly stepGan2d: Gan2dApi['stepGan2d'] = (id, kind) => this.gan2d.step(id, kind);
  readonly gan2dFrame: Gan2dApi['gan2dFrame'] = (id) => this.gan2d.frame(id);
  readonly gan2dCsv: Gan2dApi['gan2dCsv'] = (id) => this.gan2d.csv(id);
  readonly gan2dCurve: Gan2dApi['gan2dCurve'] = (id) => this.gan2d.curve(id);
  readonly disposeGan2d: Gan2dApi['disposeGan2d'] = (id) => this.gan2d.dispose(id);
  readonly createGan2dCompare: Gan2dApi['createGan2dCompare'] = (config, spec, backend) => this.gan2d.compare.create(config, spec, backend);
  readonly gan2dCompareFrames: Gan2dApi['gan2dCompareFrames'] = (id) => this.gan2d.compare.frames(id);

  async clearBackendTrials(): Promise<void> {
    forgetMeasuredTrials();
    await this.trials.clear();
  }

  async gpuMemory(): Promise<GpuMemoryReport> {
    return { ...this.ledger.report(), sessions: this.sessions.count, gans: this.gan.count + this.gan2d.count, jobs: this.jobs.count };
  }
}
