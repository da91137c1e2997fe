import * as Comlink from 'comlink';
import type { BackendChoice, ExperimentConfig } from '../config/experiment.ts';
import type { GanConfig } from '../train/gan-config.ts';
import type { GanEvent, GanImages, GanInfo, GanQuality } from './gan-engine.ts';
import type { DataSplits, LabeledTable } from '../data/dataset.ts';
import type { OptimizerConfig } from '../nn/optimizer.ts';
import type { StepMetric } from '../train/backend.ts';
import type { BoundaryGrid, SessionInfo } from '../train/session.ts';
import type { EpochRecord } from '../train/trainer.ts';
import type { OptimizerKind } from '../nn/optimizer.ts';
import type { CrossValidationResult, EnsembleMode, EnsembleResult, RaceEntry } from '../train/multi-run.ts';
import type { EngineApi, SplitEvaluation, TrainEvent } from './api.ts';

/** A call that did not answer in time, or a worker that died. */
export class WorkerError extends Error {
  constructor(
    readonly kind: 'timeout' | 'dead',
    message: string,
  ) {
    super(message);
    this.name = 'WorkerError';
  }
}

/** Timeouts per kind of call, in milliseconds. */
export interface ClientTimeouts {
  /** Short calls: ping, pause bookkeeping, optimizer changes. */
  quick: number;
  /** Calls that compile pipelines or run GPU work: session creation, step, epoch, evaluate. */
  work: number;
  /**
   * While calls are pending or training runs, the client pings the worker this often and
   * declares it hung when a ping goes unanswered for `hangAfter`.
   */
  heartbeat: number;
  hangAfter: number;
  /** Jobs that train several models in one call (cross-validation, ensembles, races). */
  long: number;
}

// A worker that builds several models at once (a blog post with three widgets) on a loaded
// two-core machine was seen silent for over a second while healthy: 4 s avoids killing it.
const DEFAULT_TIMEOUTS: ClientTimeouts = { quick: 5000, work: 120000, heartbeat: 250, hangAfter: 4000, long: 30 * 60 * 1000 };

/**
 * The page's handle on the engine worker: typed calls over Comlink, each with a timeout, and a
 * worker that dies (error event, failed load, terminate) rejects every pending call at once and
 * every later one, never a hang.
 */
export class EngineClient {
  private readonly remote: Comlink.Remote<EngineApi>;
  private readonly pending = new Set<(e: WorkerError) => void>();
  private deathError: WorkerError | null = null;
  private readonly deathListeners = new Set<(e: WorkerError) => void>();
  private readonly timeouts: ClientTimeouts;
  private trainings = 0;
  private pingSentAt: number | null = null;
  private readonly heartbeat: ReturnType<typeof setInterval>;

