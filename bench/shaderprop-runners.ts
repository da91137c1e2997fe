// shaderprop's side of the benchmark: the WebGPU backends, the fast CPU backend (the CPU fallback),
// what Auto chooses between them, and the float64 CPU reference, driven through their public API
// (runSteps for classifiers, runIterations for the GAN) the way the trainers drive them, plus the
// raw matmul kernels. DOM-free, so the page and Node share it.
import type { TensorDataset } from '../src/data/dataset.ts';
import { cpuGanBackend } from '../src/cpu/fast-cpu-gan-backend.ts';
import { instantiateKernels, WasmHeap } from '../src/cpu/kernels.ts';
import { createGpuBackend, GpuBatchBackend, type GpuModel } from '../src/gpu/gpu-backend.ts';
import { chooseMatmulVariant } from '../src/gpu/autotune.ts';
import type { GpuContext } from '../src/gpu/device.ts';
import { createGpuGanBackend, GpuGanBackend } from '../src/gpu/gpu-gan-backend.ts';
import { encodeDispatches } from '../src/gpu/kernel.ts';
import { MatmulKernel, rowMajor as rowMajorView, type MatmulVariant } from '../src/gpu/kernels/matmul.ts';
import { StagingPool } from '../src/gpu/staging.ts';
import { initParams } from '../src/nn/init.ts';
import type { OptimizerConfig } from '../src/nn/optimizer.ts';
import type { ModelSpec } from '../src/nn/spec.ts';
import { CpuBackend } from '../src/reference/reference-model-backend.ts';
import { CpuGanBackend } from '../src/reference/reference-gan-backend.ts';
import { matmul, rowMajor } from '../src/reference/dense.ts';
import { GpuUnavailableError } from '../src/gpu/errors.ts';
import { batchOfOne, type StepChunk, type TrainingBackend } from '../src/train/training-backend.ts';
import { chooseBackend, cpuBackend } from '../src/train/backend-choice.ts';
import { chooseGanBackend } from '../src/train/gan-choice.ts';
import { ModelView } from '../src/train/model-view.ts';
import type { GanBackend } from '../src/train/gan-backend.ts';
import { batchRunner } from './batch-runners.ts';
import type { Runner } from './measure.ts';
import { gan2dRunner } from './gan2d-runner.ts';
import { batchChunks, BENCH_SEED, ganChunks, STEPS_PER_READBACK, type GanWorkload, type Workload } from './workloads.ts';

/**
 * Which shaderprop engine runs: the WebGPU kernels, the CPU fallback (the fast float32 WebAssembly
 * SIMD backend), the same spread over the pool of CPU workers (batched workloads only), what Auto
 * chooses for the model on this device, or the float64 CPU reference.
 */
export type ShaderpropEngine = 'webgpu' | 'cpu' | 'cpu-pool' | 'auto' | 'reference';

/** One network being trained, with ready-made index chunks. */
interface Net {
  backend: TrainingBackend;
  /** The same backend when it is the WebGPU one (for its bytes and dispatches), else null. */
  gpu: GpuModel | null;
  batch: number;
  chunks: Uint32Array[];
  /** Facts of how the backend was chosen (Auto's trial), for the report. */
  facts: Record<string, number | string>;
}

/** Ready-made chunks cycled through, so index generation stays out of the timing. */
const CHUNK_RING = 8;

/** Builds one training backend for `spec` on `data`, initialised from the bench seed. */
async function makeNet(
  engine: ShaderpropEngine,
  ctx: GpuContext | null,
  spec: ModelSpec,
  data: TensorDataset,
  batch: number,
  optimizer: OptimizerConfig,
  variant?: MatmulVariant,
): Promise<Net> {
  const setup = { spec, data, batchCapacity: batch, optimizer, classWeights: null, params: initParams(spec, BENCH_SEED) };
  const chunks = batchChunks(data.rows, batch, STEPS_PER_READBACK, CHUNK_RING);
  if (engine === 'reference') return { backend: new CpuBackend(setup), gpu: null, batch, chunks, facts: {} };
  if (engine === 'cpu') return { backend: new ModelView(await cpuBackend(batchOfOne(setup))), gpu: null, batch, chunks, facts: {} };
  if (engine === 'auto') {
    // The session's own choice: the timed trial of both backends on this device (its time counts in the first step).
    const noGpu = () => Promise.reject(new GpuUnavailableError('no-adapter', 'no WebGPU adapter in this run'));
    const chosen = await chooseBackend(batchOfOne(setup), 'auto', ctx ? () => Promise.resolve(ctx) : noGpu);
    const backend = new ModelView(chosen.backend);
    const gpu = chosen.backend instanceof GpuBatchBackend ? (backend as GpuModel) : null;
    const t = chosen.trial;
    const facts: Record<string, number | string> = t
      ? { auto_choice: t.choice, auto_trial: t.summary, auto_trial_webgpu_ms: t.ms.webgpu, auto_trial_cpu_ms: t.ms.cpu }
      : { auto_choice: `cpu (${chosen.fallbackReason})` };
    return { backend, gpu, batch, chunks, facts };
  }
  if (!ctx) throw new Error('shaderprop-webgpu needs a GPU context');
  const gpu = await createGpuBackend(ctx, setup, variant ? { matmul: variant } : {});
  return { backend: gpu, gpu, batch, chunks, facts: {} };
}

