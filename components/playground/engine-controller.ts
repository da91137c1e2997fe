import type { ReactiveControllerHost } from 'lit';
import type { ExperimentConfig } from '../../src/config/experiment.ts';
import type { LabeledTable } from '../../src/data/dataset.ts';
import type { OptimizerConfig } from '../../src/nn/optimizer.ts';
import type { BoundaryGrid, EpochRecord, SessionInfo, SplitEvaluation, TrainEvent } from '../../src/worker/api.ts';
import { NO_EXPERIMENT, type EngineState, type RecoveryAction } from './engine-state.ts';
import { nextResume } from './resume-policy.ts';
import { MultiRunController } from '../runs/multi-run-controller.ts';
import { nextJobId } from '../../src/worker/shared-client.ts';
import { RunTracker, WorkerController, type ControllerStatus } from '../shared/worker-controller.ts';

export type { EngineState, EngineStatus, RecoveryAction } from './engine-state.ts';

/** How long a paused run's own stop event may take to arrive after the worker confirmed the pause. */
const STOP_EVENT_MS = 5000;

/**
 * Connects a Lit element to the engine worker: builds its session from a config, runs and
 * pauses training, and keeps the latest records for rendering. Every reply and event is checked
 * against the session and run it belongs to, so nothing from a replaced experiment lands in the
 * current one. Removed from the page it frees its session; re-added, it builds it again.
 */
export class EngineController extends WorkerController<EngineState> implements EngineState {
  declare readonly status: ControllerStatus;
  declare readonly error: string | null;
  declare readonly info: SessionInfo | null;
  declare readonly history: EpochRecord[];
  declare readonly steps: number;
  declare readonly test: SplitEvaluation | null;
  declare readonly validation: SplitEvaluation | null;
  declare readonly stepsPerSecond: number;
  declare readonly boundary: BoundaryGrid | null;
  declare readonly params: Float32Array | null;
  declare readonly notice: string | null;
  declare readonly action: RecoveryAction;
  declare readonly earlyStop: { stoppedEpoch: number; bestEpoch: number } | null;
  declare readonly pausing: boolean;
  declare readonly stepping: boolean;
  /** Cross-validation, ensembles and optimizer races of the built experiment. */
  readonly multi: MultiRunController;
  /** Shortest time between two view refreshes while training, in milliseconds. */
  refreshInterval = 400;
  private built: { config: ExperimentConfig; table: LabeledTable | null } | null = null;
  private building: Promise<void> = Promise.resolve();
  private targetEpochs = 0;
  private losses: number[] = [];
  private refreshing = false;
  private refreshAgain = false;
  private lastRefresh = 0;
  private sessionId: number | null = null;
  /** The job id of the build in flight, to cancel it when a newer one replaces it. */
  private buildJob: number | null = null;
  /** A live optimizer change that came while the model was being built. */
  private pendingOptimizer: OptimizerConfig | null = null;
  private readonly runs = new RunTracker();
  /** One step or epoch at a time, and training starts only after it. */
  private stepQueue: Promise<void> = Promise.resolve();
  private runStart = { time: 0, step: 0 };
  private generation = 0;

  constructor(host: ReactiveControllerHost, workerUrl: URL | (() => URL)) {
    super(host, workerUrl, NO_EXPERIMENT);
    this.multi = new MultiRunController(
      host,
      () => this.engine(),
      () => (this.built ? { ...this.built, generation: this.generation } : null),
      () => this.generation,
    );
  }

  protected override workerDied(e: Error): void {
    this.fail(e, { action: 'restart' });
  }

  /** After a dead worker: one new worker (shared by every widget), and the same experiment. */
  async restart(): Promise<void> {
    if (this.built) await this.build(this.built.config, this.built.table);
  }

  /** After a lost device: continue from the last checkpoint on a fresh device, towards the same epoch count. */
  async resume(): Promise<void> {
    const id = this.sessionId;
    if (id === null) return;
    try {
      const step = await this.engine().recover(id);
      if (id !== this.sessionId) return;
      this.patch({
        status: 'ready',
        error: null,
        action: null,
        notice: `Resumed on a fresh GPU device from the checkpoint at step ${step}.`,
        history: this.history.filter((r) => r.step <= step),
      });
      await this.play(this.targetEpochs);
    } catch (e) {
      if (id === this.sessionId) this.fail(e, { action: 'resume' });
    }
  }

  /** Lost devices resume by themselves after 1, 2 and 4 s; more losses in a minute need a click. */
  private onDeviceLost(message: string): void {
    const { losses, delayMs } = nextResume(this.losses, performance.now());
    this.losses = losses;
    if (delayMs === null) {
      this.fail(`${message} It was lost ${losses.length} times in a minute: press Resume to try again.`, { action: 'resume' });
      return;
    }
    this.fail(`${message} Resuming from the last checkpoint in ${delayMs / 1000} s…`, { action: null });
    const id = this.sessionId;
    setTimeout(() => {
      if (id === this.sessionId) void this.resume();
    }, delayMs);
  }

