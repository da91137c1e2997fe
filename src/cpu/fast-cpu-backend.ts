import type { OptimizerConfig } from '../nn/optimizer.ts';
import { EVAL_CHUNK_ROWS } from '../reference/model.ts';
import { OpQueue } from '../reference/op-queue.ts';
import { TimeSlicer } from '../reference/yield.ts';
import {
  checkRowWeights,
  stateError,
  type BatchBackend,
  type BatchChunk,
  type BatchSetup,
  type EvalResult,
  type ModelState,
  type StepMetric,
  type ValidationScore,
} from '../train/training-backend.ts';
import { FastCpuModels, type FastCpuMember } from './fast-cpu-models.ts';
import { instantiateKernels, type Kernels } from './kernels.ts';

/** The label of the fast CPU backend, as the UI shows it. */
export const FAST_CPU_LABEL = 'CPU (WebAssembly SIMD, float32)';

/** Builds the fast CPU backend of a batch (compiling the kernels' module once per thread). */
export async function createFastCpuBackend(setup: BatchSetup): Promise<FastCpuBackend> {
  return new FastCpuBackend(await instantiateKernels(), setup);
}

/**
 * The fast CPU implementation of BatchBackend: float32 kernels in WebAssembly SIMD
 * (assembly/*.ts) with the reference's semantics (src/reference/reference-backend.ts), so the same
 * trainer runs it. Models take their steps one after another in one heap (FastCpuModels holds
 * them and their passes); this class orders the calls, checks their arguments and, like the
 * reference, yields to the event loop between steps so a worker training on it keeps answering.
 */
export class FastCpuBackend implements BatchBackend {
  readonly kind = 'cpu' as const;
  readonly label = FAST_CPU_LABEL;
  readonly models: number;
  private readonly batch: FastCpuModels;
  private readonly members: FastCpuMember[];
  private readonly slicer = new TimeSlicer();
  private readonly queue = new OpQueue();
  private validation: readonly Uint32Array[] | null = null;

  constructor(
    k: Kernels,
    private readonly setup: BatchSetup,
  ) {
    if (setup.models.length < 1) throw new Error('a batch needs at least one model');
    checkRowWeights(setup);
    this.batch = new FastCpuModels(k, setup);
    this.members = this.batch.members;
    this.models = this.members.length;
  }

  /** Bytes of WebAssembly memory the batch holds. */
  get bytes(): number {
    return this.batch.heap.bytes;
  }

  runSteps(chunk: BatchChunk): Promise<StepMetric[][]> {
    const { steps } = chunk;
    if (chunk.rows.length !== this.models * steps || chunk.batchIndices.length < this.models * steps * this.setup.batchCapacity) {
      return Promise.reject(new Error(`a chunk of ${steps} steps needs rows and indices for ${this.models} models`));
    }
    return this.queue.run(() => this.stepsNow(chunk));
  }

  private async stepsNow(chunk: BatchChunk): Promise<StepMetric[][]> {
    const { steps } = chunk;
    const cap = this.setup.batchCapacity;
    const out: StepMetric[][] = this.members.map(() => []);
    for (let s = 0; s < steps; s++) {
      for (let z = 0; z < this.models; z++) {
        await this.slicer.maybeYield();
        const at = z * steps + s;
        const rows = chunk.rows[at]!;
        if (rows === 0) {
          out[z]!.push({ loss: 0, correct: 0, rows: 0 });
          continue;
        }
        if (rows > cap) throw new Error(`a step of ${rows} rows does not fit the batch capacity ${cap}`);
        const lr = chunk.learningRates?.[at];
        const t = this.batch.trainStep(z, chunk.batchIndices.subarray(at * cap, at * cap + rows), rows, lr === undefined || Number.isNaN(lr) ? undefined : lr);
        const metric: StepMetric = { loss: t.lossSum / rows, correct: t.correct, rows };
        if (chunk.validateAfter?.[at]) metric.validation = await this.validate(z);
        out[z]!.push(metric);
      }
    }
    return out;
  }

