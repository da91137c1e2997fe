// What a session shows besides training and evaluation: the training-health readings and the
// weights a person types. Kept apart from Session, which builds and runs the model.
import { ConfigError } from '../config/errors.ts';
import type { LoadedData } from '../data/load.ts';
import { arenaLayout, layerTensors } from '../nn/arena.ts';
import { denseLayers, type ModelSpec } from '../nn/spec.ts';
import { gatherRows } from '../reference/loss.ts';
import { healthReport, type HealthReport } from './health.ts';
import type { BatchBackend } from './training-backend.ts';

/** The largest weight a person may type (far beyond any trained weight, and safely float32). */
export const MAX_TYPED_WEIGHT = 1e6;

/** Training rows the health panel's activations and gradients come from. */
export const HEALTH_ROWS = 64;

/**
 * Sets the weight from input `from` to unit `to` of dense layer `layer` (layer 0 takes the
 * inputs) of model 0 of `backend`, at once, even while training: the optimizer's moments stay.
 * Refuses an edge that does not exist, or a value that is not a number or is beyond
 * ±MAX_TYPED_WEIGHT, saying why; the weight is then unchanged.
 */
export async function writeTypedWeight(spec: ModelSpec, backend: BatchBackend, layer: number, from: number, to: number, value: number): Promise<void> {
  const l = denseLayers(spec)[layer];
  if (!l || !Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to < 0 || from >= l.inputs || to >= l.units)
    throw new ConfigError('weight', `there is no weight from input ${from + 1} to unit ${to + 1} of layer ${layer + 1}`);
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > MAX_TYPED_WEIGHT)
    throw new ConfigError('weight', `a weight must be a number from -${MAX_TYPED_WEIGHT} to ${MAX_TYPED_WEIGHT}, got ${String(value)}`);
  const { weight } = layerTensors(arenaLayout(spec), layer);
  await backend.writeParam(0, weight.offset + from * l.units + to, value);
}

/**
 * A session's training-health readings (see health.ts) on its first HEALTH_ROWS training rows.
 * The update ratio compares with the previous reading at another step; a reading with no step
 * since (a refresh after the run stopped) compares with the one before, so the ratio shown stays
 * the last one measured instead of going blank.
 */
export class HealthReader {
  private last: { params: Float32Array; step: number } | null = null;
  private before: { params: Float32Array; step: number } | null = null;

  read(spec: ModelSpec, params: Float32Array, step: number, data: LoadedData, classWeights: ArrayLike<number> | null): HealthReport {
    const { dataset } = data;
    const indices = data.splits.train.subarray(0, HEALTH_ROWS);
    const sample = {
      x: gatherRows(dataset.features, dataset.inputSize, indices),
      targets: gatherRows(dataset.targets, dataset.targetWidth, indices),
      rows: indices.length,
      classWeights,
    };
    if (this.last && this.last.step !== step) [this.before, this.last] = [this.last, { params, step }];
    else if (!this.last) this.last = { params, step };
    const before = this.before;
    return healthReport(spec, params, sample, before ? { params: before.params, steps: step - before.step } : null, step);
  }
}