  /** Frees the session, cancels its build and any job, at once: nothing about the old experiment is awaited. */
  private dropSession(): void {
    const [id, build] = [this.sessionId, this.buildJob];
    this.generation++;
    [this.sessionId, this.buildJob] = [null, null];
    this.runs.end();
    this.multi.cancel();
    const client = this.liveClient();
    if (build !== null) client?.cancelJob(build).catch(() => undefined);
    if (id !== null) client?.disposeSession(id).catch(() => undefined);
  }

  protected override async release(): Promise<void> {
    this.dropSession();
    this.multi.reset();
    this.patch(NO_EXPERIMENT);
  }

  protected override async restore(): Promise<void> {
    if (this.built) await this.build(this.built.config, this.built.table);
  }

  /** Builds (or rebuilds) the experiment; the previous session is disposed. */
  build(config: ExperimentConfig, table: LabeledTable | null = null): Promise<void> {
    this.building = this.buildNow(config, table);
    return this.building;
  }

  /** Resolves once the latest build has finished (or failed). */
  whenBuilt(): Promise<void> {
    return this.building;
  }

  private async buildNow(config: ExperimentConfig, table: LabeledTable | null): Promise<void> {
    this.built = { config, table };
    this.pendingOptimizer = null;
    this.dropSession();
    const generation = this.generation;
    this.multi.reset();
    this.patch({ ...NO_EXPERIMENT, status: 'building' });
    const build = nextJobId();
    this.buildJob = build;
    try {
      const { id, info } = await this.engine().createSession(config, table, build);
      if (this.buildJob === build) this.buildJob = null;
      if (generation !== this.generation) {
        this.liveClient()
          ?.disposeSession(id)
          .catch(() => undefined);
        return;
      }
      this.sessionId = id;
      const live = this.pendingOptimizer;
      this.pendingOptimizer = null;
      // Sent before anything else can be (the worker answers in order), so no step uses the old rate.
      if (live) void this.onSession((sid) => this.engine().setOptimizer(sid, live)).catch((e: unknown) => this.fail(e));
      this.patch({ info, status: 'ready' });
      void this.refresh();
    } catch (e) {
      if (this.buildJob === build) this.buildJob = null;
      if (generation === this.generation) this.fail(e);
    }
  }

  /** Runs `work` on the current session; its result counts only if the session is still current. */
  private async onSession<T>(work: (id: number) => Promise<T>): Promise<{ value: T } | null> {
    const id = this.sessionId;
    if (id === null) return null;
    try {
      const value = await work(id);
      return id === this.sessionId ? { value } : null;
    } catch (e) {
      if (id !== this.sessionId) return null;
      throw e;
    }
  }

  /** Like onSession, but without a current session (or when it was replaced meanwhile) it throws. */
  private async onModel<T>(work: (id: number) => Promise<T>): Promise<T> {
    const r = await this.onSession(work);
    if (!r) throw new Error('There is no model yet');
    return r.value;
  }

  /** The current parameter arena, e.g. to save it. */
  snapshot(): Promise<Float32Array> {
    return this.onModel((id) => this.engine().snapshot(id));
  }

  /** Raw features of rows of a split, by position within it. */
  splitRows(split: 'train' | 'validation' | 'test', positions: number[]): Promise<Float32Array> {
    return this.onModel((id) => this.engine().splitRows(id, split, positions));
  }

  /** Replaces the model's parameters (same network) and redraws the views. */
  async loadParams(params: Float32Array): Promise<void> {
    await this.onModel((id) => this.engine().loadParams(id, params));
    await this.refresh();
  }

  /** Changes optimizer hyperparameters without a reset; during a build, once the model exists. */
  async setOptimizer(cfg: OptimizerConfig): Promise<void> {
    if (this.sessionId === null) this.pendingOptimizer = cfg;
    await this.onSession((id) => this.engine().setOptimizer(id, cfg));
  }

  /**
   * Re-reads what the views show (evaluations, parameters, boundary) from the worker. At most
   * one refresh runs at a time; while training, they are spaced by `refreshInterval`.
   */
  async refresh(force = true): Promise<void> {
    if (this.sessionId === null) return;
    if (this.refreshing) {
      // A forced refresh must show the state after whatever asked for it (a stop, a load).
      this.refreshAgain ||= force;
      return;
    }
    if (!force && performance.now() - this.lastRefresh < this.refreshInterval) return;
    this.refreshing = true;
    this.lastRefresh = performance.now();
    try {
      const engine = this.engine();
      const points = this.info?.points;
      const r = await this.onSession((id) =>
        Promise.all([
          engine.evaluate(id, 'validation'),
          engine.evaluate(id, 'test'),
          engine.snapshot(id),
          points ? engine.boundary(id, 64) : Promise.resolve(null),
        ]),
      );
      if (r) {
        const [validation, test, params, boundary] = r.value;
        this.patchSoon({ validation, test, params, boundary });
      }
    } catch (e) {
      this.fail(e);
    } finally {
      this.refreshing = false;
      if (this.refreshAgain) {
        this.refreshAgain = false;
        void this.refresh();
      }
    }
  }

