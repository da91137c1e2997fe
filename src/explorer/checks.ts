import { encodeDispatches, type Dispatch, type KernelFamily } from '../gpu/kernel.ts';
import type { MatmulVariant } from '../gpu/kernels/matmul.ts';
import { Rng } from '../nn/rng.ts';
import { withDeviceLock } from './device-lock.ts';
import { argmaxCases, gatherCases, lossCases, optimizerCases } from './check-cases.ts';
import { matmulCases } from './matmul-cases.ts';

/** One comparison of a kernel's output with the float64 reference. */
export interface CaseResult {
  name: string;
  /** Largest |got − want|. */
  maxAbs: number;
  /** Largest |got − want| / |want| over elements with |want| > atol (elsewhere only atol counts). */
  maxRel: number;
  atol: number;
  rtol: number;
  /** Every element satisfies |got − want| ≤ atol + rtol·|want| (NaN only matching NaN). */
  pass: boolean;
  /** The first failing element, e.g. "[12] = 0.5 but want 0.75". */
  worst: string | null;
}

/** "Does it still match?": every case of one family. */
export interface CheckResult {
  family: string;
  matches: boolean;
  cases: CaseResult[];
  maxAbs: number;
  maxRel: number;
  /** One line, containing "matches" or "does not match" and the max errors. */
  summary: string;
}

/** Families the explorer can check against src/reference. */
export const CHECKED_FAMILIES = ['matmul', 'loss', 'gather', 'optimizer', 'argmax'] as const;

/**
 * Compares elementwise with the kernel tests' rule |got − want| ≤ atol + rtol·|want|, NaN only
 * matching NaN, and reports the largest absolute and relative errors.
 */
export function compareArrays(name: string, got: ArrayLike<number>, want: ArrayLike<number>, atol: number, rtol: number): CaseResult {
  let maxAbs = 0;
  let maxRel = 0;
  let worst: string | null = got.length === want.length ? null : `length ${got.length} but want ${want.length}`;
  for (let i = 0; i < Math.min(got.length, want.length); i++) {
    const g = got[i]!;
    const w = want[i]!;
    const nan = Number.isNaN(g) || Number.isNaN(w);
    const d = nan ? (Number.isNaN(g) === Number.isNaN(w) ? 0 : Infinity) : Math.abs(g - w);
    maxAbs = Math.max(maxAbs, d);
    if (!nan && Math.abs(w) > atol) maxRel = Math.max(maxRel, d / Math.abs(w));
    if (worst === null && d > atol + rtol * (nan ? 0 : Math.abs(w))) worst = `[${i}] = ${g} but want ${w}`;
  }
  return { name, maxAbs, maxRel, atol, rtol, pass: worst === null, worst };
}

/** Storage buffers made for one check, read back and destroyed together. */
export class Scratch {
  private readonly buffers: GPUBuffer[] = [];
  constructor(readonly device: GPUDevice) {}

  /** A storage buffer holding `data` (f32 or u32), or `data` zeroed floats. */
  buffer(label: string, data: Float32Array | Uint32Array | number): GPUBuffer {
    const size = typeof data === 'number' ? data * 4 : data.byteLength;
    const U = GPUBufferUsage;
    const buffer = this.device.createBuffer({ label: `check ${label}`, size: Math.max(16, size), usage: U.STORAGE | U.COPY_SRC | U.COPY_DST });
    if (typeof data !== 'number') this.device.queue.writeBuffer(buffer, 0, data);
    this.buffers.push(buffer);
    return buffer;
  }

  /** Keeps a buffer made elsewhere (a uniform) for destruction. */
  own(buffer: GPUBuffer): void {
    this.buffers.push(buffer);
  }

