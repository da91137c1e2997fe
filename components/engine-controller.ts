import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ExperimentConfig } from '../src/config/experiment.ts';
import type { LabeledTable } from '../src/data/dataset.ts';
import type { OptimizerConfig } from '../src/nn/optimizer.ts';
import type { BoundaryGrid, SessionInfo } from '../src/train/session.ts';
import type { EpochRecord } from '../src/train/trainer.ts';
import type { SplitEvaluation, TrainEvent } from '../src/worker/api.ts';
import { EngineClient } from '../src/worker/client.ts';

/** Where a widget's experiment stands. */
export type EngineStatus = 'idle' | 'building' | 'ready' | 'training' | 'error';

const clients = new Map<string, EngineClient>();

/**
 * One worker per page and worker URL, shared by every widget on it (each keeps its own session).
 * A dead worker is replaced by exactly one new one on the next request.
 */
export function sharedClient(url: URL): EngineClient {
  const key = url.href;
  let client = clients.get(key);
  if (!client || client.dead) {
    client = EngineClient.start(url);
    clients.set(key, client);
  }
  return client;
}

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
  /** Shortest time between two view refreshes while training, in milliseconds. */
  refreshInterval = 400;
  private refreshing = false;
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
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    void this.release();
  }

  private engine(): EngineClient {
    if (!this.client || this.client.dead) {
      this.client = sharedClient(this.workerUrl);
      this.client.onDeath((e) => this.fail(e.message));
    }
    return this.client;
  }

  private fail(message: string): void {
    this.status = 'error';
    this.error = message;
    this.host.requestUpdate();
  }

  private async release(): Promise<void> {
    const id = this.sessionId;
    this.sessionId = null;
    if (id !== null && this.client && !this.client.dead) await this.client.disposeSession(id).catch(() => undefined);
  }

  /** Builds (or rebuilds) the experiment; the previous session is disposed. */
  async build(config: ExperimentConfig, table: LabeledTable | null = null): Promise<void> {
    const generation = ++this.generation;
    await this.release();
    Object.assign(this, { status: 'building', info: null, history: [], test: null, validation: null, error: null, stepsPerSecond: 0, boundary: null, params: null });
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
    if (id === null || this.refreshing) return;
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
      this.host.requestUpdate();
    } catch (e) {
      if (id === this.sessionId) this.fail(e instanceof Error ? e.message : String(e));
    } finally {
      this.refreshing = false;
    }
  }

  /** Trains until `epochs` total epochs or a pause. */
  async play(epochs: number): Promise<void> {
    if (this.sessionId === null || this.status === 'training') return;
    const remaining = epochs - this.history.length;
    if (remaining <= 0) return;
    this.status = 'training';
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
      void this.refresh();
    } else {
      this.fail(e.message);
    }
    this.host.requestUpdate();
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