  /** Trains until `epochs` total epochs or a pause. */
  async play(epochs: number): Promise<void> {
    // Asked for the model shown now: a rebuild while a step finishes must not start the new one.
    const generation = this.generation;
    await this.stepQueue;
    const id = this.sessionId;
    if (id === null || generation !== this.generation || this.status !== 'ready' || epochs - this.history.length <= 0) return;
    this.targetEpochs = epochs;
    const run = this.runs.start();
    this.runStart = { time: performance.now(), step: this.steps };
    this.patch({ status: 'training', notice: null });
    const onEvent = (e: TrainEvent) => {
      if (this.runs.isCurrent(run)) this.onEvent(e);
    };
    try {
      await this.engine().startTraining(id, epochs - this.history.length, onEvent);
    } catch (e) {
      if (!this.runs.isCurrent(run)) return;
      this.runs.end();
      this.fail(e);
    }
  }

  private onEvent(e: TrainEvent): void {
    if (e.type === 'epoch') {
      const seconds = (performance.now() - this.runStart.time) / 1000;
      const speed = seconds > 0 ? { stepsPerSecond: (e.record.step - this.runStart.step) / seconds } : {};
      // Epochs of a small network arrive dozens of times a second: drawn at most every 100 ms.
      this.patchSoon({ history: [...this.history, e.record], steps: e.record.step, ...speed });
      void this.refresh(false);
      return;
    }
    this.runs.end();
    this.patchSoon({ pausing: false });
    if (e.type === 'stopped') {
      const early = e.reason === 'early-stopped' ? { stoppedEpoch: e.stoppedEpoch, bestEpoch: e.bestEpoch } : null;
      const notice = early
        ? `Early stopping ended training after epoch ${early.stoppedEpoch} and restored the weights of epoch ${early.bestEpoch}, the best.`
        : this.notice;
      // Drawn in a task of its own, not inside the message that brought the event.
      this.patchSoon({ status: 'ready', ...(early ? { earlyStop: early, notice } : {}) });
      void this.refresh();
    } else if (e.kind === 'divergence') {
      // Already rolled back in the worker: drop the epochs after the checkpoint and pause.
      const restored = e.restoredStep ?? 0;
      this.patch({ status: 'ready', notice: e.message, history: this.history.filter((r) => r.step <= restored), steps: restored });
      void this.refresh();
    } else if (e.kind === 'device-lost') {
      this.onDeviceLost(e.message);
    } else {
      this.fail(e.message);
    }
  }

  /**
   * Stops a running training after its current chunk. Resolves once the run's stop event is in;
   * should it never come (it travels on its own channel), the run is ended here.
   */
  async pause(): Promise<void> {
    const run = this.runs.token();
    if (!run || this.status !== 'training' || this.pausing) return;
    // Shown at once: the chunks in flight may take seconds to read back on a busy GPU.
    this.patch({ pausing: true });
    try {
      await this.onSession((id) => this.engine().pause(id));
    } catch (e) {
      if (!this.runs.isCurrent(run)) return;
      this.runs.end();
      this.fail(e, { pausing: false });
      return;
    }
    if (!(await this.runs.awaitEnd(run, STOP_EVENT_MS))) this.patch({ status: 'ready', pausing: false });
  }

  /** One training step. */
  step(): Promise<void> {
    return this.exclusive(async () => {
      const r = await this.onSession((id) => this.engine().step(id));
      if (r) this.patch({ steps: this.steps + 1 });
    });
  }

  /** The rest of the current epoch. */
  epoch(): Promise<void> {
    return this.exclusive(async () => {
      const r = await this.onSession((id) => this.engine().epoch(id));
      if (r) this.patch({ history: [...this.history, r.value], steps: r.value.step });
    });
  }

  /** Runs a step or an epoch while the model is ready and no other one runs, then redraws. */
  private exclusive(work: () => Promise<void>): Promise<void> {
    const generation = this.generation;
    const next = this.stepQueue.then(async () => {
      if (this.sessionId === null || generation !== this.generation || this.status !== 'ready') return;
      // Shown at once: behind another widget's pipeline compiles a step can take seconds.
      this.patch({ stepping: true });
      try {
        await work();
        this.patch({ stepping: false });
        await this.refresh();
      } catch (e) {
        this.fail(e, { stepping: false });
      }
    });
    this.stepQueue = next;
    return next;
  }
}
