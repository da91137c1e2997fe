import type { BatchSetup, ModelState } from '../train/training-backend.ts';
import { CpuPool, PoolWorker, PoolWorkerLostError } from './cpu-pool.ts';
import type { PoolOp } from './pool-worker.ts';

/**
 * Operations logged per slice (bytes of their arguments) before the slice's models are
 * checkpointed and the log dropped: the engine-side memory a slice's retry costs at most, past
 * one checkpoint of its models' states.
 */
export const REPLAY_LOG_BYTES = 16 * 2 ** 20;
let replayLogBytes = REPLAY_LOG_BYTES;
/** Checkpoints taken by every slice (tests read it to know the trimmed log was exercised). */
export const sliceStats = { checkpoints: 0 };

/** Test hook: the log size past which slices checkpoint (REPLAY_LOG_BYTES by default). */
export function setReplayLogBytes(bytes: number = REPLAY_LOG_BYTES): void {
  replayLogBytes = bytes;
}
/** How many times a slice's worker may die before its models are given up. */
export const MAX_RETRIES = 2;
let maxRetries = MAX_RETRIES;

/** Test hook: the retry budget of slices made from now on (MAX_RETRIES by default). */
export function setMaxRetries(retries: number = MAX_RETRIES): void {
  maxRetries = retries;
}

/** Slices not yet closed, for killSliceWorker. */
const openSlices = new Set<PoolSlice>();

/**
 * Test hook: ends the live worker that holds model `model` of an open batch (its slice not yet
 * given up), as a crash would; false when there is none (its worker already died and the slice
 * has not moved yet, or it was given up).
 */
export function killSliceWorker(model: number): boolean {
  for (const slice of openSlices) {
    if (slice.lost || !slice.models.includes(model) || slice.worker.dead) continue;
    slice.worker.die('killed by a test');
    return true;
  }
  return false;
}

/** One operation sent to a slice: kept while it may change state (or has no answer yet), to replay on another worker. */
interface Entry {
  op: PoolOp;
  args: unknown[];
  mutates: boolean;
  done: boolean;
  bytes: number;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

let remoteIds = 0;

const bytesOf = (v: unknown): number =>
  ArrayBuffer.isView(v)
    ? v.byteLength
    : Array.isArray(v)
      ? v.reduce((n: number, x) => n + bytesOf(x), 0)
      : v && typeof v === 'object'
        ? bytesOf(Object.values(v))
        : 8;

/**
 * The models of a batch that one pool worker trains (`models`, batch numbers in order; the
 * worker knows them as 0, 1, ...). Every operation that changes their state is logged until a
 * checkpoint of their states replaces it, so when the worker dies the slice is rebuilt on another
 * worker (checkpoint, then the log again) and the answers still pending come from there.
 */
export class PoolSlice {
  /** The backend's id in its worker. */
  remote = 0;
  /** Bumped on each move to another worker: answers of an older one are ignored. */
  private gen = 0;
  private entries: Entry[] = [];
  private bytes = 0;
  /** Every model's state at the start of `entries`, or null: the models' initial setup. */
  private checkpointed: ModelState[] | null = null;
  private checkpointing = false;
  /** The last validation rows set: a backend's setting that a model's state does not hold, so a checkpoint keeps it. */
  private validation: unknown[] | null = null;
  private deaths = 0;
  private readonly retries = maxRetries;
  /** Set once the models are given up: every later call rejects with it (PooledCpuBackend answers for the other slices). */
  lost: PoolWorkerLostError | null = null;
  private closed = false;

  constructor(
    private readonly pool: CpuPool,
    private readonly setup: BatchSetup,
    readonly models: number[],
    public worker: PoolWorker,
  ) {
    openSlices.add(this);
    this.place();
  }

