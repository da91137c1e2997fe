import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ExperimentConfig } from '../src/config/experiment.ts';
import type { SessionInfo } from '../src/train/session.ts';
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
  async build(config: ExperimentConfig): Promise<void> {
    const generation = ++this.generation;
    await this.release();
    Object.assign(this, { status: 'building', info: null, history: [], test: null, validation: null, error: null, stepsPerSecond: 0 });
    this.host.requestUpdate();
    try {
      const { id, info } = await this.engine().createSession(config);
      if (generation !== this.generation) {
        await this.engine().disposeSession(id);
        return;
      }
      this.sessionId = id;
      this.info = info;
      this.status = 'ready';
    } catch (e) {
      this.fail(e instanceof Error ? e.message : String(e));
    }
    this.host.requestUpdate();
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
    } else if (e.type === 'stopped') {
      this.status = 'ready';
      void this.evaluate();
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
    await this.evaluate();
  }

  /** The rest of the current epoch. */
  async epoch(): Promise<void> {
    if (this.sessionId === null || this.status !== 'ready') return;
    const record = await this.engine().epoch(this.sessionId);
    this.history = [...this.history, record];
    await this.evaluate();
  }

  /** Evaluates the validation and test splits with the current parameters. */
  async evaluate(): Promise<void> {
    if (this.sessionId === null) return;
    const engine = this.engine();
    [this.validation, this.test] = await Promise.all([engine.evaluate(this.sessionId, 'validation'), engine.evaluate(this.sessionId, 'test')]);
    this.host.requestUpdate();
  }
}
