// Auto without the wait: a session starts training on the CPU at once, and this decides behind it
// whether WebGPU is faster for its network on this device, moving the run there if so. The GPU
// device, its pipelines and the timed trial all happen here, while the CPU trains.
import type { GpuContext } from '../gpu/device.ts';
import { GpuUnavailableError } from '../gpu/errors.ts';
import { withDeadline } from '../gpu/deadline.ts';
import { createGpuBatchBackend } from '../gpu/gpu-backend.ts';
import { ConfigError } from '../config/errors.ts';
import { cpuBackend, measureBoth, type ChosenBackend } from './backend-choice.ts';
import { cachedTrial, trialKey, type BackendTrial, type TrialKind } from './backend-trial.ts';
import type { StoredTrial, TrialStore } from './trial-store.ts';
import { batchOfOne, type BackendSetup, type BatchBackend, type BatchSetup } from './training-backend.ts';

/**
 * What trains a session now, as the `backend` status's `data-state` says it: `trial` (the CPU,
 * while Auto decides), `cpu` (the fast float32 CPU backend), `webgpu`, or `reference` (the
 * float64 CPU reference).
 */
export type BackendState = 'trial' | 'cpu' | 'webgpu' | 'reference';

/** A session's backend as the status line shows it; a change comes to the page as one of these. */
export interface BackendStatus {
  backend: 'webgpu' | 'cpu';
  backendLabel: string;
  backendState: BackendState;
  /** Words for the moment: "CPU now, trying WebGPU…", "WebGPU, 2.3× faster than the CPU here", or why the CPU stays. */
  backendNote: string | null;
  /** What Auto's trial measured and chose; null until it has, or when a backend was forced. */
  backendTrial: BackendTrial | null;
  /** Why the CPU runs although WebGPU was preferred (WebGPU missing or refused); null otherwise. */
  fallbackReason: string | null;
}

/** The background trial gives up after this long (device, pipelines and timing together), and the CPU keeps training. */
export const BACKGROUND_TRIAL_MS = 60_000;

/** What the background decision needs from the engine and the session it decides for. */
export interface BehindOptions {
  /** The session's model shape (its parameters do not matter: the live state moves). */
  setup: BatchSetup;
  /** The shared device. */
  gpu: () => Promise<GpuContext>;
  /** Readies the device for kernels (the matmul variant's own trial); run only when WebGPU is built or timed, not for a recalled CPU choice. */
  prepare?: (ctx: GpuContext) => Promise<void>;
  store: TrialStore;
  /** False once the session is gone: nothing more is built and what was built is freed. */
  live: () => boolean;
  /**
   * Moves the session's training to `backend` at its next submit boundary if `wanted()` still
   * holds there; resolves true once it trains there, false if it was no longer wanted.
   */
  adopt: (backend: BatchBackend, wanted: () => boolean) => Promise<boolean>;
  /** The current backend's status (what the session trains on now, the CPU one), for what stays. */
  current: BackendStatus;
  /** Told every change of the session's backend status. */
  report: (status: BackendStatus) => void;
  deadlineMs?: number;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** "2.3×" from a trial's times, or null when either is missing. */
export function speedup(ms: Record<TrialKind, number>): string | null {
  const r = ms.cpu / ms.webgpu;
  return Number.isFinite(r) && r > 0 ? `${r >= 10 ? r.toFixed(0) : r.toFixed(1)}×` : null;
}

/**
 * Decides Auto's backend behind a session already training on the CPU: a trial remembered for
 * this adapter and shape (from `store`, or measured on this page already), or a fresh timed trial
 * of both backends. If WebGPU wins, the session moves to it carrying its exact state. Whatever
 * fails (no WebGPU, a lost device, a trial past its deadline, a bad stored entry) leaves the
 * session on the CPU with one status saying why. Never rejects.
 */
export async function decideBehind(o: BehindOptions): Promise<void> {
  const stay: BackendState = o.current.backendState !== 'trial' ? o.current.backendState : o.current.backendLabel.includes('reference') ? 'reference' : 'cpu';
  const settle = (s: Partial<BackendStatus>) => o.report({ ...o.current, backendState: stay, backendNote: null, ...s });
  let abandoned = false;
  try {
    const outcome = await withDeadline(
      decide(o, () => abandoned || !o.live()),
      o.deadlineMs ?? BACKGROUND_TRIAL_MS,
      'the WebGPU trial',
    );
    if (o.live() && outcome) settle(outcome);
  } catch (e) {
    // A trial past its deadline may still finish: it then finds itself abandoned and frees what it built.
    abandoned = true;
    if (!o.live()) return;
    if (e instanceof GpuUnavailableError) settle({ fallbackReason: e.message });
    else settle({ backendNote: `The WebGPU trial failed (${message(e)}); training stays on the CPU.` });
  }
}

/** The decision itself, or null when the session went (or the trial was abandoned) on the way. */
async function decide(o: BehindOptions, gone: () => boolean): Promise<Partial<BackendStatus> | null> {
  const ctx = await o.gpu();
  const shape = trialKey(o.setup);
  const found = await o.store.load(ctx.adapterName, shape);
  const problem = 'problem' in found ? found.problem : null;
  const built: Partial<Record<TrialKind, BatchBackend>> = {};
  try {
    let trial: StoredTrial;
    let cached: boolean;
    if ('trial' in found) [trial, cached] = [found.trial, true];
    else {
      if (gone()) return null;
      await o.prepare?.(ctx);
      ({ trial, cached } = await cachedTrial(ctx.device, shape, () => measureBoth(o.setup, ctx, built)));
      // A backend that failed (a lost device, say) may work next time: only clean results are kept.
      if (!cached && trial.note === undefined) await o.store.save(ctx.adapterName, shape, trial);
    }
    const note = problem ? ` (${problem}, so it was measured again)` : '';
    const backendTrial: BackendTrial = { ...trial, cached };
    if (trial.choice === 'cpu' && !Number.isFinite(trial.ms.webgpu))
      return { backendTrial, backendNote: `WebGPU could not train this network here (${trial.note ?? 'no time measured'}); training stays on the CPU${note}.` };
    if (trial.choice === 'cpu') return { backendTrial, backendNote: `The CPU is faster than WebGPU here for this network${note}.` };
    if (gone()) return null;
    if (!built.webgpu) await o.prepare?.(ctx);
    const gpu = built.webgpu ?? (built.webgpu = await createGpuBatchBackend(ctx, o.setup));
    if (gone()) return null;
    if (!(await o.adopt(gpu, () => !gone()))) return null;
    delete built.webgpu;
    const times = speedup(trial.ms);
    return {
      backend: 'webgpu',
      backendLabel: gpu.label,
      backendState: 'webgpu',
      backendTrial,
      backendNote: `WebGPU${times ? `, ${times} faster than the CPU here` : ''}${note}.`,
    };
  } finally {
    for (const b of Object.values(built)) b.dispose();
  }
}

/**
 * The CPU backend Auto starts on while it decides behind, or null when the CPU refuses this
 * network (too much work per step): then the trial must come first, and WebGPU is all there is.
 */
export async function cpuFirst(setup: BackendSetup): Promise<ChosenBackend | null> {
  try {
    return { backend: await cpuBackend(batchOfOne(setup)), fallbackReason: null, trial: null };
  } catch (e) {
    if (e instanceof ConfigError) return null;
    throw e;
  }
}