  /** Builds the slice's backend on its worker: the models' setup, then their checkpoint if any. */
  private place(): void {
    const { data, ...rest } = this.setup;
    const dataId = this.worker.holdData(data, this.pool.dataId);
    this.remote = ++remoteIds;
    const setup = { ...rest, models: this.models.map((z) => this.setup.models[z]!) };
    void this.worker.request({ type: 'create', backend: this.remote, data: dataId, setup }).catch(() => undefined);
    if (!this.checkpointed) return;
    this.checkpointed.forEach((state, local) => {
      void this.worker.request({ type: 'call', backend: this.remote, op: 'writeState', args: [local, state] }).catch(() => undefined);
    });
    if (this.validation) void this.worker.request({ type: 'call', backend: this.remote, op: 'setValidation', args: this.validation }).catch(() => undefined);
  }

  /** Sends op; resolves with its answer, from whichever worker holds the slice then. */
  call<T>(op: PoolOp, args: unknown[], mutates: boolean): Promise<T> {
    if (this.closed) return Promise.reject(new Error('this CPU backend was disposed'));
    if (this.lost) return Promise.reject(this.lost);
    return new Promise<T>((resolve, reject) => {
      const entry: Entry = { op, args, mutates, done: false, bytes: mutates ? bytesOf(args) : 0, resolve: resolve as (v: unknown) => void, reject };
      this.entries.push(entry);
      this.bytes += entry.bytes;
      if (op === 'setValidation') this.validation = args;
      this.send(entry);
      if (mutates && this.bytes > replayLogBytes) this.checkpoint();
    });
  }

  private send(entry: Entry): void {
    const gen = this.gen;
    this.worker.request({ type: 'call', backend: this.remote, op: entry.op, args: entry.args }).then(
      (result) => {
        if (gen !== this.gen) return;
        this.settle(entry);
        entry.resolve(result);
      },
      (err: Error) => {
        if (gen !== this.gen) return;
        if (err instanceof PoolWorkerLostError && !this.closed) return this.move(err);
        entry.mutates = false;
        this.settle(entry);
        entry.reject(err);
      },
    );
  }

  /** An answered entry leaves the log unless it changed the models' state. */
  private settle(entry: Entry): void {
    entry.done = true;
    if (entry.mutates) return;
    const i = this.entries.indexOf(entry);
    if (i >= 0) this.entries.splice(i, 1);
  }

  /** Reads every model's state; once read, the log before it is no longer needed. */
  private checkpoint(): void {
    if (this.checkpointing) return;
    this.checkpointing = true;
    const mark = this.entries[this.entries.length - 1]!;
    const reads = this.models.map((_, local) => this.call<ModelState>('readState', [local], false));
    Promise.all(reads).then(
      (states) => {
        this.checkpointing = false;
        this.checkpointed = states;
        sliceStats.checkpoints++;
        const cut = this.entries.indexOf(mark) + 1;
        for (const e of this.entries.splice(0, cut)) this.bytes -= e.bytes;
      },
      () => (this.checkpointing = false),
    );
  }

  /** The worker died: rebuild the models on another worker and send the log again. */
  private move(err: Error): void {
    this.gen++;
    this.deaths++;
    if (this.deaths > this.retries) {
      // The reason each lost model carries (PooledCpuBackend.lost): which worker died last, and that it kept happening.
      const allowed = `${this.retries} ${this.retries === 1 ? 'retry' : 'retries'} allowed`;
      this.lost = new PoolWorkerLostError(`${err.message}; ${this.deaths} workers in a row died holding these models (${allowed})`);
      this.lost.lost = [...this.models];
      for (const e of this.entries.splice(0)) if (!e.done) e.reject(this.lost);
      return;
    }
    this.worker.releaseData(this.setup.data);
    this.worker = this.pool.spare([this.worker]);
    this.place();
    for (const e of this.entries) this.send(e);
  }

  /** Frees the slice's backend and data in its worker; pending answers reject. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    openSlices.delete(this);
    for (const e of this.entries) if (!e.done) e.reject(new Error('this CPU backend was disposed'));
    this.entries = [];
    if (this.worker.dead) return;
    void this.worker.request({ type: 'dispose', backend: this.remote }).catch(() => undefined);
    this.worker.releaseData(this.setup.data);
  }
}
