/**
 * The pool of CPU workers that a multi-model job on the CPU backend is spread over (issue 32,
 * "Every core"). The engine worker starts them, nested, from its own script (worker.ts serves the
 * pool under CPU_POOL_WORKER_NAME); one pool per engine, so every widget of a page shares it as
 * they share the engine. Workers start lazily when a job asks for them and end after
 * POOL_IDLE_MS without a job. No SharedArrayBuffer: data and results travel as copies.
 */
import { MAX_CPU_WORKERS } from '../config/experiment.ts';
import type { TensorDataset } from '../data/dataset.ts';
import { startModuleWorker } from '../worker/worker-start.ts';
import { CPU_POOL_WORKER_NAME, transferables, type PoolReply, type PoolRequest } from './pool-worker.ts';

/**
 * Most bytes of data one batch copies into each worker (the shared features and targets, and the
 * models' own features and row weights): MNIST's 70 000 images (about 220 MB) fit; a batch over
 * more trains on one worker. With each model's 16 bytes per parameter (weights, gradients and
 * Adam's two moments) and one scratch stack, this bounds what a worker holds per batch.
 */
export const POOL_DATA_BYTES = 256 * 2 ** 20;

/** Bytes of data a batch copies into each pool worker. */
export function poolDataBytes(setup: { data: TensorDataset; models: { features?: Float32Array; rowWeights?: Float32Array }[] }): number {
  const own = setup.models.reduce((n, m) => n + (m.features?.byteLength ?? 0) + (m.rowWeights?.byteLength ?? 0), 0);
  return setup.data.features.byteLength + setup.data.targets.byteLength + own;
}

/** How long a pool without a job keeps its workers. */
export const POOL_IDLE_MS = 30_000;

/**
 * Threads a job trains on when the experiment does not say: one per logical core, at most
 * MAX_CPU_WORKERS; the engine's worker is one of them, so a pooled job leases one pool worker
 * fewer (each holds a copy of the data).
 */
export function autoCpuWorkers(): number {
  const cores = (globalThis.navigator as { hardwareConcurrency?: number } | undefined)?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(MAX_CPU_WORKERS, Math.floor(cores) || 1));
}

type Request = PoolRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** One pool worker: numbered requests, answered in any order; every pending one rejects when it dies. */
export class PoolWorker {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  /** Why it stopped, or null while it runs. */
  dead: Error | null = null;
  /** Datasets this worker holds: their id and how many backends use them. */
  readonly data = new Map<TensorDataset, { id: number; refs: number }>();

  constructor(
    private readonly worker: Worker,
    /** Its place in the pool (1-based), as messages name it. */
    readonly index: number,
  ) {
    worker.onmessage = (e: MessageEvent) => {
      const reply = e.data as PoolReply;
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.result);
      else p.reject(new Error(reply.error));
    };
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.die(`it crashed (${e.message || 'an uncaught error'})`);
    };
  }

  /** Sends a request; resolves with its result. */
  request(req: Request, transfer: Transferable[] = []): Promise<unknown> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...req, id }, transfer);
    });
  }

  /** Ends the worker; its pending requests reject with a PoolWorkerLostError saying `why`. */
  die(why: string): void {
    if (this.dead) return;
    this.dead = new PoolWorkerLostError(`CPU worker ${this.index} stopped: ${why}`);
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(this.dead);
    this.pending.clear();
  }

  /** The id of `dataset` in this worker, sending it (a copy, transferred) the first time. */
  holdData(dataset: TensorDataset, nextId: () => number): number {
    let held = this.data.get(dataset);
    if (!held) {
      held = { id: nextId(), refs: 0 };
      this.data.set(dataset, held);
      const copy: TensorDataset = { ...dataset, features: dataset.features.slice(), targets: dataset.targets.slice() };
      void this.request({ type: 'data', data: held.id, dataset: copy }, transferables(copy)).catch(() => undefined);
    }
    held.refs++;
    return held.id;
  }

  /** One backend stopped using `dataset`; the worker drops it when none does. */
  releaseData(dataset: TensorDataset): void {
    const held = this.data.get(dataset);
    if (!held || --held.refs > 0) return;
    this.data.delete(dataset);
    void this.request({ type: 'drop-data', data: held.id }).catch(() => undefined);
  }
}

