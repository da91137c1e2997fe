import type { OptimizerConfig } from '../nn/optimizer.ts';
import type { BatchBackend, BatchChunk, BatchSetup, EvalResult, ModelState, StepMetric } from '../train/training-backend.ts';
import { CpuPool, PoolWorker, PoolWorkerLostError } from './cpu-pool.ts';
import { FAST_CPU_LABEL } from './fast-cpu-backend.ts';
import { unpackMetrics, type PoolOp } from './pool-worker.ts';

/**
 * Operations logged per slice (bytes of their arguments) before the slice's models are
 * checkpointed and the log dropped: the engine-side memory a slice's retry costs at most, past
 * one checkpoint of its models' states.
 */
export const REPLAY_LOG_BYTES = 16 * 2 ** 20;
/** How many times a slice's worker may die before its models are given up. */
const MAX_RETRIES = 2;

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

/** The models of one worker: batch models `models` (in order), their local numbers 0.. . */
interface Slice {
  models: number[];
  worker: PoolWorker;
  remote: number;
  /** Bumped on each move to another worker: answers of an older one are ignored. */
  gen: number;
  entries: Entry[];
  bytes: number;
  /** Every model's state at the start of `entries`, or null: the models' initial setup. */
  checkpoint: ModelState[] | null;
  checkpointing: boolean;
  deaths: number;
  lost: Error | null;
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
 * The CPU backend of one batch spread over a pool of workers: model z trains in worker z mod k,
 * on that worker's own fast CPU backend with that slice's models. Models never interact, so every
 * model's steps, metrics and weights are bit-identical to the one-worker backend's; the trainer
 * above it sees one BatchBackend and keeps its progress, cancel and schedules. A worker that
 * dies has its models rebuilt on another from their last checkpoint plus the logged operations
 * since, so the job goes on as if nothing happened; past MAX_RETRIES deaths every operation on
 * those models rejects with a message naming them.
 */
export class PooledCpuBackend implements BatchBackend {
  readonly kind = 'cpu' as const;
  readonly models: number;
  readonly label: string;
  private readonly slices: Slice[];
  /** Slice and local number of each model. */
  private readonly at: { slice: number; local: number }[] = [];
  private disposed = false;

  private constructor(
    private readonly pool: CpuPool,
    private readonly setup: BatchSetup,
    workers: number,
  ) {
    this.models = setup.models.length;
    const k = Math.max(1, Math.min(workers, this.models));
    const leased = pool.acquire(k);
    this.label = `${FAST_CPU_LABEL}, ${k} workers`;
    this.slices = leased.map((worker, s) => {
      const models = Array.from({ length: Math.ceil((this.models - s) / k) }, (_, j) => s + j * k);
      models.forEach((z, local) => (this.at[z] = { slice: s, local }));
      return { models, worker, remote: 0, gen: 0, entries: [], bytes: 0, checkpoint: null, checkpointing: false, deaths: 0, lost: null };
    });
    for (const slice of this.slices) this.place(slice);
  }

  /**
   * The backend of `setup` over `workers` of `pool`, once every slice's backend is built; a worker
   * that cannot start (a browser without nested module workers) rejects, and the caller runs the
   * batch on one worker instead.
   */
  static async create(pool: CpuPool, setup: BatchSetup, workers: number): Promise<PooledCpuBackend> {
    const backend = new PooledCpuBackend(pool, setup, workers);
    try {
      await Promise.all(backend.slices.map((slice) => slice.worker.request({ type: 'call', backend: slice.remote, op: 'readState', args: [0] })));
    } catch (e) {
      backend.dispose();
      throw e;
    }
    return backend;
  }

  /** Workers this batch is sliced over. */
  get workers(): number {
    return this.slices.length;
  }

  /** Builds the slice's backend on its worker: the models' setup, then their checkpoint if any. */
  private place(slice: Slice): void {
    const { data, ...rest } = this.setup;
    const dataId = slice.worker.holdData(data, this.pool.dataId);
    slice.remote = ++remoteIds;
    const setup = { ...rest, models: slice.models.map((z) => this.setup.models[z]!) };
    void slice.worker.request({ type: 'create', backend: slice.remote, data: dataId, setup }).catch(() => undefined);
    slice.checkpoint?.forEach((state, local) => {
      void slice.worker.request({ type: 'call', backend: slice.remote, op: 'writeState', args: [local, state] }).catch(() => undefined);
    });
  }