  /** Loss sum, correct count (and outputs) of model z over dataset rows, in chunks between yields. */
  private async over(z: number, rows: Uint32Array, outputs: Float32Array | null): Promise<{ lossSum: number; correct: number }> {
    const width = this.setup.spec.outputSize;
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < rows.length; start += EVAL_CHUNK_ROWS) {
      await this.slicer.maybeYield();
      const count = Math.min(EVAL_CHUNK_ROWS, rows.length - start);
      this.batch.gather(this.members[z]!.setup, rows.subarray(start, start + count), count, true);
      const t = this.batch.score(z, count, true, outputs?.subarray(start * width, (start + count) * width));
      lossSum += t.lossSum;
      correct += t.correct;
    }
    return { lossSum, correct };
  }

  setValidation(lists: readonly Uint32Array[]): Promise<void> {
    if (lists.length !== this.models) return Promise.reject(new Error(`validation needs a row list per model (${this.models}), got ${lists.length}`));
    return this.queue.run(() => {
      this.validation = lists;
    });
  }

  private async validate(z: number): Promise<ValidationScore> {
    const rows = this.validation?.[z];
    if (!rows) throw new Error('this batch has no validation rows to score');
    const t = await this.over(z, rows, null);
    return { loss: rows.length ? t.lossSum / rows.length : NaN, correct: t.correct, rows: rows.length };
  }

  evaluate(indices: readonly Uint32Array[]): Promise<EvalResult[]> {
    if (indices.length !== this.models) return Promise.reject(new Error(`evaluation needs a row list per model (${this.models}), got ${indices.length}`));
    return this.queue.run(async () => {
      const results: EvalResult[] = [];
      for (let z = 0; z < this.models; z++) {
        const rows = indices[z]!;
        const outputs = new Float32Array(rows.length * this.setup.spec.outputSize);
        const t = await this.over(z, rows, outputs);
        results.push({ loss: rows.length ? t.lossSum / rows.length : NaN, correct: t.correct, rows: rows.length, outputs });
      }
      return results;
    });
  }

  predict(features: Float32Array, rows: number): Promise<Float32Array[]> {
    const { inputSize, outputSize } = this.setup.spec;
    if (features.length < rows * inputSize)
      return Promise.reject(new Error(`predict needs ${rows} rows of ${inputSize} features, got ${features.length} values`));
    return this.queue.run(async () => {
      const results: Float32Array[] = [];
      for (let z = 0; z < this.models; z++) {
        const outputs = new Float32Array(rows * outputSize);
        for (let start = 0; start < rows; start += EVAL_CHUNK_ROWS) {
          await this.slicer.maybeYield();
          const count = Math.min(EVAL_CHUNK_ROWS, rows - start);
          this.batch.heap.f32(this.batch.stack.x, count * inputSize).set(features.subarray(start * inputSize, (start + count) * inputSize));
          this.batch.score(z, count, false, outputs.subarray(start * outputSize, (start + count) * outputSize));
        }
        results.push(outputs);
      }
      return results;
    });
  }

  setOptimizer(model: number, cfg: OptimizerConfig): void {
    const member = this.member(model);
    // Queued like the GPU's settings write: steps already requested keep the old values.
    void this.queue.run(() => {
      member.optimizer = { ...cfg };
    });
  }

  readParams(model?: number): Promise<Float32Array> {
    if (model !== undefined) {
      const member = this.member(model);
      return this.queue.run(() => member.arena.read());
    }
    return this.queue.run(() => {
      const floats = this.members[0]!.arena.floats;
      const all = new Float32Array(this.models * floats);
      this.members.forEach((m, z) => all.set(m.arena.read(), z * floats));
      return all;
    });
  }

  writeParams(model: number, params: Float32Array): Promise<void> {
    const member = this.member(model);
    if (params.length !== member.arena.floats)
      return Promise.reject(new Error(`the parameters have ${params.length} values but this network's arena holds ${member.arena.floats}`));
    const copy = Float32Array.from(params);
    return this.queue.run(() => member.arena.load(copy));
  }

  writeParam(model: number, index: number, value: number): Promise<void> {
    const member = this.member(model);
    if (!Number.isInteger(index) || index < 0 || index >= member.arena.floats)
      return Promise.reject(new Error(`no value ${index} in an arena of ${member.arena.floats}`));
    return this.queue.run(() => member.arena.setParam(index, value));
  }

  readState(model: number): Promise<ModelState> {
    const member = this.member(model);
    return this.queue.run(() => ({ ...member.arena.readState(), optimizer: { ...member.optimizer } }));
  }

  writeState(model: number, state: ModelState): Promise<void> {
    const member = this.member(model);
    const bad = stateError(state, member.arena.floats);
    if (bad) return Promise.reject(bad);
    const copy = { params: Float32Array.from(state.params), m: Float32Array.from(state.m), v: Float32Array.from(state.v), t: state.t };
    const optimizer = { ...state.optimizer };
    return this.queue.run(() => {
      member.arena.loadState(copy);
      member.optimizer = optimizer;
    });
  }

  private member(model: number): FastCpuMember {
    const member = this.members[model];
    if (!member) throw new Error(`no model ${model} in a batch of ${this.models}`);
    return member;
  }

  dispose(): void {
    // The instance and its memory go with the last reference; later calls reject.
    this.queue.close('this CPU backend was disposed');
  }
}