  /** Runs dispatches in one pass; a validation or internal error rejects instead of escaping. */
  async run(dispatches: Dispatch[]): Promise<void> {
    const device = this.device;
    device.pushErrorScope('validation');
    device.pushErrorScope('internal');
    const encoder = device.createCommandEncoder({ label: 'check' });
    const pass = encoder.beginComputePass({ label: 'check' });
    encodeDispatches(pass, dispatches);
    pass.end();
    device.queue.submit([encoder.finish()]);
    const internal = await device.popErrorScope();
    const validation = await device.popErrorScope();
    const error = validation ?? internal;
    if (error) throw new Error(error.message);
  }

  /** `count` floats of a buffer. */
  async read(buffer: GPUBuffer, count: number): Promise<Float32Array> {
    const size = Math.max(16, count * 4);
    const staging = this.device.createBuffer({ label: 'check readback', size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const encoder = this.device.createCommandEncoder({ label: 'check readback' });
    encoder.copyBufferToBuffer(buffer, 0, staging, 0, size);
    this.device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const out = new Float32Array(staging.getMappedRange().slice(0, count * 4));
    staging.destroy();
    return out;
  }

  destroy(): void {
    for (const b of this.buffers) b.destroy();
  }
}

/** What the cases of one family get: a scratch space, seeded randomness, and the family to test. */
export interface CheckContext {
  scratch: Scratch;
  rng: Rng;
  family: KernelFamily;
  /** Matmul entry points to run; by default the ones the family has pipelines for, else both. */
  matmulVariants: MatmulVariant[];
}

/**
 * Runs the reference test of `family` (which may be edited) in the browser: random inputs of
 * awkward sizes (1, primes, larger than and not a multiple of the workgroup tile), the family's
 * current source, and the float64 reference of src/reference with each kernel test's tolerance.
 */
export function checkFamily(device: GPUDevice, family: KernelFamily, options: { matmulVariants?: MatmulVariant[]; seed?: number } = {}): Promise<CheckResult> {
  return withDeviceLock(device, () => checkNow(device, family, options));
}

async function checkNow(device: GPUDevice, family: KernelFamily, options: { matmulVariants?: MatmulVariant[]; seed?: number }): Promise<CheckResult> {
  const scratch = new Scratch(device);
  const used = family
    .pipelineKeys()
    .map((k) => k.entry.replace(/^matmul_/, ''))
    .filter((v): v is MatmulVariant => v === 'blocked' || v === 'tiled');
  const ctx: CheckContext = {
    scratch,
    family,
    rng: new Rng(options.seed ?? 20240917),
    matmulVariants: options.matmulVariants ?? (used.length ? [...new Set(used)] : ['blocked', 'tiled']),
  };
  const runners: Record<string, (c: CheckContext) => Promise<CaseResult[]>> = {
    matmul: matmulCases,
    loss: lossCases,
    gather: gatherCases,
    optimizer: optimizerCases,
    argmax: argmaxCases,
  };
  const file = `${family.name}.wgsl`;
  const runner = runners[family.name];
  let cases: CaseResult[];
  try {
    if (!runner) throw new Error(`no reference check for ${file}`);
    cases = await runner(ctx);
  } catch (e) {
    const message = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    cases = [{ name: 'running the kernel', maxAbs: Infinity, maxRel: Infinity, atol: 0, rtol: 0, pass: false, worst: message }];
  } finally {
    scratch.destroy();
  }
  const maxAbs = Math.max(0, ...cases.map((c) => c.maxAbs));
  const maxRel = Math.max(0, ...cases.map((c) => c.maxRel));
  const failed = cases.filter((c) => !c.pass);
  const errors = `max abs error ${fmt(maxAbs)}, max rel error ${fmt(maxRel)}`;
  const summary =
    failed.length === 0
      ? `${file} matches the float64 reference: ${cases.length} cases, ${errors}`
      : `${file} does not match the float64 reference: ${failed.length} of ${cases.length} cases fail (first: ${failed[0]!.name}: ${failed[0]!.worst}); ${errors}`;
  return { family: family.name, matches: failed.length === 0, cases, maxAbs, maxRel, summary };
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toExponential(2) : String(v);
}
