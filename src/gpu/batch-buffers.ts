// The persistent buffers of a WebGPU batch (dataset, arenas, optimizer tables, per-submit state
// and metrics), planned from the setup alone. Separate from the backend because it is all
// allocation and packing, done once before any step is recorded.
import type { OptimizerConfig } from '../nn/optimizer.ts';
import { checkRowWeights, type BatchSetup } from '../train/training-backend.ts';
import type { GpuBuffers } from './gpu-buffers.ts';
import { METRICS_SLOT_FLOATS } from './kernels/loss.ts';
import { MODEL_SETTINGS_BYTES, packModelSettings, STEP_FACTOR_FLOATS } from './kernels/optimizer.ts';
import type { StateLayout } from './kernels/state.ts';
import { ownFeatures, rowWeightLayout, weightClasses, type StepBuffers } from './training-step.ts';

/**
 * Creates in `mem` the buffers the training step of every model of `setup` reads and writes,
 * filled with the dataset (each model's own features where it has them), the initial
 * parameters, the class and row weights and the optimizer settings `cfgs`.
 */
export function createStepBuffers(setup: BatchSetup, mem: GpuBuffers, state: StateLayout, cfgs: readonly OptimizerConfig[]): StepBuffers {
  checkRowWeights(setup);
  const N = setup.models.length;
  const arenaFloats = setup.models[0]!.params.length;
  const [S, DST, SRC] = [GPUBufferUsage.STORAGE, GPUBufferUsage.COPY_DST, GPUBufferUsage.COPY_SRC];
  const arena = N * arenaFloats * 4;
  const classes = weightClasses(setup.spec);
  const rows = rowWeightLayout(setup);
  const weights = new Float32Array(N * classes + (rows ? N * rows.stride : 0)).fill(1);
  setup.models.forEach((m, z) => m.classWeights && weights.set(m.classWeights, z * classes));
  if (rows) setup.models.forEach((m, z) => m.rowWeights && weights.set(m.rowWeights, rows.offset + z * rows.stride));
  const params = new Float32Array(N * arenaFloats);
  setup.models.forEach((m, z) => params.set(m.params, z * arenaFloats));
  const features = ownFeatures(setup) ? concat(setup.models.map((m) => m.features ?? setup.data.features)) : setup.data.features;
  return {
    features: mem.create('dataset features', features.byteLength, S | DST, features),
    targets: mem.create('dataset targets', setup.data.targets.byteLength, S | DST, setup.data.targets),
    params: mem.create('params arena', arena, S | DST | SRC, params),
    grads: mem.create('grads arena', arena, S | DST | SRC),
    // Read back when a run moves to another backend with its optimizer state (readState).
    m: mem.create('m arena', arena, S | DST | SRC),
    v: mem.create('v arena', arena, S | DST | SRC),
    indices: mem.create('batch indices', N * state.slots * setup.batchCapacity * 4, S | DST),
    state: mem.create('step state', N * state.stateStride * 4, S | DST | SRC),
    metrics: mem.create('step metrics', N * state.slots * METRICS_SLOT_FLOATS * 4, S | SRC),
    weights: mem.create('class and row weights', weights.byteLength, S | DST, weights),
    settings: mem.create('optimizer settings', N * MODEL_SETTINGS_BYTES, S | DST, new Uint32Array(packModelSettings(cfgs))),
    steps: mem.create('optimizer step factors', N * state.slots * STEP_FACTOR_FLOATS * 4, S | DST),
  };
}

function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
