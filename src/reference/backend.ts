import type { OptimizerConfig } from '../nn/optimizer.ts';
import { arenaLayout, type ArenaLayout } from '../nn/arena.ts';
import { denseLayers } from '../nn/spec.ts';
import type { BackendSetup, EvalResult, StepChunk, StepMetric, TrainingBackend } from '../train/backend.ts';
import { augmentBatch } from '../data/augment.ts';
import { gatherRows, lossForward } from './loss.ts';
import { optimizerState, optimizerStep, type OptimizerState } from './optimizer.ts';
import { stackBackward, stackForward } from './stack.ts';
import { TimeSlicer } from './yield.ts';

/** Rows per forward chunk of an evaluation, between which the CPU backend yields. */
const EVAL_CHUNK_ROWS = 256;

/**
 * The float64 CPU reference as a training backend: the oracle in tests and the fallback where
 * WebGPU is missing. Straight loops, no tricks, so it reads as the spec of every kernel.
 */
export class CpuBackend implements TrainingBackend {
  readonly kind = 'cpu' as const;
  readonly label = 'CPU reference (float64)';
  private readonly layout: ArenaLayout;
  private readonly layers;
  /** The live float64 parameter arena; gradient checks perturb it in place. */
  params: Float64Array;
  private state: OptimizerState;
  private optimizer: OptimizerConfig;
  private readonly slicer = new TimeSlicer();
  /** Operations run in call order, like commands on a GPU queue. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly setup: BackendSetup) {
    this.layout = arenaLayout(setup.spec);
    this.layers = denseLayers(setup.spec);
    this.params = Float64Array.from(setup.params);
    this.state = optimizerState(this.layout.totalFloats);
    this.optimizer = { ...setup.optimizer };
  }

  /** Layer outputs for a batch: outputs[0] is the input, outputs[L] the logits. */
  forward(x: Float64Array, rows: number): Float64Array[] {
    return stackForward(this.layers, this.layout, this.params, x, rows);
  }

  /** Gradient arena of the mean loss over `indices` and the loss result itself. */
  gradients(indices: ArrayLike<number>, rows: number): { grads: Float64Array; lossSum: number; correct: number } {
    const { data, spec, classWeights } = this.setup;
    const gathered = gatherRows(data.features, data.inputSize, indices, rows);
    const augment = this.setup.augment;
    const x = augment ? augmentBatch(gathered, rows, data.inputSize, augment, this.state.t) : gathered;
    const targets = gatherRows(data.targets, data.targetWidth, indices, rows);
    const dropout = this.setup.dropout?.some((p) => p > 0) ? { rates: this.setup.dropout, seed: this.setup.dropoutSeed ?? 0, step: this.state.t } : null;
    const outs = stackForward(this.layers, this.layout, this.params, x, rows, dropout);
    const loss = lossForward(spec.loss, outs[outs.length - 1]!, targets, rows, spec.outputSize, classWeights);
    const { grads } = stackBackward(this.layers, this.layout, this.params, outs, loss.grad, rows, null, dropout);
    return { grads, lossSum: loss.lossSum, correct: loss.correct };
  }

  /**
   * Runs `op` after every operation called before it, so that, as on the GPU queue, a readParams
   * called right after runSteps sees the parameters after those steps.
   */
  private enqueue<T>(op: () => Promise<T> | T): Promise<T> {
    const result = this.queue.then(op);
    this.queue = result.catch(() => undefined);
    return result;
  }

  runSteps(chunk: StepChunk): Promise<StepMetric[]> {
    return this.enqueue(() => this.stepsNow(chunk));
  }

  private async stepsNow(chunk: StepChunk): Promise<StepMetric[]> {
    const capacity = this.setup.batchCapacity;
    const metrics: StepMetric[] = [];
    for (let s = 0; s < chunk.rows.length; s++) {
      // The float64 loops are synchronous: messages such as "pause" or a heartbeat must still
      // reach a worker that trains on the CPU.
      await this.slicer.maybeYield();
      const rows = chunk.rows[s]!;
      const indices = chunk.batchIndices.subarray(s * capacity, s * capacity + rows);
      const { grads, lossSum, correct } = this.gradients(indices, rows);
      optimizerStep(this.optimizer, this.params, grads, this.state, this.layout.weightsEnd);
      metrics.push({ loss: lossSum / rows, correct, rows });
    }
    return metrics;
  }

  evaluate(indices: Uint32Array): Promise<EvalResult> {
    return this.enqueue(() => this.evaluateNow(indices));
  }

  /**
   * Forward passes over `rows` rows in chunks, yielding between chunks so a big evaluation never
   * blocks the worker for long. `source(start, count)` gives a chunk's inputs and targets.
   */
  private async forwardChunks(rows: number, source: (start: number, count: number) => { x: Float64Array; targets: Float64Array }, weights: Float32Array | null) {
    const { spec } = this.setup;
    const outputs = new Float32Array(rows * spec.outputSize);
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < rows; start += EVAL_CHUNK_ROWS) {
      if (start > 0) await this.slicer.maybeYield();
      const count = Math.min(EVAL_CHUNK_ROWS, rows - start);
      const { x, targets } = source(start, count);
      const outs = this.forward(x, count);
      const loss = lossForward(spec.loss, outs[outs.length - 1]!, targets, count, spec.outputSize, weights);
      outputs.set(loss.outputs, start * spec.outputSize);
      lossSum += loss.lossSum;
      correct += loss.correct;
    }
    return { lossSum, correct, outputs };
  }

  private async evaluateNow(indices: Uint32Array): Promise<EvalResult> {
    const { data, classWeights } = this.setup;
    const rows = indices.length;
    const r = await this.forwardChunks(
      rows,
      (start, count) => ({
        x: gatherRows(data.features, data.inputSize, indices.subarray(start, start + count)),
        targets: gatherRows(data.targets, data.targetWidth, indices.subarray(start, start + count)),
      }),
      classWeights,
    );
    return { loss: rows ? r.lossSum / rows : NaN, correct: r.correct, rows, outputs: r.outputs };
  }

  predict(features: Float32Array, rows: number): Promise<Float32Array> {
    return this.enqueue(() => this.predictNow(features, rows));
  }

  private async predictNow(features: Float32Array, rows: number): Promise<Float32Array> {
    const { spec } = this.setup;
    const width = spec.inputSize;
    const targetWidth = spec.loss === 'mse' ? spec.outputSize : 1;
    const r = await this.forwardChunks(
      rows,
      (start, count) => ({ x: Float64Array.from(features.subarray(start * width, (start + count) * width)), targets: new Float64Array(count * targetWidth) }),
      null,
    );
    return r.outputs;
  }

  setOptimizer(cfg: OptimizerConfig): void {
    // Queued like the GPU's uniform write: steps already requested keep the old values.
    void this.enqueue(() => {
      this.optimizer = { ...cfg };
    });
  }

  readParams(): Promise<Float32Array> {
    return this.enqueue(() => Float32Array.from(this.params));
  }

  writeParams(params: Float32Array): Promise<void> {
    return this.enqueue(() => {
      this.params = Float64Array.from(params);
      this.state = optimizerState(this.layout.totalFloats);
    });
  }

  dispose(): void {
    this.params = new Float64Array(0);
  }
}
