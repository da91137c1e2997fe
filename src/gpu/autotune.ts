import type { GpuContext } from './device.ts';
import { encodeDispatches } from './kernel.ts';
import { MatmulKernel, rowMajor, type MatmulVariant } from './kernels/matmul.ts';

/** The product the start-up trial times: a hidden layer of an MNIST net (batch 128, 256 in, 128 out). */
export const TRIAL_SHAPE = { m: 128, n: 128, k: 256 } as const;
/**
 * A timed submit holds enough products to take this long, so launch overhead on a fast GPU does
 * not decide, while a software adapter (where one product takes milliseconds) runs just one.
 */
const MIN_SUBMIT_MS = 2;
const MAX_PRODUCTS_PER_SUBMIT = 64;
/** Timed submits per variant after one warm-up; the fastest counts. */
const TIMED_SUBMITS = 3;
/**
 * How much faster the other variant must be to replace the adapter's default: near-ties keep the
 * default, so reopening a link on the same machine picks the same kernels and replays the same
 * curve bit for bit.
 */
export const SWITCH_MARGIN = 0.15;

/** What the trial measured and chose. */
export interface MatmulTrial {
  variant: MatmulVariant;
  /** Milliseconds per TRIAL_SHAPE product, per variant (NaN for a variant that failed). */
  ms: Record<MatmulVariant, number>;
  /** The variant a software adapter (blocked) or a real GPU (tiled) starts from. */
  defaultVariant: MatmulVariant;
}

const trials = new WeakMap<GPUDevice, Promise<MatmulTrial>>();

/**
 * The matmul variant for this device, from a short timed trial of both on TRIAL_SHAPE (about
 * 0.1 s on SwiftShader, a few milliseconds on a GPU), run once per device and kept in memory. Register-blocked tends to win on
 * software adapters such as SwiftShader and workgroup-tiled on discrete GPUs, but the adapter
 * decides: the default is replaced only when the other variant is SWITCH_MARGIN faster.
 */
export function chooseMatmulVariant(ctx: GpuContext): Promise<MatmulTrial> {
  let trial = trials.get(ctx.device);
  if (!trial) {
    trial = runTrial(ctx.device, ctx.software ? 'blocked' : 'tiled');
    trials.set(ctx.device, trial);
    trial.catch(() => trials.delete(ctx.device));
  }
  return trial;
}

/** Picks between measured times: the default unless the other is SWITCH_MARGIN faster. */
export function pickVariant(ms: Record<MatmulVariant, number>, defaultVariant: MatmulVariant): MatmulVariant {
  const other: MatmulVariant = defaultVariant === 'blocked' ? 'tiled' : 'blocked';
  const d = ms[defaultVariant];
  const o = ms[other];
  if (!Number.isFinite(o)) return defaultVariant;
  if (!Number.isFinite(d)) return other;
  return o < d * (1 - SWITCH_MARGIN) ? other : defaultVariant;
}

async function runTrial(device: GPUDevice, defaultVariant: MatmulVariant): Promise<MatmulTrial> {
  const { m, n, k } = TRIAL_SHAPE;
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
  const a = device.createBuffer({ label: 'matmul trial A', size: m * k * 4, usage });
  const b = device.createBuffer({ label: 'matmul trial B', size: k * n * 4, usage });
  const c = device.createBuffer({ label: 'matmul trial C', size: m * n * 4, usage });
  device.queue.writeBuffer(a, 0, new Float32Array(m * k).fill(0.5));
  device.queue.writeBuffer(b, 0, new Float32Array(k * n).fill(0.25));
  const ms: Record<MatmulVariant, number> = { blocked: NaN, tiled: NaN };
  try {
    for (const variant of ['blocked', 'tiled'] as const) {
      try {
        ms[variant] = await timeVariant(device, variant, a, b, c);
      } catch {
        // A variant the adapter cannot run is simply not chosen.
      }
    }
  } finally {
    for (const buffer of [a, b, c]) buffer.destroy();
  }
  if (!Number.isFinite(ms.blocked) && !Number.isFinite(ms.tiled)) throw new Error('neither matmul variant ran in the start-up trial');
  return { variant: pickVariant(ms, defaultVariant), ms, defaultVariant };
}

async function timeVariant(device: GPUDevice, variant: MatmulVariant, a: GPUBuffer, b: GPUBuffer, c: GPUBuffer): Promise<number> {
  const { m, n, k } = TRIAL_SHAPE;
  device.pushErrorScope('validation');
  const shape = {
    m,
    n,
    k,
    models: 1,
    a: rowMajor(k),
    b: rowMajor(n),
    c: { offset: 0, modelStride: 0 },
    epilogue: 'none' as const,
    activation: 'linear' as const,
  };
  const { dispatch, uniform } = new MatmulKernel(device, variant).dispatch(`matmul trial ${variant}`, shape, { a, b, e: a, c });
  const error = await device.popErrorScope();
  try {
    if (error) throw new Error(error.message);
    /** Milliseconds per product of one submit of `products` products. */
    const once = async (products: number) => {
      const encoder = device.createCommandEncoder({ label: `matmul trial ${variant}` });
      const pass = encoder.beginComputePass();
      encodeDispatches(
        pass,
        Array.from({ length: products }, () => dispatch),
      );
      pass.end();
      const start = performance.now();
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
      return (performance.now() - start) / products;
    };
    await once(1);
    let products = 1;
    let best = await once(products);
    while (best * products < MIN_SUBMIT_MS && products < MAX_PRODUCTS_PER_SUBMIT) {
      products *= 4;
      best = await once(products);
    }
    for (let i = 1; i < TIMED_SUBMITS; i++) best = Math.min(best, await once(products));
    return best;
  } finally {
    uniform.destroy();
  }
}
