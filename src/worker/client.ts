import * as Comlink from 'comlink';
import type { EngineApi } from './api.ts';
import { CALLS, DEFAULT_TIMEOUTS, type ClientTimeouts } from './calls.ts';
export type { ClientTimeouts } from './calls.ts';
import { blockedMessage, loadFailureMessage, START_ERROR_KEY, type StartedWorker, startModuleWorker } from './worker-start.ts';

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

type AnyCall = (...args: unknown[]) => Promise<unknown>;

/**
 * The page's handle on the engine worker: EngineApi over Comlink, each call with its timeout
 * from CALLS, callbacks passed as Comlink proxies, and a worker that dies (error event, failed
 * load, terminate) rejects every pending call at once and every later one, never a hang.
 */
export class EngineClient implements EngineApi {
  readonly ping = this.forward('ping');
  readonly createSession = this.forward('createSession');
  readonly startTraining = this.forward('startTraining');
  readonly pause = this.forward('pause');
  readonly step = this.forward('step');
  readonly epoch = this.forward('epoch');
  readonly evaluate = this.forward('evaluate');
  readonly boundary = this.forward('boundary');
  readonly neuronMaps = this.forward('neuronMaps');
  readonly health = this.forward('health');
  readonly snapshot = this.forward('snapshot');
  readonly loadParams = this.forward('loadParams');
  readonly recover = this.forward('recover');
  readonly setOptimizer = this.forward('setOptimizer');
  readonly setWeight = this.forward('setWeight');
  readonly crossValidate = this.forward('crossValidate');
  readonly trainEnsemble = this.forward('trainEnsemble');
  readonly raceOptimizers = this.forward('raceOptimizers');
  readonly runSweep = this.forward('runSweep');
  readonly runHalving = this.forward('runHalving');
  readonly boost = this.forward('boost');
  readonly stack = this.forward('stack');
  readonly cancelJob = this.forward('cancelJob');
  readonly createGan = this.forward('createGan');
  readonly startGan = this.forward('startGan');
  readonly pauseGan = this.forward('pauseGan');
  readonly ganImages = this.forward('ganImages');
  readonly ganQuality = this.forward('ganQuality');
  readonly ganParams = this.forward('ganParams');
  readonly disposeGan = this.forward('disposeGan');
  readonly splitRows = this.forward('splitRows');
  readonly disposeSession = this.forward('disposeSession');
  readonly clearBackendTrials = this.forward('clearBackendTrials');
  readonly gpuMemory = this.forward('gpuMemory');
  readonly createGan2d = this.forward('createGan2d');
  readonly startGan2d = this.forward('startGan2d');
  readonly pauseGan2d = this.forward('pauseGan2d');
  readonly stepGan2d = this.forward('stepGan2d');
  readonly gan2dFrame = this.forward('gan2dFrame');
  readonly gan2dCsv = this.forward('gan2dCsv');
  readonly gan2dCurve = this.forward('gan2dCurve');
  readonly disposeGan2d = this.forward('disposeGan2d');
  readonly createGan2dCompare = this.forward('createGan2dCompare');
  readonly gan2dCompareFrames = this.forward('gan2dCompareFrames');

  private readonly remote: Comlink.Remote<EngineApi>;
  private readonly pending = new Set<(e: WorkerError) => void>();
  private deathError: WorkerError | null = null;
  private readonly deathListeners = new Set<(e: WorkerError) => void>();
  private readonly timeouts: ClientTimeouts;
  private trainings = 0;
  private pingSentAt: number | null = null;
  private readonly heartbeat: ReturnType<typeof setInterval>;

  private readonly worker: Worker;