  /** Sends op to the slice; resolves with its answer, from whichever worker holds the slice then. */
  private call<T>(slice: Slice, op: PoolOp, args: unknown[], mutates: boolean): Promise<T> {
    if (this.disposed) return Promise.reject(new Error('this CPU backend was disposed'));
    if (slice.lost) return Promise.reject(slice.lost);
    return new Promise<T>((resolve, reject) => {
      const entry: Entry = { op, args, mutates, done: false, bytes: mutates ? bytesOf(args) : 0, resolve: resolve as (v: unknown) => void, reject };
      slice.entries.push(entry);
      slice.bytes += entry.bytes;
      this.send(slice, entry);
      if (mutates && slice.bytes > REPLAY_LOG_BYTES) this.checkpoint(slice);
    });
  }

  private send(slice: Slice, entry: Entry): void {
    const gen = slice.gen;
    slice.worker.request({ type: 'call', backend: slice.remote, op: entry.op, args: entry.args }).then(
      (result) => {
        if (gen !== slice.gen) return;
        this.settle(slice, entry);
        entry.resolve(result);
      },
      (err: Error) => {
        if (gen !== slice.gen) return;
        if (err instanceof PoolWorkerLostError && !this.disposed) return this.move(slice, err);
        entry.mutates = false;
        this.settle(slice, entry);
        entry.reject(err);
      },
    );
  }

  /** An answered entry leaves the log unless it changed the models' state. */
  private settle(slice: Slice, entry: Entry): void {
    entry.done = true;
    if (entry.mutates) return;
    const i = slice.entries.indexOf(entry);
    if (i >= 0) slice.entries.splice(i, 1);
  }

  /** Reads every model's state of the slice; once read, the log before it is no longer needed. */
  private checkpoint(slice: Slice): void {
    if (slice.checkpointing) return;
    slice.checkpointing = true;
    const mark = slice.entries[slice.entries.length - 1]!;
    const reads = slice.models.map((_, local) => this.call<ModelState>(slice, 'readState', [local], false));
    Promise.all(reads).then(
      (states) => {
        slice.checkpointing = false;
        slice.checkpoint = states;
        const cut = slice.entries.indexOf(mark) + 1;
        for (const e of slice.entries.splice(0, cut)) slice.bytes -= e.bytes;
      },
      () => (slice.checkpointing = false),
    );
  }

  /** The slice's worker died: rebuild its models on another worker and send its log again. */
  private move(slice: Slice, err: Error): void {
    slice.gen++;
    slice.deaths++;
    const names = slice.models.map((z) => z + 1).join(', ');
    if (slice.deaths > MAX_RETRIES) {
      slice.lost = new PoolWorkerLostError(`${err.message}; models ${names} of this batch were lost after ${MAX_RETRIES} retries on other workers`);
      for (const e of slice.entries.splice(0)) if (!e.done) e.reject(slice.lost);
      return;
    }
    slice.worker.releaseData(this.setup.data);
    slice.worker = this.pool.spare([slice.worker]);
    this.place(slice);
    for (const e of slice.entries) this.send(slice, e);
  }

  /** Runs `op` on every slice with its part of the arguments; the answers, per model in batch order. */
  private async each<T>(part: (slice: Slice) => unknown[], op: PoolOp, mutates: boolean): Promise<T[]> {
    const answers = await Promise.all(
      this.slices.map(async (slice) => {
        const answer = await this.call<T[] | Float64Array>(slice, op, part(slice), mutates);
        return (op === 'runSteps' ? unpackMetrics(answer as Float64Array, slice.models.length) : answer) as T[];
      }),
    );
    return Array.from({ length: this.models }, (_, z) => answers[this.at[z]!.slice]![this.at[z]!.local]!);
  }

