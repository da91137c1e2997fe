// Batched workloads on shaderprop (iris-sweep-64, mnist-mlp-x8): N models of one network in the
// same dispatches, each with its own learning rate and initial weights; one unit = one step of
// every model, in one submit with one readback, as the batched trainer runs a sweep.
import { createGpuBatchBackend, GpuBatchBackend } from '../src/gpu/gpu-backend.ts';
import type { GpuContext } from '../src/gpu/device.ts';
import { GpuUnavailableError } from '../src/gpu/errors.ts';
import type { MatmulVariant } from '../src/gpu/kernels/matmul.ts';
import { initParams } from '../src/nn/init.ts';
import { ReferenceBackend } from '../src/reference/reference-backend.ts';
import type { BatchBackend, BatchSetup } from '../src/train/training-backend.ts';
import { chooseBackend, cpuBackend } from '../src/train/backend-choice.ts';
import { autoCpuWorkers } from '../src/cpu/cpu-pool.ts';
import { PooledCpuBackend } from '../src/cpu/pooled-backend.ts';
import type { Runner } from './measure.ts';
import type { ShaderpropEngine } from './shaderprop-runners.ts';
import { batchChunks, BENCH_SEED, STEPS_PER_READBACK, type MlpWorkload } from './workloads.ts';

/** Ready-made index chunks cycled through (model z starts z chunks further on). */
const CHUNK_RING = 8;

/** The batch of a workload: model z with learning rate learningRates[z] and seed BENCH_SEED + z. */
function batchSetup(w: MlpWorkload): BatchSetup {
  return {
    spec: w.spec,
    data: w.data,
    batchCapacity: w.batch,
    models: w.learningRates.map((lr, z) => ({
      optimizer: { ...w.optimizer, learningRate: lr },
      classWeights: null,
      params: initParams(w.spec, BENCH_SEED + z),
      seeds: { dropout: 0, augment: 0 },
    })),
  };
}

async function makeBackend(
  engine: ShaderpropEngine,
  ctx: GpuContext | null,
  setup: BatchSetup,
  variant?: MatmulVariant,
): Promise<{ backend: BatchBackend; facts: Record<string, string | number> }> {
  if (engine === 'reference') return { backend: new ReferenceBackend(setup), facts: {} };
  if (engine === 'cpu') return { backend: await cpuBackend(setup), facts: {} };
  if (engine === 'cpu-pool') {
    const backend = await cpuBackend(setup, autoCpuWorkers());
    return { backend, facts: { workers: backend instanceof PooledCpuBackend ? backend.workers : 1 } };
  }
  if (engine === 'auto') {
    const noGpu = () => Promise.reject(new GpuUnavailableError('no-adapter', 'no WebGPU adapter in this run'));
    const chosen = await chooseBackend(setup, 'auto', ctx ? () => Promise.resolve(ctx) : noGpu);
    const t = chosen.trial;
    return { backend: chosen.backend, facts: t ? { auto_choice: t.choice, auto_trial: t.summary } : { auto_choice: `cpu (${chosen.fallbackReason})` } };
  }
  if (!ctx) throw new Error('shaderprop-webgpu needs a GPU context');
  return { backend: await createGpuBatchBackend(ctx, setup, variant ? { matmul: variant } : {}), facts: {} };
}

/**
 * shaderprop's runner of a batched workload on `engine`. The CPU pool's has the one-worker CPU
 * backend as its baseline: their repetitions alternate, so the speed-up is taken under one load.
 */
export async function batchRunner(w: MlpWorkload, engine: ShaderpropEngine, ctx: GpuContext | null, variant?: MatmulVariant): Promise<Runner> {
  const runner = await plainBatchRunner(w, engine, ctx, variant);
  return engine === 'cpu-pool' ? { ...runner, baseline: () => plainBatchRunner(w, 'cpu', ctx) } : runner;
}

async function plainBatchRunner(w: MlpWorkload, engine: ShaderpropEngine, ctx: GpuContext | null, variant?: MatmulVariant): Promise<Runner> {
  const { backend, facts } = await makeBackend(engine, ctx, batchSetup(w), variant);
  const N = w.models;
  const chunks = batchChunks(w.data.rows, w.batch, STEPS_PER_READBACK, CHUNK_RING);
  let calls = 0;
  let lastLoss = NaN;
  return {
    maxChunk: STEPS_PER_READBACK,
    async run(units) {
      const call = calls++;
      const batchIndices = new Uint32Array(N * units * w.batch);
      for (let z = 0; z < N; z++) batchIndices.set(chunks[(call + z) % CHUNK_RING]!.subarray(0, units * w.batch), z * units * w.batch);
      const metrics = await backend.runSteps({ steps: units, batchIndices, rows: new Uint32Array(N * units).fill(w.batch) });
      lastLoss = metrics[0]![units - 1]!.loss;
    },
    extras() {
      const extras: Record<string, number | string> = { last_loss: lastLoss, label: backend.label, models: N, ...facts };
      if (backend instanceof GpuBatchBackend) {
        extras.gpu_bytes = backend.gpuBytes();
        extras.dispatches_per_step = backend.stepDispatches.length;
        extras.matmul_variant = backend.matmulVariant;
      }
      return extras;
    },
    dispose: () => backend.dispose(),
  };
}
