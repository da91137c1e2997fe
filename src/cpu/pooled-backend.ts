import type { OptimizerConfig } from '../nn/optimizer.ts';
import type { BatchBackend, BatchChunk, BatchSetup, EvalResult, ModelState, StepMetric } from '../train/training-backend.ts';
import type { CpuPool } from './cpu-pool.ts';
import { FAST_CPU_LABEL } from './fast-cpu-backend.ts';
import { unpackMetrics, type PoolOp } from './pool-worker.ts';
import { PoolSlice } from './pool-slice.ts';
import { LocalSlice } from './local-slice.ts';

/** A slice of the batch: trained on this thread (slice 0) or on a pool worker. */
type Slice = LocalSlice | PoolSlice;

/**
 * The CPU backend of one batch spread over k threads: model z trains in slice z mod k, each slice
 * on its own fast CPU backend with that slice's models. Slice 0 trains on the calling thread (the
 * engine worker, which would otherwise sit waiting) and slices 1 to k−1 on k−1 workers of the
 * pool; each operation is posted to the pool first, so the workers train while this thread trains
 * its own slice. Models never interact, so every model's steps, metrics and weights are
 * bit-identical to the one-worker backend's; the trainer above it sees one BatchBackend and keeps
 * its progress, cancel and schedules. A pool worker that dies has its models rebuilt on another from their last checkpoint plus the logged operations
 * since, so the job goes on as if nothing happened. Past MAX_RETRIES deaths those models are lost
 * (`lost` names them and says why): batch-wide operations still answer for every other model,
 * with a NaN placeholder for a lost one (the trainer stops it as it stops a diverged one), and
 * an operation on a lost model alone rejects with the reason. The local slice cannot die apart
 * from its engine, so it keeps no log.
 */
