import type { OptimizerConfig } from '../nn/optimizer.ts';
import type { BatchBackend, EvalResult, StepChunk, StepMetric, TrainingBackend } from './training-backend.ts';

/**
 * A batch of one model seen as a single model: what the single-model trainer, the shader
 * explorer and most tests drive. `batch` is the engine-specific backend behind it.
 */
export class ModelView<B extends BatchBackend = BatchBackend> implements TrainingBackend {
  constructor(readonly batch: B) {
    if (batch.models !== 1) throw new Error(`a model view needs a batch of one model, got ${batch.models}`);
  }

  get kind(): 'webgpu' | 'cpu' {
    return this.batch.kind;
  }

  get label(): string {
    return this.batch.label;
  }

  async runSteps(chunk: StepChunk): Promise<StepMetric[]> {
    const [metrics] = await this.batch.runSteps({ steps: chunk.rows.length, batchIndices: chunk.batchIndices, rows: chunk.rows });
    return metrics!;
  }

  async evaluate(indices: Uint32Array): Promise<EvalResult> {
    const [result] = await this.batch.evaluate([indices]);
    return result!;
  }

  async predict(features: Float32Array, rows: number): Promise<Float32Array> {
    const [outputs] = await this.batch.predict(features, rows);
    return outputs!;
  }

  /** The model's validation rows, scored inside training submits (see BatchBackend.setValidation). */
  setValidation(rows: Uint32Array): Promise<void> {
    return this.batch.setValidation([rows]);
  }

  setOptimizer(cfg: OptimizerConfig): void {
    this.batch.setOptimizer(0, cfg);
  }

  readParams(): Promise<Float32Array> {
    return this.batch.readParams(0);
  }

  writeParams(params: Float32Array): Promise<void> {
    return this.batch.writeParams(0, params);
  }

  dispose(): void {
    this.batch.dispose();
  }
}