  /** `started` is a bare Worker (tests) or what startModuleWorker made (it decides failure messages). */
  constructor(started: Worker | StartedWorker, timeouts: Partial<ClientTimeouts> = {}) {
    const how = started instanceof Worker ? { worker: started, viaBlob: false, url: null } : started;
    const worker = how.worker;
    this.worker = worker;
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...timeouts };
    this.remote = Comlink.wrap<EngineApi>(worker);
    this.heartbeat = setInterval(() => this.beat(), this.timeouts.heartbeat);
    // What the page's policy refused to run as a worker: the blob: starter, or the script itself.
    let blockedURI: string | null = null;
    const onViolation = (e: SecurityPolicyViolationEvent) => {
      if (e.effectiveDirective === 'worker-src' || e.violatedDirective.startsWith('worker-src')) blockedURI ??= e.blockedURI;
    };
    globalThis.document?.addEventListener('securitypolicyviolation', onViolation);
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      // A worker blocked by the host's Content-Security-Policy fails with a bare error event; the
      // policy's own event (which may come just after) says why, so look once the queue has run.
      setTimeout(() => {
        globalThis.document?.removeEventListener('securitypolicyviolation', onViolation);
        if (blockedURI !== null && how.url) return this.die(blockedMessage(how.url, how.viaBlob, blockedURI));
        if (blockedURI !== null) return this.die(blockedMessage(new URL('worker.js', globalThis.location?.href), false, blockedURI));
        if (!how.url) return this.die(`The engine worker crashed: ${event.message || 'it failed to load or threw an uncaught error'}`);
        void loadFailureMessage(how.url, how.viaBlob, event.message).then((m) => this.die(m));
      }, 50);
    });
    // A blob: worker that could not import the cross-origin script says why (see worker-start.ts).
    worker.addEventListener('message', (event: MessageEvent) => {
      const detail = (event.data as Record<string, unknown> | null)?.[START_ERROR_KEY];
      if (typeof detail === 'string' && how.url) void loadFailureMessage(how.url, how.viaBlob, detail).then((m) => this.die(m));
    });
    worker.addEventListener('messageerror', () => this.die('The engine worker sent a message that could not be read'));
  }

  /**
   * Starts the module worker at `url` (the built dist/worker.js, or src/worker/worker.ts in tests);
   * from another origin (a CDN) it starts through a same-origin blob: worker (see worker-start.ts).
   */
  static start(url: URL | string, timeouts?: Partial<ClientTimeouts>): EngineClient {
    const absolute = new URL(url, globalThis.location?.href);
    let started: StartedWorker;
    try {
      started = startModuleWorker(absolute);
    } catch (e) {
      // A host page whose Content-Security-Policy forbids the worker may make the constructor throw.
      if (e instanceof DOMException && e.name === 'SecurityError') {
        const viaBlob = absolute.origin !== globalThis.location?.origin;
        throw new WorkerError('dead', blockedMessage(absolute, viaBlob, viaBlob ? 'blob' : ''));
      }
      throw e;
    }
    return new EngineClient(started, timeouts);
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

  /**
   * The one forwarder: calls `method` in the worker under its timeout, passing function
   * arguments as Comlink proxies. A method that starts a background run counts as running (so
   * the heartbeat watches the worker) until an event other than its progress, or the worker dies.
   */
  private forward<M extends keyof EngineApi>(method: M): EngineApi[M] {
    const kind = CALLS[method];
    const timeout = () => this.timeouts[kind.timeout];
    const call = (...args: unknown[]) => {
      const remote = this.remote[method] as unknown as AnyCall;
      if (!('run' in kind)) return this.call(method, timeout(), () => remote(...args.map(proxied)));
      const end = this.track();
      const watched = args.map((arg) => {
        if (typeof arg !== 'function') return arg;
        return (e: { type: string }) => {
          if (e.type !== kind.run) end();
          arg(e);
        };
      });
      return this.call(method, timeout(), () => remote(...watched.map(proxied))).catch((e: unknown) => {
        end();
        throw e;
      });
    };
    return call as unknown as EngineApi[M];
  }

  /** Counts a background run until the returned function is called (once) or the worker dies. */
  private track(): () => void {
    let running = true;
    const stop = () => {
      if (running) this.trainings--;
      running = false;
      this.deathListeners.delete(stop);
    };
    this.trainings++;
    this.onDeath(stop);
    return stop;
  }

  /** Stops the worker; pending and later calls reject. */
  terminate(): void {
    this.die('The engine worker was stopped');
  }
}

/** Functions cross the boundary as Comlink proxies; everything else is cloned. */
function proxied(arg: unknown): unknown {
  return typeof arg === 'function' ? Comlink.proxy(arg) : arg;
}
