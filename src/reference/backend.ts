import type { OptimizerConfig } from '../nn/optimizer.ts';
import { arenaLayout, layerTensors, type ArenaLayout } from '../nn/arena.ts';
import { denseLayers } from '../nn/spec.ts';
import type { BackendSetup, EvalResult, StepChunk, StepMetric, TrainingBackend } from '../train/backend.ts';
import { denseBackward, denseForward } from './dense.ts';
import { gatherRows, lossForward } from './loss.ts';
import { optimizerState, optimizerStep, type OptimizerState } from './optimizer.ts';

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

  constructor(private readonly setup: BackendSetup) {
    this.layout = arenaLayout(setup.spec);
    this.layers = denseLayers(setup.spec);
    this.params = Float64Array.from(setup.params);
    this.state = optimizerState(this.layout.totalFloats);
    this.optimizer = { ...setup.optimizer };
  }

  /** Layer outputs for a batch: outputs[0] is the input, outputs[L] the logits. */
  forward(x: Float64Array, rows: number): Float64Array[] {
    const outs = [x];
    this.layers.forEach((l, i) => {
      const { weight, bias } = layerTensors(this.layout, i);
      outs.push(denseForward(outs[i]!, this.params, this.params, rows, l.inputs, l.units, l.activation, weight.offset, bias.offset));
    });
    return outs;
  }

  /** Gradient arena of the mean loss over `indices` and the loss result itself. */
  gradients(indices: ArrayLike<number>, rows: number): { grads: Float64Array; lossSum: number; correct: number } {
    const { data, spec, classWeights } = this.setup;
    const x = gatherRows(data.features, data.inputSize, indices, rows);
    const targets = gatherRows(data.targets, data.targetWidth, indices, rows);
    const outs = this.forward(x, rows);
    const loss = lossForward(spec.loss, outs[outs.length - 1]!, targets, rows, spec.outputSize, classWeights);
    const grads = new Float64Array(this.layout.totalFloats);
    let dz: Float64Array = loss.grad;
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const l = this.layers[i]!;
      const { weight, bias } = layerTensors(this.layout, i);
      const prevAct = i > 0 ? this.layers[i - 1]!.activation : null;
      const g = denseBackward(outs[i]!, this.params, dz, rows, l.inputs, l.units, prevAct, weight.offset);
      grads.set(g.dW, weight.offset);
      grads.set(g.db, bias.offset);
      if (g.dPrev) dz = g.dPrev;
    }
    return { grads, lossSum: loss.lossSum, correct: loss.correct };
  }

  async runSteps(chunk: StepChunk): Promise<StepMetric[]> {
    // The float64 loops are synchronous: yield a macrotask first so that messages such as
    // "pause" reach a worker that trains on the CPU.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const capacity = this.setup.batchCapacity;
    const metrics: StepMetric[] = [];
    for (let s = 0; s < chunk.rows.length; s++) {
      const rows = chunk.rows[s]!;
      const indices = chunk.batchIndices.subarray(s * capacity, s * capacity + rows);
      const { grads, lossSum, correct } = this.gradients(indices, rows);
      optimizerStep(this.optimizer, this.params, grads, this.state, this.layout.weightsEnd);
      metrics.push({ loss: lossSum / rows, correct, rows });
    }
    return metrics;
  }

  async evaluate(indices: Uint32Array): Promise<EvalResult> {
    const { data, spec, classWeights } = this.setup;
    const rows = indices.length;
    const x = gatherRows(data.features, data.inputSize, indices);
    const targets = gatherRows(data.targets, data.targetWidth, indices);
    const outs = this.forward(x, rows);
    const loss = lossForward(spec.loss, outs[outs.length - 1]!, targets, rows, spec.outputSize, classWeights);
    return { loss: rows ? loss.lossSum / rows : NaN, correct: loss.correct, rows, outputs: Float32Array.from(loss.outputs) };
  }

  async predict(features: Float32Array, rows: number): Promise<Float32Array> {
    const { spec } = this.setup;
    const outs = this.forward(Float64Array.from(features), rows);
    const dummy = new Float64Array(rows * (spec.loss === 'mse' ? spec.outputSize : 1));
    const loss = lossForward(spec.loss, outs[outs.length - 1]!, dummy, rows, spec.outputSize, null);
    return Float32Array.from(loss.outputs);
  }

  setOptimizer(cfg: OptimizerConfig): void {
    this.optimizer = { ...cfg };
  }

  async readParams(): Promise<Float32Array> {
    return Float32Array.from(this.params);
  }

  async writeParams(params: Float32Array): Promise<void> {
    this.params = Float64Array.from(params);
    this.state = optimizerState(this.layout.totalFloats);
  }

  dispose(): void {
    this.params = new Float64Array(0);
  }
}