/** A pool worker ended (crashed, or killed) while it held models. */
export class PoolWorkerLostError extends Error {
  override name = 'PoolWorkerLostError';
  /** The models of the batch that were lost (0-based), when it is that the error reports. */
  lost: number[] = [];
}

/**
 * Workers started on demand from `script` and ended after `idleMs` with no lease. A job leases
 * the workers it slices over (`acquire`) and gives them back (`release`) when its backend is
 * disposed.
 */
export class CpuPool {
  private workers: PoolWorker[] = [];
  private leases = 0;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private started = 0;
  private dataIds = 0;
  private moved = 0;

  constructor(
    private readonly script: URL,
    private readonly idleMs = POOL_IDLE_MS,
  ) {}

  /** Live workers now. */
  get size(): number {
    return this.workers.filter((w) => !w.dead).length;
  }

  /** Workers started over the pool's life (a test's way to see that it started lazily, and again after idling). */
  get startedCount(): number {
    return this.started;
  }

  /** `count` live workers (starting any missing), leased until `release`. */
  acquire(count: number): PoolWorker[] {
    this.leases++;
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.workers = this.workers.filter((w) => !w.dead);
    try {
      while (this.workers.length < count) this.workers.push(this.start());
    } catch (e) {
      this.release();
      throw e;
    }
    return this.workers.slice(0, count);
  }

  /** Slices moved to another worker after theirs died, over the pool's life. */
  get retries(): number {
    return this.moved;
  }

  /** A live worker other than those in `except` (starting one when every leased one died), for a slice whose worker died. */
  spare(except: readonly PoolWorker[]): PoolWorker {
    this.moved++;
    this.workers = this.workers.filter((w) => !w.dead);
    const other = this.workers.find((w) => !except.includes(w));
    if (other) return other;
    const fresh = this.start();
    this.workers.push(fresh);
    return fresh;
  }

  /** Ends one lease; with none left the workers end after the idle time. */
  release(): void {
    this.leases = Math.max(0, this.leases - 1);
    if (this.leases > 0 || this.idleTimer !== null) return;
    this.idleTimer = setTimeout(() => this.close(), this.idleMs);
  }

  /** Ends every worker now. */
  close(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    for (const w of this.workers) w.die('the pool closed');
    this.workers = [];
  }

  /** Test hook: ends worker `i` (0-based) as a crash would. */
  kill(i: number): void {
    this.workers[i]?.die('killed by a test');
  }

  /** A fresh id for a dataset sent to the workers. */
  dataId = (): number => ++this.dataIds;

  private start(): PoolWorker {
    this.started++;
    const { worker } = startModuleWorker(this.script, CPU_POOL_WORKER_NAME);
    return new PoolWorker(worker, this.started);
  }
}

let script: URL | null = null;
let idleMs = POOL_IDLE_MS;
let shared: CpuPool | null = null;

/**
 * Sets the script pool workers start from (the engine worker's own script, set by worker.ts;
 * tests set the TypeScript source, and a short `idle` time). Without one, jobs run on one
 * worker. A pool already running is closed.
 */
export function setCpuPoolScript(url: URL | null, idle = POOL_IDLE_MS): void {
  if (shared) {
    shared.close();
    shared = null;
  }
  script = url;
  idleMs = idle;
}

/**
 * The thread's one pool, created on first use; null where no pool can run (no script set, or no
 * Worker in this scope: a browser without nested workers runs everything on its one worker).
 */
export function sharedCpuPool(): CpuPool | null {
  if (!script || typeof Worker === 'undefined') return null;
  shared ??= new CpuPool(script, idleMs);
  return shared;
}

/** The thread's pool if it was created (tests look at it without starting one). */
export function existingCpuPool(): CpuPool | null {
  return shared;
}
