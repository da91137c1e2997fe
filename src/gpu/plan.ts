import { arenaLayout } from '../nn/arena.ts';
import { denseLayers, type ModelSpec } from '../nn/spec.ts';
import { GpuLimitError } from './errors.ts';

/** Training steps one submit may hold (slots of the index, state and metrics buffers). */
export const MAX_STEPS_PER_SUBMIT = 32;

/** A buffer the engine will allocate, by name and size in bytes. */
export interface PlannedBuffer {
  name: string;
  bytes: number;
}

/** The device limits the plan is checked against. */
export interface PlanLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
}

/**
 * Sizes of the persistent buffers a model needs for `rows` dataset rows and a batch of
 * `capacity`, computed before anything is allocated.
 */
export function planBuffers(spec: ModelSpec, rows: number, targetWidth: number, capacity: number): PlannedBuffer[] {
  const layout = arenaLayout(spec);
  const layers = denseLayers(spec);
  const widest = Math.max(spec.inputSize, ...layers.map((l) => l.units));
  const plan: PlannedBuffer[] = [
    { name: 'dataset features', bytes: rows * spec.inputSize * 4 },
    { name: 'dataset targets', bytes: rows * targetWidth * 4 },
    { name: 'parameter arena', bytes: layout.totalFloats * 4 },
    { name: 'batch indices', bytes: MAX_STEPS_PER_SUBMIT * capacity * 4 },
    { name: 'activations of layer input', bytes: capacity * spec.inputSize * 4 },
    { name: 'layer gradients', bytes: capacity * widest * 4 },
  ];
  // Evaluation activations are at least 512 rows wide (EVAL_CAPACITY in backend.ts).
  const evalCapacity = Math.max(capacity, 512);
  layers.forEach((l, i) => plan.push({ name: `activations of layer ${i}`, bytes: evalCapacity * l.units * 4 }));
  return plan;
}

/**
 * Throws a GpuLimitError for the first planned buffer that exceeds the device's storage binding
 * or buffer size limits, naming the buffer, the limit and both sizes.
 */
export function checkPlan(plan: PlannedBuffer[], limits: PlanLimits): void {
  for (const b of plan) {
    if (b.bytes > limits.maxStorageBufferBindingSize) {
      throw new GpuLimitError('maxStorageBufferBindingSize', `The ${b.name} buffer`, b.bytes, limits.maxStorageBufferBindingSize);
    }
    if (b.bytes > limits.maxBufferSize) {
      throw new GpuLimitError('maxBufferSize', `The ${b.name} buffer`, b.bytes, limits.maxBufferSize);
    }
  }
}