  constructor(
    private readonly worker: Worker,
    timeouts: Partial<ClientTimeouts> = {},
  ) {
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...timeouts };
    this.remote = Comlink.wrap<EngineApi>(worker);
    this.heartbeat = setInterval(() => this.beat(), this.timeouts.heartbeat);
    let blockedByPolicy = false;
    const onViolation = (e: SecurityPolicyViolationEvent) => {
      if (e.effectiveDirective === 'worker-src' || e.violatedDirective.startsWith('worker-src')) blockedByPolicy = true;
    };
    globalThis.document?.addEventListener('securitypolicyviolation', onViolation);
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      // A worker blocked by the host's Content-Security-Policy fails with a bare error event; the
      // policy's own event (which may come just after) says why, so look once the queue has run.
      setTimeout(() => {
        globalThis.document?.removeEventListener('securitypolicyviolation', onViolation);
        this.die(
          blockedByPolicy
            ? "This page's Content-Security-Policy blocks the engine's worker. The host must allow it with \"worker-src 'self'\" (or the origin shaderprop.js is served from)."
            : `The engine worker crashed: ${event.message || 'it failed to load or threw an uncaught error'}`,
        );
      }, 50);
    });
    worker.addEventListener('messageerror', () => this.die('The engine worker sent a message that could not be read'));
  }

  /** Starts the module worker at `url` (the built dist/worker.js, or src/worker/worker.ts in tests). */
  static start(url: URL | string, timeouts?: Partial<ClientTimeouts>): EngineClient {
    let worker: Worker;
    try {
      worker = new Worker(url, { type: 'module', name: 'shaderprop engine' });
    } catch (e) {
      // A host page whose Content-Security-Policy forbids the worker makes the constructor throw.
      if (e instanceof DOMException && e.name === 'SecurityError') {
        throw new WorkerError('dead', `This page's Content-Security-Policy blocks the engine's worker (${String(url)}). The host must allow it with "worker-src 'self'" (or the origin shaderprop.js is served from).`);
      }
      throw e;
    }
    return new EngineClient(worker, timeouts);
  }

  /** Calls `listener` once if the worker dies. */
  onDeath(listener: (e: WorkerError) => void): void {
    if (this.deathError) listener(this.deathError);
    else this.deathListeners.add(listener);
  }

  /** True once the worker is gone; every call then rejects. */
  get dead(): boolean {
    return this.deathError !== null;
  }

  /**
   * A worker stuck in a loop answers nothing, not even a timeout-free call, so while anything is
   * outstanding a ping goes out every `heartbeat` ms and an unanswered one ends the worker.
   */
  private beat(): void {
    if (this.deathError) return;
    if (this.pingSentAt !== null) {
      if (performance.now() - this.pingSentAt > this.timeouts.hangAfter) {
        this.die(`The engine worker stopped answering (no reply within ${this.timeouts.hangAfter / 1000} s)`);
      }
      return;
    }
    if (this.pending.size === 0 && this.trainings === 0) return;
    this.pingSentAt = performance.now();
    this.remote.ping().then(
      () => (this.pingSentAt = null),
      () => undefined,
    );
  }

  private die(message: string): void {
    if (this.deathError) return;
    this.deathError = new WorkerError('dead', message);
    clearInterval(this.heartbeat);
    this.worker.terminate();
    for (const reject of this.pending) reject(this.deathError);
    this.pending.clear();
    for (const l of this.deathListeners) l(this.deathError);
  }

  private call<T>(what: string, timeoutMs: number, run: () => Promise<T>): Promise<T> {
    if (this.deathError) return Promise.reject(this.deathError);
    return new Promise<T>((resolve, reject) => {
      const fail = (e: WorkerError) => {
        clearTimeout(timer);
        this.pending.delete(fail);
        reject(e);
      };
      const timer = setTimeout(() => fail(new WorkerError('timeout', `${what} got no answer from the engine worker within ${timeoutMs / 1000} s`)), timeoutMs);
      this.pending.add(fail);
      run().then(
        (value) => {
          clearTimeout(timer);
          this.pending.delete(fail);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          this.pending.delete(fail);
          reject(error);
        },
      );
    });
  }

  /** Resolves when the worker answers; rejects if it is hung or dead. */
  ping(): Promise<'pong'> {
    return this.call('ping', this.timeouts.quick, () => this.remote.ping());
  }

  createSession(config: ExperimentConfig, table: LabeledTable | null = null): Promise<{ id: number; info: SessionInfo }> {
    return this.call('createSession', this.timeouts.work, () => this.remote.createSession(config, table));
  }

  boundary(id: number, resolution: number): Promise<BoundaryGrid> {
    return this.call('boundary', this.timeouts.work, () => this.remote.boundary(id, resolution));
  }

  snapshot(id: number): Promise<Float32Array> {
    return this.call('snapshot', this.timeouts.work, () => this.remote.snapshot(id));
  }

  loadParams(id: number, params: Float32Array): Promise<void> {
    return this.call('loadParams', this.timeouts.work, () => this.remote.loadParams(id, params));
  }

  /** Starts background training; `onEvent` receives epochs and the stop reason. */
  startTraining(id: number, epochs: number, onEvent: (e: TrainEvent) => void): Promise<void> {
    return this.startRun('startTraining', onEvent, (e) => e.type === 'epoch', (cb) => this.remote.startTraining(id, epochs, cb));
  }

  /**
   * Starts a background run whose events arrive through `onEvent`, and counts it as running (so
   * the heartbeat watches the worker) until an event that is not progress, or the worker's death.
   */
  private startRun<E>(what: string, onEvent: (e: E) => void, isProgress: (e: E) => boolean, start: (cb: (e: E) => void) => Promise<void>): Promise<void> {
    let running = true;
    const stop = () => {
      if (running) this.trainings--;
      running = false;
    };
    this.trainings++;
    this.onDeath(stop);
    const tracked = Comlink.proxy((e: E) => {
      if (!isProgress(e)) stop();
      onEvent(e);
    });
    return this.call(what, this.timeouts.quick, () => start(tracked)).catch((e: unknown) => {
      stop();
      throw e;
    });
  }

  pause(id: number): Promise<void> {
    return this.call('pause', this.timeouts.work, () => this.remote.pause(id));
  }

  step(id: number): Promise<StepMetric> {
    return this.call('step', this.timeouts.work, () => this.remote.step(id));
  }

  epoch(id: number): Promise<EpochRecord> {
    return this.call('epoch', this.timeouts.work, () => this.remote.epoch(id));
  }

  evaluate(id: number, split: keyof DataSplits): Promise<SplitEvaluation> {
    return this.call('evaluate', this.timeouts.work, () => this.remote.evaluate(id, split));
  }

  recover(id: number): Promise<number> {
    return this.call('recover', this.timeouts.work, () => this.remote.recover(id));
  }

  setOptimizer(id: number, cfg: OptimizerConfig): Promise<void> {
    return this.call('setOptimizer', this.timeouts.quick, () => this.remote.setOptimizer(id, cfg));
  }

  /** Cross-validation; `onProgress` hears after each fold. */
  crossValidate(config: ExperimentConfig, k: number, balanced: boolean, table: LabeledTable | null = null, onProgress: (done: number, total: number) => void = () => undefined): Promise<CrossValidationResult> {
    return this.call('crossValidate', this.timeouts.long, () => this.remote.crossValidate(config, k, balanced, table, Comlink.proxy(onProgress)));
  }

  /** An ensemble of `members` models; `onProgress` hears after each member. */
  trainEnsemble(config: ExperimentConfig, members: number, mode: EnsembleMode, table: LabeledTable | null = null, onProgress: (done: number, total: number) => void = () => undefined): Promise<EnsembleResult> {
    return this.call('trainEnsemble', this.timeouts.long, () => this.remote.trainEnsemble(config, members, mode, table, Comlink.proxy(onProgress)));
  }

  /** An optimizer race; `onProgress` hears after each optimizer. */
  raceOptimizers(config: ExperimentConfig, kinds: OptimizerKind[], table: LabeledTable | null = null, onProgress: (done: number, total: number) => void = () => undefined): Promise<RaceEntry[]> {
    return this.call('raceOptimizers', this.timeouts.long, () => this.remote.raceOptimizers(config, kinds, table, Comlink.proxy(onProgress)));
  }

  createGan(config: GanConfig | null, backend: BackendChoice, params: { g: Float32Array; d: Float32Array } | null = null): Promise<{ id: number; info: GanInfo }> {
    return this.call('createGan', this.timeouts.work, () => this.remote.createGan(config, backend, params));
  }

  /** Starts GAN training; `onEvent` receives chunks and the stop reason. */
  startGan(id: number, iterations: number, onEvent: (e: GanEvent) => void): Promise<void> {
    return this.startRun('startGan', onEvent, (e) => e.type === 'chunk', (cb) => this.remote.startGan(id, iterations, cb));
  }

  pauseGan(id: number): Promise<void> {
    return this.call('pauseGan', this.timeouts.work, () => this.remote.pauseGan(id));
  }

  ganImages(id: number): Promise<GanImages> {
    return this.call('ganImages', this.timeouts.work, () => this.remote.ganImages(id));
  }

  /** Trains the digit classifier on first use, so it may take a while on a software adapter. */
  ganQuality(id: number): Promise<GanQuality> {
    return this.call('ganQuality', 10 * this.timeouts.work, () => this.remote.ganQuality(id));
  }

  ganParams(id: number): Promise<{ g: Float32Array; d: Float32Array }> {
    return this.call('ganParams', this.timeouts.work, () => this.remote.ganParams(id));
  }

  disposeGan(id: number): Promise<void> {
    return this.call('disposeGan', this.timeouts.work, () => this.remote.disposeGan(id));
  }

  splitRows(id: number, split: keyof DataSplits, positions: number[]): Promise<Float32Array> {
    return this.call('splitRows', this.timeouts.work, () => this.remote.splitRows(id, split, positions));
  }

  disposeSession(id: number): Promise<void> {
    return this.call('disposeSession', this.timeouts.work, () => this.remote.disposeSession(id));
  }

  /** Stops the worker; pending and later calls reject. */
  terminate(): void {
    this.die('The engine worker was stopped');
  }
}
