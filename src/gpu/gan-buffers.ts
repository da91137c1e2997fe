// The persistent buffers of the WebGPU GAN: each network's arenas, state words and optimizer
// tables, and the inputs and metrics every submit writes and reads. Separate from the backend
// and from the recorded iteration because both use them: one fills and reads them per chunk,
// the other records dispatches on them once.
import { arenaLayout } from '../nn/arena.ts';
import type { OptimizerConfig } from '../nn/optimizer.ts';
import { denseLayers, type ModelSpec } from '../nn/spec.ts';
import type { GanConfig } from '../train/gan-config.ts';
import type { GpuBuffers } from './gpu-buffers.ts';
import { METRICS_SLOT_FLOATS } from './kernels/loss.ts';
import type { MatmulKernel } from './kernels/matmul.ts';
import { MODEL_SETTINGS_BYTES, packModelSettings, STEP_FACTOR_FLOATS } from './kernels/optimizer.ts';
import { stateLayout, type StateLayout } from './kernels/state.ts';
import type { DenseStack } from './network.ts';

/** GAN iterations one submit may hold. */
export const MAX_GAN_ITERATIONS = 16;

/** One network of the GAN: its arenas, its state words and its optimizer tables. */
export interface NetBuffers {
  spec: ModelSpec;
  stack: DenseStack;
  m: GPUBuffer;
  v: GPUBuffer;
  state: GPUBuffer;
  layout: StateLayout;
  settings: GPUBuffer;
  steps: GPUBuffer;
  optimizer: OptimizerConfig;
  /** Optimizer steps taken, as the GPU will have counted them once everything submitted ran. */
  t: number[];
}

/** The buffers a submit fills (real image indices, latents) and reads back (D's and G's metrics). */
export type GanIo = Record<'realIndices' | 'zD' | 'zG' | 'dMetrics' | 'gMetrics', GPUBuffer>;

/** Creates in `mem` one network's buffers, its parameters from `params`, with `slots` steps per submit. */
export function createNetBuffers(
  mem: GpuBuffers,
  matmul: MatmulKernel,
  spec: ModelSpec,
  params: Float32Array,
  name: string,
  slots: number,
  optimizer: OptimizerConfig,
): NetBuffers {
  const [S, DST, SRC] = [GPUBufferUsage.STORAGE, GPUBufferUsage.COPY_DST, GPUBufferUsage.COPY_SRC];
  const layout = arenaLayout(spec);
  const p = mem.create(`${name} params`, params.byteLength, S | DST | SRC, params);
  const stack: DenseStack = {
    layers: denseLayers(spec),
    layout,
    params: p,
    grads: mem.create(`${name} grads`, params.byteLength, S),
    matmul,
    models: 1,
  };
  const state = stateLayout(slots);
  return {
    spec,
    stack,
    m: mem.create(`${name} m`, params.byteLength, S),
    v: mem.create(`${name} v`, params.byteLength, S),
    state: mem.create(`${name} state`, state.stateStride * 4, S | DST),
    layout: state,
    settings: mem.create(`${name} optimizer settings`, MODEL_SETTINGS_BYTES, S | DST, new Uint32Array(packModelSettings([optimizer]))),
    steps: mem.create(`${name} optimizer step factors`, slots * STEP_FACTOR_FLOATS * 4, S | DST),
    optimizer,
    t: [0],
  };
}

/** Creates in `mem` the per-submit inputs and metrics of up to MAX_GAN_ITERATIONS iterations of `config`. */
export function createGanIo(mem: GpuBuffers, config: GanConfig): GanIo {
  const [S, DST, SRC] = [GPUBufferUsage.STORAGE, GPUBufferUsage.COPY_DST, GPUBufferUsage.COPY_SRC];
  const { batch: B, latent: L, dSteps } = config;
  const dSlots = MAX_GAN_ITERATIONS * dSteps;
  return {
    realIndices: mem.create('real image indices', dSlots * B * 4, S | DST),
    zD: mem.create('latents of D steps', dSlots * B * L * 4, S | DST),
    zG: mem.create('latents of G steps', MAX_GAN_ITERATIONS * B * L * 4, S | DST),
    dMetrics: mem.create('D metrics', dSlots * METRICS_SLOT_FLOATS * 4, S | SRC),
    gMetrics: mem.create('G metrics', MAX_GAN_ITERATIONS * METRICS_SLOT_FLOATS * 4, S | SRC),
  };
}