export class PooledCpuBackend implements BatchBackend {
  readonly kind = 'cpu' as const;
  readonly models: number;
  readonly label: string;
  /** Slice s trains models s, s + k, ...: slice 0 here, the others on pool workers. */
  private readonly slices: Slice[];
  /** Slice 0, trained on this thread. */
  private readonly local: LocalSlice;
  /** The slices on pool workers (slices 1 to k−1), in order. */
  private readonly remote: PoolSlice[];
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
    const leased = pool.acquire(k - 1);
    this.label = `${FAST_CPU_LABEL}, ${k} workers`;
    const sliceModels = (s: number) => {
      const models = Array.from({ length: Math.ceil((this.models - s) / k) }, (_, j) => s + j * k);
      models.forEach((z, local) => (this.at[z] = { slice: s, local }));
      return models;
    };
    this.local = new LocalSlice(setup, sliceModels(0));
    // A local backend that fails to build is reported by create(); this keeps it from going unhandled before.
    this.local.ready.catch(() => undefined);
    this.remote = leased.map((worker, i) => new PoolSlice(pool, setup, sliceModels(i + 1), worker));
    this.slices = [this.local, ...this.remote];
  }

  /**
   * The backend of `setup` over `workers` of `pool`, once every slice's backend is built; a worker
   * that cannot start (a browser without nested module workers) rejects, and the caller runs the
   * batch on one worker instead.
   */
  static async create(pool: CpuPool, setup: BatchSetup, workers: number): Promise<PooledCpuBackend> {
    const backend = new PooledCpuBackend(pool, setup, workers);
    try {
      await Promise.all([
        backend.local.ready,
        ...backend.remote.map((slice) => slice.worker.request({ type: 'call', backend: slice.remote, op: 'readState', args: [0] })),
      ]);
    } catch (e) {
      backend.dispose();
      throw e;
    }
    return backend;
  }

  /** Threads this batch is sliced over: this one and its pool workers. */
  get workers(): number {
    return this.slices.length;
  }

  /** Models given up after their workers kept dying, each with the reason; the others train on. */
  get lost(): ReadonlyMap<number, string> {
    const out = new Map<number, string>();
    for (const slice of this.remote) if (slice.lost) for (const z of slice.models) out.set(z, slice.lost.message);
    return out;
  }

  /**
   * Runs `op` on every slice with its part of the arguments; the answers, per model in batch
   * order, `lost(z)` standing in for each model of a slice that was given up. The pool's slices
   * are sent theirs first and the local slice's runs after, so the workers start while this
   * thread trains.
   */
  private async each<T>(part: (slice: Slice) => unknown[], op: PoolOp, mutates: boolean, lost: (z: number) => T): Promise<T[]> {
    const remote = this.remote.map(async (slice) => {
      const answer = await slice.call<T[] | Float64Array>(op, part(slice), mutates).catch(this.unlessLost(slice));
      if (!answer) return slice.models.map(lost);
      return (op === 'runSteps' ? unpackMetrics(answer as Float64Array, slice.models.length) : answer) as T[];
    });
    const local = this.local.call<T[]>(op, part(this.local), mutates);
    const answers = await Promise.all([local, ...remote]);
    return Array.from({ length: this.models }, (_, z) => answers[this.at[z]!.slice]![this.at[z]!.local]!);
  }

  runSteps(chunk: BatchChunk): Promise<StepMetric[][]> {
    const { steps } = chunk;
    const cap = this.setup.batchCapacity;
    if (chunk.rows.length !== this.models * steps || chunk.batchIndices.length < this.models * steps * cap)
      return Promise.reject(new Error(`a chunk of ${steps} steps needs rows and indices for ${this.models} models`));
    // Model z's rows of the chunk, for the slice's models back to back: copies, so a pool slice's log owns them.
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
      () => Array.from({ length: steps }, () => ({ loss: NaN, correct: 0, rows: 0 })),
    );
  }

  evaluate(indices: readonly Uint32Array[]): Promise<EvalResult[]> {
    if (indices.length !== this.models) return Promise.reject(new Error(`evaluation needs a row list per model (${this.models}), got ${indices.length}`));
    const out = this.setup.spec.outputSize;
    const lost = (z: number): EvalResult => ({
      loss: NaN,
      correct: 0,
      rows: indices[z]!.length,
      outputs: new Float32Array(indices[z]!.length * out).fill(NaN),
    });
    return this.each<EvalResult>((slice) => [slice.models.map((z) => indices[z]!)], 'evaluate', false, lost);
  }

  predict(features: Float32Array, rows: number): Promise<Float32Array[]> {
    return this.each<Float32Array>(
      () => [features, rows],
      'predict',
      false,
      () => new Float32Array(rows * this.setup.spec.outputSize).fill(NaN),
    );
  }

  async setValidation(lists: readonly Uint32Array[]): Promise<void> {
    if (lists.length !== this.models) throw new Error(`validation needs a row list per model (${this.models}), got ${lists.length}`);
    // A pool slice's log keeps copies; the local backend holds the lists as the one-worker backend does. A lost slice has nothing left to validate.
    const copies = (slice: PoolSlice) => slice.models.map((z) => Uint32Array.from(lists[z]!));
    await Promise.all([
      ...this.remote.map((slice) => slice.call('setValidation', [copies(slice)], true).catch(this.unlessLost(slice))),
      this.local.call('setValidation', [this.local.models.map((z) => lists[z]!)], true),
    ]);
  }

  /** Slice and local number of `model`, or an error naming it. */
  private where(model: number): { slice: Slice; local: number } {
    const at = this.at[model];
    if (!at) throw new Error(`no model ${model} in a batch of ${this.models}`);
    return { slice: this.slices[at.slice]!, local: at.local };
  }

  setOptimizer(model: number, cfg: OptimizerConfig): void {
    const { slice, local } = this.where(model);
    void slice.call('setOptimizer', [local, { ...cfg }], true).catch(() => undefined);
  }

  async readParams(model?: number): Promise<Float32Array> {
    if (model !== undefined) {
      const { slice, local } = this.where(model);
      return slice.call<Float32Array>('readParams', [local], false);
    }
    // A lost model's arena reads as NaN, like a placeholder of the batch-wide operations.
    const each = await Promise.all(Array.from({ length: this.models }, (_, z) => this.readParams(z).catch(this.unlessLost(this.where(z).slice))));
    const floats = this.setup.models[0]!.params.length;
    const all = new Float32Array(this.models * floats);
    each.forEach((p, z) => (p ? all.set(p, z * floats) : all.fill(NaN, z * floats, (z + 1) * floats)));
    return all;
  }

  /** A rejection handler that swallows `slice`'s loss (undefined) and rethrows anything else. */
  private unlessLost(slice: Slice): (e: unknown) => undefined {
    return (e) => {
      if (!(slice instanceof PoolSlice) || !slice.lost || e !== slice.lost) throw e;
      return undefined;
    };
  }

  writeParams(model: number, params: Float32Array): Promise<void> {
    const { slice, local } = this.where(model);
    return slice.call('writeParams', [local, Float32Array.from(params)], true);
  }

  writeParam(model: number, index: number, value: number): Promise<void> {
    const { slice, local } = this.where(model);
    return slice.call('writeParam', [local, index, value], true);
  }

  readState(model: number): Promise<ModelState> {
    const { slice, local } = this.where(model);
    return slice.call<ModelState>('readState', [local], false);
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
    return slice.call('writeState', [local, copy], true);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const slice of this.slices) slice.close();
    this.pool.release();
  }
}
