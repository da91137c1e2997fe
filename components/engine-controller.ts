import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ExperimentConfig } from '../src/config/experiment.ts';
import type { LabeledTable } from '../src/data/dataset.ts';
import type { OptimizerConfig } from '../src/nn/optimizer.ts';
import type { BoundaryGrid, SessionInfo } from '../src/train/session.ts';
import type { EpochRecord } from '../src/train/trainer.ts';
import type { SplitEvaluation, TrainEvent } from '../src/worker/api.ts';
import type { EngineClient } from '../src/worker/client.ts';
import { nextResume } from './resume-policy.ts';
import { sharedClient } from './shared-client.ts';
import { MultiRunController } from './multi-run-controller.ts';

/** Where a widget's experiment stands. */
export type EngineStatus = 'idle' | 'building' | 'ready' | 'training' | 'error';

/** What the person can do about an error: resume after a lost device, or restart a dead worker. */
export type RecoveryAction = 'resume' | 'restart' | null;

/** Shortest time between two redraws for epoch progress. */
const UPDATE_INTERVAL_MS = 100;

/**
 * Connects a Lit element to the engine worker: builds its session from a config, runs and
 * pauses training, and keeps the latest records for rendering. The host re-renders whenever
 * something it shows changes.
 */
export class EngineController implements ReactiveController {
  status: EngineStatus = 'idle';
  info: SessionInfo | null = null;
  history: EpochRecord[] = [];
  test: SplitEvaluation | null = null;
  validation: SplitEvaluation | null = null;
  error: string | null = null;
  /** Training steps per second over the last run. */
  stepsPerSecond = 0;
  /** Latest decision-boundary grid (2-D data only). */
  boundary: BoundaryGrid | null = null;
  /** Latest parameter snapshot, for the network drawing. */
  params: Float32Array | null = null;
  /** A non-fatal message (e.g. a divergence that was rolled back). */
  notice: string | null = null;
  /** What the error panel offers. */
  action: RecoveryAction = null;
  /** Where early stopping ended the run and which epoch's weights it restored; null otherwise. */
  earlyStop: { stoppedEpoch: number; bestEpoch: number } | null = null;
  /** Cross-validation, ensembles and optimizer races of the built experiment. */
  readonly multi: MultiRunController;
  private built: { config: ExperimentConfig; table: LabeledTable | null } | null = null;
  private building: Promise<void> = Promise.resolve();
  private targetEpochs = 0;
  private losses: number[] = [];
  /** Shortest time between two view refreshes while training, in milliseconds. */
  refreshInterval = 400;
  private refreshing = false;
  private updateTimer: ReturnType<typeof setTimeout> | null = null;
  private refreshAgain = false;
  private lastRefresh = 0;
  private client: EngineClient | null = null;
  private sessionId: number | null = null;
  private runStart = { time: 0, step: 0 };
  private generation = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly workerUrl: URL,
  ) {
    host.addController(this);
    this.multi = new MultiRunController(host, () => this.engine(), () => (this.built ? { ...this.built, generation: this.generation } : null), () => this.generation);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    void this.release();
  }

  private engine(): EngineClient {
    if (!this.client || this.client.dead) {
      const client = sharedClient(this.workerUrl);
      this.client = client;
      client.onDeath((e) => {
        if (this.client === client) this.fail(e.message, 'restart');
      });
    }
    return this.client;
  }

  private fail(message: string, action: RecoveryAction = this.action): void {
    this.status = 'error';
    this.error = message;
    this.action = action;
    this.host.requestUpdate();
  }

  /** After a dead worker: one new worker (shared by every widget), and the same experiment. */
  async restart(): Promise<void> {
    if (this.built) await this.build(this.built.config, this.built.table);
  }

  /**
   * After a lost device: continue from the last checkpoint on a fresh device, and keep training
   * towards the same epoch count.
   */
  async resume(): Promise<void> {
    const id = this.sessionId;
    if (id === null) return;
    try {
      const step = await this.engine().recover(id);
      this.history = this.history.filter((r) => r.step <= step);
      Object.assign(this, { status: 'ready', error: null, action: null, notice: `Resumed on a fresh GPU device from the checkpoint at step ${step}.` });
      this.host.requestUpdate();
      await this.play(this.targetEpochs);
    } catch (e) {
      this.fail(e instanceof Error ? e.message : String(e), 'resume');
    }
  }

  /** Lost devices resume by themselves after 1, 2 and 4 s; more losses in a minute need a click. */
  private onDeviceLost(message: string): void {
    const { losses, delayMs } = nextResume(this.losses, performance.now());
    this.losses = losses;
    if (delayMs === null) {
      this.fail(`${message} It was lost ${losses.length} times in a minute: press Resume to try again.`, 'resume');
      return;
    }
    this.fail(`${message} Resuming from the last checkpoint in ${delayMs / 1000} s…`, null);
    setTimeout(() => void this.resume(), delayMs);
  }

  private async release(): Promise<void> {
    const id = this.sessionId;
    this.sessionId = null;
    if (id !== null && this.client && !this.client.dead) await this.client.disposeSession(id).catch(() => undefined);
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

  /** The current parameter arena, e.g. to save it. */
  async snapshot(): Promise<Float32Array> {
    if (this.sessionId === null) throw new Error('There is no model yet');
    return this.engine().snapshot(this.sessionId);
  }

  /** Raw features of rows of a split, by position within it. */
  async splitRows(split: 'train' | 'validation' | 'test', positions: number[]): Promise<Float32Array> {
    if (this.sessionId === null) throw new Error('There is no model yet');
    return this.engine().splitRows(this.sessionId, split, positions);
  }

  /** Replaces the model's parameters (same network) and redraws the views. */
  async loadParams(params: Float32Array): Promise<void> {
    if (this.sessionId === null) throw new Error('There is no model to load into');
    await this.engine().loadParams(this.sessionId, params);
    await this.refresh();
  }

  private async buildNow(config: ExperimentConfig, table: LabeledTable | null): Promise<void> {
    const generation = ++this.generation;
    this.built = { config, table };
    await this.release();
    Object.assign(this, { status: 'building', info: null, history: [], test: null, validation: null, error: null, notice: null, action: null, stepsPerSecond: 0, boundary: null, params: null, earlyStop: null });
    this.multi.reset();
    this.host.requestUpdate();
    try {
      const { id, info } = await this.engine().createSession(config, table);
      if (generation !== this.generation) {
        await this.engine().disposeSession(id);
        return;
      }
      this.sessionId = id;
      this.info = info;
      this.status = 'ready';
      void this.refresh();
    } catch (e) {
      this.fail(e instanceof Error ? e.message : String(e));
    }
    this.host.requestUpdate();
  }

  /** Changes optimizer hyperparameters without a reset. */
  async setOptimizer(cfg: OptimizerConfig): Promise<void> {
    if (this.sessionId !== null) await this.engine().setOptimizer(this.sessionId, cfg);
  }

  /**
   * Re-reads what the views show (evaluations, parameters, boundary) from the worker. At most
   * one refresh runs at a time; while training, they are spaced by `refreshInterval`.
   */
  async refresh(force = true): Promise<void> {
    const id = this.sessionId;
    if (id === null) return;
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
      const [validation, test, params, boundary] = await Promise.all([
        engine.evaluate(id, 'validation'),
        engine.evaluate(id, 'test'),
        engine.snapshot(id),
        this.info?.points ? engine.boundary(id, 64) : Promise.resolve(null),
      ]);
      if (id !== this.sessionId) return;
      Object.assign(this, { validation, test, params, boundary });
      // Drawn in a task of its own, not inside the message that brought the data.
      this.scheduleUpdate();
    } catch (e) {
      if (id === this.sessionId) this.fail(e instanceof Error ? e.message : String(e));
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
    if (this.sessionId === null || this.status === 'training') return;
    this.targetEpochs = epochs;
    const remaining = epochs - this.history.length;
    if (remaining <= 0) return;
    this.status = 'training';
    this.notice = null;
    this.runStart = { time: performance.now(), step: this.history.at(-1)?.step ?? 0 };
    this.host.requestUpdate();
    try {
      await this.engine().startTraining(this.sessionId, remaining, (e) => this.onEvent(e));
    } catch (e) {
      this.fail(e instanceof Error ? e.message : String(e));
    }
  }

  private onEvent(e: TrainEvent): void {
    if (e.type === 'epoch') {
      this.history = [...this.history, e.record];
      const seconds = (performance.now() - this.runStart.time) / 1000;
      if (seconds > 0) this.stepsPerSecond = (e.record.step - this.runStart.step) / seconds;
      void this.refresh(false);
    } else if (e.type === 'stopped') {
      this.status = 'ready';
      if (e.reason === 'early-stopped') {
        this.earlyStop = { stoppedEpoch: e.stoppedEpoch, bestEpoch: e.bestEpoch };
        this.notice = `Early stopping ended training after epoch ${e.stoppedEpoch} and restored the weights of epoch ${e.bestEpoch}, the best.`;
      }
      void this.refresh();
    } else if (e.kind === 'divergence') {
      // Already rolled back in the worker: drop the epochs after the checkpoint and pause.
      const restored = e.restoredStep ?? 0;
      Object.assign(this, { status: 'ready', notice: e.message, history: this.history.filter((r) => r.step <= restored) });
      void this.refresh();
    } else if (e.kind === 'device-lost') {
      this.onDeviceLost(e.message);
    } else {
      this.fail(e.message);
    }
    if (e.type === 'epoch') this.scheduleUpdate();
    else this.host.requestUpdate();
  }

  /**
   * Epochs of a small network arrive dozens of times a second; redrawing the page for each would
   * keep the main thread busy. They are drawn at most every UPDATE_INTERVAL_MS instead.
   */
  private scheduleUpdate(): void {
    if (this.updateTimer !== null) return;
    this.updateTimer = setTimeout(() => {
      this.updateTimer = null;
      this.host.requestUpdate();
    }, UPDATE_INTERVAL_MS);
  }

  /** Asks a running training to stop after its current chunk. */
  async pause(): Promise<void> {
    if (this.sessionId !== null && this.status === 'training') await this.engine().pause(this.sessionId);
  }

  /** One training step. */
  async step(): Promise<void> {
    if (this.sessionId === null || this.status !== 'ready') return;
    await this.engine().step(this.sessionId);
    await this.refresh();
  }

  /** The rest of the current epoch. */
  async epoch(): Promise<void> {
    if (this.sessionId === null || this.status !== 'ready') return;
    const record = await this.engine().epoch(this.sessionId);
    this.history = [...this.history, record];
    await this.refresh();
  }
}
