// shaderprop's side of the benchmark: the WebGPU backend and the float64 CPU reference driven
// through their public API (createGpuBackend / CpuBackend, runSteps), exactly as the trainer
// drives them, plus the raw matmul kernel. DOM-free, so the page and Node share it.
import { createGpuBackend, type GpuBackend } from '../src/gpu/backend.ts';
import type { GpuContext } from '../src/gpu/device.ts';
import { encodeDispatches } from '../src/gpu/kernel.ts';
import { MatmulKernel, rowMajorOperand, type MatmulVariant } from '../src/gpu/kernels/matmul.ts';
import { StagingPool } from '../src/gpu/staging.ts';
import type { TensorDataset } from '../src/data/dataset.ts';
import { initParams } from '../src/nn/init.ts';
import type { OptimizerConfig } from '../src/nn/optimizer.ts';
import type { ModelSpec } from '../src/nn/spec.ts';
import { CpuBackend } from '../src/reference/backend.ts';
import { matmul, rowMajor } from '../src/reference/dense.ts';
import type { StepChunk, TrainingBackend } from '../src/train/backend.ts';
import type { Runner } from './measure.ts';
import { batchChunks, BENCH_SEED, STEPS_PER_READBACK, type Workload } from './workloads.ts';

/** Which shaderprop engine runs: the WebGPU kernels or the float64 CPU reference. */
export type ShaderpropEngine = 'webgpu' | 'cpu';

/** One network being trained, with ready-made index chunks. */
interface Net {
  backend: TrainingBackend;
  /** The same backend when it is the WebGPU one (for its bytes and dispatches), else null. */
  gpu: GpuBackend | null;
  batch: number;
  chunks: Uint32Array[];
}

/** Ready-made chunks cycled through, so index generation stays out of the timing. */
const CHUNK_RING = 8;

/** Builds one training backend for `spec` on `data`, initialised from the bench seed. */
async function makeNet(engine: ShaderpropEngine, ctx: GpuContext | null, spec: ModelSpec, data: TensorDataset, batch: number, optimizer: OptimizerConfig, variant?: MatmulVariant): Promise<Net> {
  const setup = { spec, data, batchCapacity: batch, optimizer, classWeights: null, params: initParams(spec, BENCH_SEED) };
  const chunks = batchChunks(data.rows, batch, STEPS_PER_READBACK, CHUNK_RING);
  if (engine === 'cpu') return { backend: new CpuBackend(setup), gpu: null, batch, chunks };
  if (!ctx) throw new Error('shaderprop-webgpu needs a GPU context');
  const gpu = await createGpuBackend(ctx, setup, variant ? { matmul: variant } : {});
  return { backend: gpu, gpu, batch, chunks };
}

/** The first `steps` steps of a ready-made chunk. */
function chunkOf(net: Net, i: number, steps: number): StepChunk {
  const indices = net.chunks[i % net.chunks.length]!;
  return { batchIndices: indices.subarray(0, steps * net.batch), rows: new Uint32Array(steps).fill(net.batch) };
}

/**
 * A runner that trains `nets` side by side: each call submits `units` steps to every net (one
 * submit and one readback per net). For the GAN approximation the nets are D and G∘D.
 */
function trainingRunner(nets: Net[], note: string): Runner {
  let calls = 0;
  return {
    maxChunk: STEPS_PER_READBACK,
    async run(units) {
      const i = calls++;
      await Promise.all(nets.map((net) => net.backend.runSteps(chunkOf(net, i, units))));
    },
    extras() {
      const gpu = nets.flatMap((n) => (n.gpu ? [n.gpu] : []));
      // Each net is one submit and one readback per call of K steps.
      const extras: Record<string, number | string> = { submits_per_call: nets.length, note };
      if (gpu.length) {
        extras.gpu_bytes = gpu.reduce((sum, b) => sum + b.gpuBytes(), 0);
        extras.dispatches_per_step = gpu.reduce((sum, b) => sum + b.stepDispatches.length, 0);
        extras.matmul_variant = gpu[0]!.matmulVariant;
      }
      return extras;
    },
    dispose() {
      for (const n of nets) n.backend.dispose();
    },
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
  const { dispatch, uniform } = kernel.dispatch({
    label: `bench matmul ${n}`, m: n, n, k: n, a: rowMajorOperand(A, n), b: rowMajorOperand(B, n),
    c: { buffer: C, offset: 0 }, epilogue: 'none', activation: 'linear',
  });
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
    extras: () => ({ checksum: sink === sink ? 'ok' : 'nan' }),
    dispose() {},
  };
}

/**
 * Creates shaderprop's runner for a workload. The GAN is approximated (shaderprop has no GAN
 * trainer yet): one D step on 2×batch rows plus one step of the stacked G∘D net on batch rows.
 */
export async function shaderpropRunner(workload: Workload, engine: ShaderpropEngine, ctx: GpuContext | null, variant?: MatmulVariant): Promise<Runner> {
  if (workload.kind === 'matmul') {
    if (engine === 'cpu') return cpuMatmulRunner(workload.n, workload.a, workload.b);
    if (!ctx) throw new Error('shaderprop-webgpu needs a GPU context');
    return gpuMatmulRunner(ctx, workload.n, workload.a, workload.b, variant ?? (ctx.software ? 'blocked' : 'tiled'));
  }
  if (workload.kind === 'mlp') {
    const net = await makeNet(engine, ctx, workload.spec, workload.data, workload.batch, workload.optimizer, variant);
    return trainingRunner([net], 'one training step');
  }
  const { d, stacked, batch, optimizer } = workload;
  const nets = [
    await makeNet(engine, ctx, d.spec, d.data, 2 * batch, optimizer, variant),
    await makeNet(engine, ctx, stacked.spec, stacked.data, batch, optimizer, variant),
  ];
  return trainingRunner(nets, `approximation: D step on ${2 * batch} rows + G∘D step on ${batch} rows`);
}
