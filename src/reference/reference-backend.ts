import type { OptimizerConfig } from '../nn/optimizer.ts';
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
import { EVAL_CHUNK_ROWS, ReferenceModel } from './model.ts';
import { OpQueue } from './op-queue.ts';
import { TimeSlicer } from './yield.ts';

/**
 * The float64 reference as a batch backend: a plain loop over its models, each one a
 * ReferenceModel. It is the oracle of every kernel test and of the batched GPU engine: model z of
 * a batch computes exactly what that model computes alone.
 */
export class ReferenceBackend implements BatchBackend {
  readonly kind = 'cpu' as const;
  readonly label = 'CPU reference (float64)';
  readonly models: number;
  readonly members: ReferenceModel[];
  private readonly slicer = new TimeSlicer();
  /** Operations run in call order, like commands on a GPU queue. */
  private readonly queue = new OpQueue();

  constructor(private readonly setup: BatchSetup) {
    if (setup.models.length < 1) throw new Error('a batch needs at least one model');
    checkRowWeights(setup);
    this.members = setup.models.map((m) => new ReferenceModel(setup.spec, setup.data, m, setup.augment ?? null));
    this.models = this.members.length;
  }

  runSteps(chunk: BatchChunk): Promise<StepMetric[][]> {
    return this.queue.run(() => this.stepsNow(chunk));
  }

  private async stepsNow(chunk: BatchChunk): Promise<StepMetric[][]> {
    const { steps } = chunk;
    const cap = this.setup.batchCapacity;
    const out: StepMetric[][] = this.members.map(() => []);
    for (let s = 0; s < steps; s++) {
      for (let z = 0; z < this.models; z++) {
        // The float64 loops are synchronous: messages such as "pause" or a heartbeat must still
        // reach a worker that trains on the CPU.
        await this.slicer.maybeYield();
        const rows = chunk.rows[z * steps + s]!;
        if (rows === 0) {
          out[z]!.push({ loss: 0, correct: 0, rows: 0 });
          continue;
        }
        const at = (z * steps + s) * cap;
        const lr = chunk.learningRates?.[z * steps + s];
        const member = this.members[z]!;
        const { lossSum, correct } = member.trainStep(chunk.batchIndices.subarray(at, at + rows), rows, lr === undefined || Number.isNaN(lr) ? undefined : lr);
        const metric: StepMetric = { loss: lossSum / rows, correct, rows };
        if (chunk.validateAfter?.[z * steps + s]) metric.validation = await this.validate(z);
        out[z]!.push(metric);
      }
    }
    return out;
  }

  private validation: readonly Uint32Array[] | null = null;

  setValidation(lists: readonly Uint32Array[]): Promise<void> {
    if (lists.length !== this.models) return Promise.reject(new Error(`validation needs a row list per model (${this.models}), got ${lists.length}`));
    return this.queue.run(() => {
      this.validation = lists;
    });
  }

  /** Model z's score on its validation rows, in chunks like an evaluation. */
  private async validate(z: number): Promise<ValidationScore> {
    const rows = this.validation?.[z];
    if (!rows) throw new Error('this batch has no validation rows to score');
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < rows.length; start += EVAL_CHUNK_ROWS) {
      await this.slicer.maybeYield();
      const t = this.members[z]!.evaluateChunk(rows, start, Math.min(EVAL_CHUNK_ROWS, rows.length - start));
      lossSum += t.lossSum;
      correct += t.correct;
    }
    return { loss: rows.length ? lossSum / rows.length : NaN, correct, rows: rows.length };
  }

  evaluate(indices: readonly Uint32Array[]): Promise<EvalResult[]> {
    if (indices.length !== this.models) return Promise.reject(new Error(`evaluation needs a row list per model (${this.models}), got ${indices.length}`));
    return this.queue.run(async () => {
      const results: EvalResult[] = [];
      for (let z = 0; z < this.models; z++) {
        const rows = indices[z]!;
        const model = this.members[z]!;
        const outputs = new Float32Array(rows.length * this.setup.spec.outputSize);
        let lossSum = 0;
        let correct = 0;
        for (let start = 0; start < rows.length; start += EVAL_CHUNK_ROWS) {
          await this.slicer.maybeYield();
          const t = model.evaluateChunk(rows, start, Math.min(EVAL_CHUNK_ROWS, rows.length - start));
          outputs.set(t.outputs, start * this.setup.spec.outputSize);
          lossSum += t.lossSum;
          correct += t.correct;
        }
        results.push({ loss: rows.length ? lossSum / rows.length : NaN, correct, rows: rows.length, outputs });
      }
      return results;
    });
  }

  predict(features: Float32Array, rows: number): Promise<Float32Array[]> {
    return this.queue.run(async () => {
      const width = this.setup.spec.outputSize;
      const results: Float32Array[] = [];
      for (const model of this.members) {
        const outputs = new Float32Array(rows * width);
        for (let start = 0; start < rows; start += EVAL_CHUNK_ROWS) {
          await this.slicer.maybeYield();
          outputs.set(model.predictChunk(features, start, Math.min(EVAL_CHUNK_ROWS, rows - start)), start * width);
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
      return this.queue.run(() => Float32Array.from(member.params));
    }
    return this.queue.run(() => {
      const floats = this.members[0]!.layout.totalFloats;
      const all = new Float32Array(this.models * floats);
      this.members.forEach((m, z) => all.set(m.params, z * floats));
      return all;
    });
  }

  writeParams(model: number, params: Float32Array): Promise<void> {
    const member = this.member(model);
    if (params.length !== member.layout.totalFloats)
      return Promise.reject(new Error(`the parameters have ${params.length} values but this network's arena holds ${member.layout.totalFloats}`));
    return this.queue.run(() => member.load(params));
  }

  writeParam(model: number, index: number, value: number): Promise<void> {
    const member = this.member(model);
    if (!Number.isInteger(index) || index < 0 || index >= member.layout.totalFloats)
      return Promise.reject(new Error(`no value ${index} in an arena of ${member.layout.totalFloats}`));
    return this.queue.run(() => {
      member.params[index] = Math.fround(value);
    });
  }

  /** The float64 state rounded to float32, the precision every other backend holds. */
  readState(model: number): Promise<ModelState> {
    const member = this.member(model);
    return this.queue.run(() => ({
      params: Float32Array.from(member.params),
      m: Float32Array.from(member.state.m),
      v: Float32Array.from(member.state.v),
      t: member.state.t,
      optimizer: { ...member.optimizer },
    }));
  }

  writeState(model: number, state: ModelState): Promise<void> {
    const member = this.member(model);
    const bad = stateError(state, member.layout.totalFloats);
    if (bad) return Promise.reject(bad);
    const next = { params: Float64Array.from(state.params), m: Float64Array.from(state.m), v: Float64Array.from(state.v), t: state.t };
    const optimizer = { ...state.optimizer };
    return this.queue.run(() => {
      member.params = next.params;
      member.state = { m: next.m, v: next.v, t: next.t };
      member.optimizer = optimizer;
    });
  }

  private member(model: number): ReferenceModel {
    const member = this.members[model];
    if (!member) throw new Error(`no model ${model} in a batch of ${this.models}`);
    return member;
  }

  dispose(): void {
    for (const m of this.members) m.params = new Float64Array(0);
  }
}