/** The first `steps` steps of a ready-made chunk. */
function chunkOf(net: Net, i: number, steps: number): StepChunk {
  const indices = net.chunks[i % net.chunks.length]!;
  return { batchIndices: indices.subarray(0, steps * net.batch), rows: new Uint32Array(steps).fill(net.batch) };
}

/** A runner that submits `units` training steps to one network per call (one submit, one readback). */
function trainingRunner(net: Net): Runner {
  let calls = 0;
  let lastLoss = NaN;
  return {
    maxChunk: STEPS_PER_READBACK,
    async run(units) {
      const metrics = await net.backend.runSteps(chunkOf(net, calls++, units));
      lastLoss = metrics[metrics.length - 1]!.loss;
    },
    extras() {
      // The loss shows that the model really trained (finite, and like tfjs's for the same data).
      const extras: Record<string, number | string> = { last_loss: lastLoss, label: net.backend.label, ...net.facts };
      if (net.gpu) {
        extras.gpu_bytes = net.gpu.batch.gpuBytes();
        extras.dispatches_per_step = net.gpu.batch.stepDispatches.length;
        extras.matmul_variant = net.gpu.batch.matmulVariant;
      }
      return extras;
    },
    dispose: () => net.backend.dispose(),
  };
}

/**
 * The engine's own GAN backend (WebGPU, fast CPU or float64 reference): each call runs `units`
 * iterations of one D step and one G step in one submit with one readback, like the GAN trainer.
 * Auto is the GAN lab's choice: a timed trial of both backends (src/train/gan-choice.ts).
 */
async function ganRunner(w: GanWorkload, engine: ShaderpropEngine, ctx: GpuContext | null): Promise<Runner> {
  const setup = { config: w.config, images: w.images, params: w.params };
  let backend: GanBackend;
  let facts: Record<string, string | number> = {};
  if (engine === 'reference') backend = new CpuGanBackend(setup);
  else if (engine === 'cpu' || (engine === 'auto' && !ctx)) backend = await cpuGanBackend(setup);
  else if (engine === 'auto' && ctx) {
    const chosen = await chooseGanBackend(setup, 'auto', () => Promise.resolve(ctx));
    backend = chosen.backend;
    const t = chosen.trial!;
    facts = { auto_choice: t.choice, auto_trial: t.summary, auto_trial_webgpu_ms: t.ms.webgpu, auto_trial_cpu_ms: t.ms.cpu };
  } else if (ctx) backend = await createGpuGanBackend(ctx, setup);
  else throw new Error('shaderprop-webgpu needs a GPU context');
  const ring = ganChunks(w, STEPS_PER_READBACK, 4);
  const { batch, latent } = w.config;
  let calls = 0;
  let lastLoss = NaN;
  return {
    maxChunk: STEPS_PER_READBACK,
    async run(units) {
      const c = ring[calls++ % ring.length]!;
      const metrics = await backend.runIterations({
        iterations: units,
        realIndices: c.realIndices.subarray(0, units * batch),
        zD: c.zD.subarray(0, units * batch * latent),
        zG: c.zG.subarray(0, units * batch * latent),
      });
      const last = metrics[metrics.length - 1]!;
      lastLoss = last.dLoss + last.gLoss;
    },
    extras() {
      const extras: Record<string, number | string> = { last_loss: lastLoss, label: backend.label, ...facts };
      if (backend instanceof GpuGanBackend) {
        extras.gpu_bytes = backend.gpuBytes();
        extras.dispatches_per_step = backend.iterationDispatches.dStep.length + backend.iterationDispatches.gStep.length;
      }
      return extras;
    },
    dispose: () => backend.dispose(),
  };
}

/** Raw C = A·B on the WebGPU matmul kernel; one submit and a 16-byte readback per call. */
function gpuMatmulRunner(ctx: GpuContext, n: number, a: Float32Array, b: Float32Array, variant: MatmulVariant): Runner {
  const { device } = ctx;
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
  const make = (label: string, data?: Float32Array) => {
    const buffer = device.createBuffer({ label, size: n * n * 4, usage });
    if (data) device.queue.writeBuffer(buffer, 0, data);
    return buffer;
  };
  const [A, B, C] = [make('bench A', a), make('bench B', b), make('bench C')];
  const kernel = new MatmulKernel(device, variant);
  const shape = {
    m: n,
    n,
    k: n,
    models: 1,
    a: rowMajorView(n),
    b: rowMajorView(n),
    c: { offset: 0, modelStride: 0 },
    epilogue: 'none' as const,
    activation: 'linear' as const,
  };
  const { dispatch, uniform } = kernel.dispatch(`bench matmul ${n}`, shape, { a: A, b: B, e: A, c: C });
  const staging = new StagingPool(device);
  return {
    maxChunk: 256,
    async run(units) {
      const encoder = device.createCommandEncoder({ label: `bench ${units} matmuls` });
      const pass = encoder.beginComputePass();
      encodeDispatches(pass, Array(units).fill(dispatch));
      pass.end();
      await staging.read([{ buffer: C, size: 16 }], encoder);
      if (ctx.failure) throw ctx.failure;
    },
    extras: () => ({ gpu_bytes: A.size + B.size + C.size + uniform.size, dispatches_per_step: 1, matmul_variant: variant }),
    dispose() {
      for (const buffer of [A, B, C, uniform]) buffer.destroy();
      staging.destroy();
    },
  };
}

