import { arenaLayout } from '../nn/arena.ts';
import { denseLayers, type ModelSpec } from '../nn/spec.ts';
import { GpuLimitError } from './errors.ts';

/** Training steps one submit may hold (slots of the index, state and metrics buffers). */
export const MAX_STEPS_PER_SUBMIT = 32;

/** Rows per evaluation chunk (at least the batch capacity). */
export const EVAL_CAPACITY = 512;

/** A buffer the engine will allocate: its name, bytes shared by all models and bytes per model. */
export interface PlannedBuffer {
  name: string;
  /** Bytes that do not grow with the number of models (e.g. a dataset all models share). */
  shared: number;
  /** Bytes each model adds. */
  perModel: number;
}

/** The device limits the plan is checked against. */
export interface PlanLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
}

/** What a batch needs besides its network: dataset size and batch capacity. */
export interface BatchShape {
  rows: number;
  targetWidth: number;
  capacity: number;
  models: number;
  /** Each model carries its own standardized copy of the features. */
  ownFeatures?: boolean;
  /** The models carry per-row loss weights: a table of `rows` floats per model. */
  rowWeights?: boolean;
}

/**
 * Sizes of the persistent buffers a batch of models needs, computed before anything is
 * allocated; each is later bound whole, so each must fit the device's binding limit.
 */
export function planBuffers(spec: ModelSpec, shape: BatchShape): PlannedBuffer[] {
  const layout = arenaLayout(spec);
  const layers = denseLayers(spec);
  const { rows, capacity } = shape;
  const widest = Math.max(spec.inputSize, ...layers.map((l) => l.units));
  const features = rows * spec.inputSize * 4;
  const plan: PlannedBuffer[] = [
    { name: 'dataset features', shared: shape.ownFeatures ? 0 : features, perModel: shape.ownFeatures ? features : 0 },
    { name: 'dataset targets', shared: rows * shape.targetWidth * 4, perModel: 0 },
    { name: 'parameter arena', shared: 0, perModel: layout.totalFloats * 4 },
    { name: 'batch indices', shared: 0, perModel: MAX_STEPS_PER_SUBMIT * capacity * 4 },
    // The class weights are a few floats; the row weights, when there are any, one per dataset row.
    { name: 'class and row weights', shared: 0, perModel: (spec.outputSize + 1 + (shape.rowWeights ? rows : 0)) * 4 },
    { name: 'activations of layer input', shared: 0, perModel: capacity * spec.inputSize * 4 },
    { name: 'layer gradients', shared: 0, perModel: capacity * widest * 4 },
  ];
  const evalCapacity = Math.max(capacity, EVAL_CAPACITY);
  layers.forEach((l, i) => plan.push({ name: `activations of layer ${i}`, shared: 0, perModel: evalCapacity * l.units * 4 }));
  return plan;
}

/**
 * Throws a GpuLimitError for the first planned buffer that exceeds the device's storage binding
 * or buffer size limits with `models` models, naming the buffer, the limit, both sizes and how
 * many models of this network would fit.
 */
export function checkPlan(plan: PlannedBuffer[], limits: PlanLimits, models = 1): void {
  const fit = modelsThatFit(plan, limits);
  for (const b of plan) {
    const bytes = b.shared + b.perModel * models;
    for (const limit of ['maxStorageBufferBindingSize', 'maxBufferSize'] as const) {
      if (bytes <= limits[limit]) continue;
      const what = models > 1 ? `The ${b.name} buffer of ${models} models` : `The ${b.name} buffer`;
      const error = new GpuLimitError(limit, what, bytes, limits[limit]);
      if (models > 1) error.message += fit > 0 ? `; at most ${fit} models of this network fit` : '; not even one model of this network fits';
      throw error;
    }
  }
}

/** The largest number of models whose every planned buffer fits both limits (0 if none). */
export function modelsThatFit(plan: PlannedBuffer[], limits: PlanLimits): number {
  const cap = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  let fit = Number.MAX_SAFE_INTEGER;
  for (const b of plan) {
    if (b.shared > cap) return 0;
    if (b.perModel > 0) fit = Math.min(fit, Math.floor((cap - b.shared) / b.perModel));
  }
  return fit;
}