  runSteps(chunk: BatchChunk): Promise<StepMetric[][]> {
    const { steps } = chunk;
    const cap = this.setup.batchCapacity;
    if (chunk.rows.length !== this.models * steps || chunk.batchIndices.length < this.models * steps * cap)
      return Promise.reject(new Error(`a chunk of ${steps} steps needs rows and indices for ${this.models} models`));
    // Model z's rows of the chunk, for the slice's models back to back: copies, so the log owns them.
    const pick = <A extends Uint32Array | Uint8Array | Float64Array>(a: A, per: number, models: number[]): A => {
      const out = new (a.constructor as new (n: number) => A)(models.length * per);
      models.forEach((z, j) => out.set(a.subarray(z * per, (z + 1) * per), j * per));
      return out;
    };
    return this.each<StepMetric[]>(
      (slice) => {
        const part: BatchChunk = { steps, batchIndices: pick(chunk.batchIndices, steps * cap, slice.models), rows: pick(chunk.rows, steps, slice.models) };
        if (chunk.learningRates) part.learningRates = pick(chunk.learningRates, steps, slice.models);
        if (chunk.validateAfter) part.validateAfter = pick(chunk.validateAfter, steps, slice.models);
        return [part];
      },
      'runSteps',
      true,
    );
  }

  evaluate(indices: readonly Uint32Array[]): Promise<EvalResult[]> {
    if (indices.length !== this.models) return Promise.reject(new Error(`evaluation needs a row list per model (${this.models}), got ${indices.length}`));
    return this.each<EvalResult>((slice) => [slice.models.map((z) => indices[z]!)], 'evaluate', false);
  }

  predict(features: Float32Array, rows: number): Promise<Float32Array[]> {
    return this.each<Float32Array>(() => [features, rows], 'predict', false);
  }

  async setValidation(lists: readonly Uint32Array[]): Promise<void> {
    if (lists.length !== this.models) throw new Error(`validation needs a row list per model (${this.models}), got ${lists.length}`);
    await Promise.all(this.slices.map((slice) => this.call(slice, 'setValidation', [slice.models.map((z) => Uint32Array.from(lists[z]!))], true)));
  }

  /** Slice and local number of `model`, or an error naming it. */
  private where(model: number): { slice: Slice; local: number } {
    const at = this.at[model];
    if (!at) throw new Error(`no model ${model} in a batch of ${this.models}`);
    return { slice: this.slices[at.slice]!, local: at.local };
  }

  setOptimizer(model: number, cfg: OptimizerConfig): void {
    const { slice, local } = this.where(model);
    void this.call(slice, 'setOptimizer', [local, { ...cfg }], true).catch(() => undefined);
  }

  async readParams(model?: number): Promise<Float32Array> {
    if (model !== undefined) {
      const { slice, local } = this.where(model);
      return this.call<Float32Array>(slice, 'readParams', [local], false);
    }
    const each = await Promise.all(Array.from({ length: this.models }, (_, z) => this.readParams(z)));
    const floats = each[0]!.length;
    const all = new Float32Array(this.models * floats);
    each.forEach((p, z) => all.set(p, z * floats));
    return all;
  }

  writeParams(model: number, params: Float32Array): Promise<void> {
    const { slice, local } = this.where(model);
    return this.call(slice, 'writeParams', [local, Float32Array.from(params)], true);
  }

  writeParam(model: number, index: number, value: number): Promise<void> {
    const { slice, local } = this.where(model);
    return this.call(slice, 'writeParam', [local, index, value], true);
  }

  readState(model: number): Promise<ModelState> {
    const { slice, local } = this.where(model);
    return this.call<ModelState>(slice, 'readState', [local], false);
  }

  writeState(model: number, state: ModelState): Promise<void> {
    const { slice, local } = this.where(model);
    const copy = {
      ...state,
      params: Float32Array.from(state.params),
      m: Float32Array.from(state.m),
      v: Float32Array.from(state.v),
      optimizer: { ...state.optimizer },
    };
    return this.call(slice, 'writeState', [local, copy], true);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const slice of this.slices) {
      for (const e of slice.entries) if (!e.done) e.reject(new Error('this CPU backend was disposed'));
      slice.entries = [];
      if (slice.worker.dead) continue;
      void slice.worker.request({ type: 'dispose', backend: slice.remote }).catch(() => undefined);
      slice.worker.releaseData(this.setup.data);
    }
    this.pool.release();
  }
}