/** Raw C = A·B with the reference's float64 loops (what the CPU fallback computes with). */
function cpuMatmulRunner(n: number, a: Float32Array, b: Float32Array): Runner {
  const [A, B] = [rowMajor(Float64Array.from(a), n), rowMajor(Float64Array.from(b), n)];
  let sink = 0;
  return {
    maxChunk: 256,
    async run(units) {
      // Reading one element keeps the product from being optimised away.
      for (let u = 0; u < units; u++) sink += matmul(A, B, n, n, n)[0]!;
    },
    extras: () => ({ checksum: sink }),
    dispose() {},
  };
}

/** Raw C = A·B with the fast CPU backend's WebAssembly SIMD gemm (src/cpu/, assembly/matmul.ts). */
async function wasmMatmulRunner(n: number, a: Float32Array, b: Float32Array): Promise<Runner> {
  const heap = new WasmHeap(await instantiateKernels());
  const [A, B, C] = [heap.alloc(n * n), heap.alloc(n * n), heap.alloc(n * n)];
  const work = heap.alloc(heap.k.gemmWorkFloats(n));
  heap.f32(A, n * n).set(a);
  heap.f32(B, n * n).set(b);
  let sink = 0;
  return {
    maxChunk: 256,
    async run(units) {
      for (let u = 0; u < units; u++) heap.k.gemm(n, n, n, A, n, 1, B, n, 1, C, n, 0, work);
      sink += heap.f32(C, 1)[0]!;
    },
    extras: () => ({ checksum: sink, wasm_bytes: heap.bytes }),
    dispose() {},
  };
}

/**
 * Creates shaderprop's runner for a workload; `variant` forces the matmul of WebGPU models. Auto's
 * runner has the backend it chose as its baseline (see `pairedWithChoice`).
 */
export async function shaderpropRunner(workload: Workload, engine: ShaderpropEngine, ctx: GpuContext | null, variant?: MatmulVariant): Promise<Runner> {
  const runner = await engineRunner(workload, engine, ctx, variant);
  return engine === 'auto' ? pairedWithChoice(runner, workload, ctx) : runner;
}

/**
 * Auto's runner with the backend it chose, built directly as that backend's own cell builds it,
 * as its baseline: measure() alternates their repetitions, so "is Auto's step as fast as the
 * backend it picked" is answered under the same load. Measured one after the other, the two
 * cells differed by 0.63× to 1.42× between runs on the shared 2-core machine, with the same
 * backend, the same on-CPU time per step and an idle GPU process: only the wait for a core moved.
 */
function pairedWithChoice(runner: Runner, workload: Workload, ctx: GpuContext | null): Runner {
  const choice = runner.extras().auto_choice;
  if (choice !== 'cpu' && choice !== 'webgpu') return runner;
  return { ...runner, baseline: () => engineRunner(workload, choice, ctx) };
}

async function engineRunner(workload: Workload, engine: ShaderpropEngine, ctx: GpuContext | null, variant?: MatmulVariant): Promise<Runner> {
  if (workload.kind === 'gan') return ganRunner(workload, engine, ctx);
  if (workload.kind === 'gan2d') return gan2dRunner(workload, engine, ctx);
  if (workload.kind === 'mlp' && workload.models > 1) return batchRunner(workload, engine, ctx, variant);
  if (engine === 'cpu-pool') throw new Error('the CPU pool spreads several models; this workload has one');
  if (workload.kind === 'mlp') return trainingRunner(await makeNet(engine, ctx, workload.spec, workload.data, workload.batch, workload.optimizer, variant));
  if (workload.kind === 'views') throw new Error('inside-spiral is measured by measureViews (bench/views-runner.ts), not as a runner');
  if (engine === 'auto') throw new Error('Auto chooses a backend per model; a raw matmul has none');
  if (engine === 'reference') return cpuMatmulRunner(workload.n, workload.a, workload.b);
  if (engine === 'cpu') return wasmMatmulRunner(workload.n, workload.a, workload.b);
  if (!ctx) throw new Error('shaderprop-webgpu needs a GPU context');
  return gpuMatmulRunner(ctx, workload.n, workload.a, workload.b, variant ?? (await chooseMatmulVariant(ctx)).variant);
}
