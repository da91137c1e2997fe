import type { BatchBackend, BatchChunk, BatchSetup } from './training-backend.ts';

/** Which backend a trial may pick. */
export type TrialKind = 'webgpu' | 'cpu';

/** Timed repetitions per backend stop once they add up to this (after one warm-up step). */
export const TRIAL_BUDGET_MS = 120;
/** Steps of the largest timed chunk: the trainer's steps per submit, so one readback is amortized as in training. */
export const TRIAL_MAX_STEPS = 16;
/**
 * How much faster the other backend must be to beat the hinted one (CPU on a software adapter,
 * WebGPU on a real GPU): near-ties keep the hint, so reopening a link on the same machine picks
 * the same backend and replays the same curve.
 */
export const TRIAL_MARGIN = 0.15;

/** What the timed trial of real training steps measured and chose. */
export interface BackendTrial {
  /** Milliseconds per training step (all models of the batch) on each backend; NaN where one could not run. */
  ms: Record<TrialKind, number>;
  choice: TrialKind;
  /** The backend a near-tie goes to: CPU on a software or fallback adapter, WebGPU otherwise. */
  hint: TrialKind;
  /** True when this device measured this model shape before and the result was reused. */
  cached: boolean;
  /** For people, e.g. "WebGPU 0.94 ms/step, CPU 0.59 ms/step → CPU". */
  summary: string;
  /** Why a backend has no time (it refused the model, or failed), when one has none. */
  note?: string;
}

/** Picks between measured times: the hint unless the other is TRIAL_MARGIN faster. */
export function pickBackend(ms: Record<TrialKind, number>, hint: TrialKind): TrialKind {
  const other: TrialKind = hint === 'cpu' ? 'webgpu' : 'cpu';
  if (!Number.isFinite(ms[other])) return hint;
  if (!Number.isFinite(ms[hint])) return other;
  return ms[other] < ms[hint] * (1 - TRIAL_MARGIN) ? other : hint;
}

const NAMES: Record<TrialKind, string> = { webgpu: 'WebGPU', cpu: 'CPU' };

function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toPrecision(2);
}

/** "WebGPU 0.94 ms/step, CPU 0.59 ms/step → CPU" (a backend that could not run shows "–"). */
export function trialSummary(ms: Record<TrialKind, number>, choice: TrialKind, unit = 'step'): string {
  return `WebGPU ${formatMs(ms.webgpu)} ms/${unit}, CPU ${formatMs(ms.cpu)} ms/${unit} → ${NAMES[choice]}`;
}

/**
 * The key of a model shape in the trial cache: what decides the cost of a step (layers, loss,
 * batch capacity, models, dropout, augmentation, own features), not the data or the settings.
 */
export function trialKey(setup: BatchSetup): string {
  const { spec, batchCapacity, models, augment } = setup;
  const dropout = models.some((m) => m.dropout?.some((p) => p > 0));
  const own = models.some((m) => m.features !== undefined);
  return JSON.stringify([spec, batchCapacity, models.length, dropout, augment?.kind ?? null, own]);
}

/** A chunk of `steps` full steps of every model on rows 0, 1, 2, … of the dataset. */
function trialChunk(setup: BatchSetup, steps: number): BatchChunk {
  const cap = setup.batchCapacity;
  const n = setup.models.length;
  const batchIndices = Uint32Array.from({ length: n * steps * cap }, (_, i) => (i % cap) % setup.data.rows);
  return { steps, batchIndices, rows: new Uint32Array(n * steps).fill(Math.min(cap, setup.data.rows)) };
}

/**
 * Milliseconds per unit of `run(units)`: one warm-up unit (pipelines, caches, JIT), then 1, 2, 4 …
 * TRIAL_MAX_STEPS units per call until TRIAL_BUDGET_MS are spent; the best call counts.
 */
export async function timeUnits(run: (units: number) => Promise<unknown>, budgetMs = TRIAL_BUDGET_MS): Promise<number> {
  await run(1);
  let best = Infinity;
  let spent = 0;
  for (let units = 1; ; units = Math.min(2 * units, TRIAL_MAX_STEPS)) {
    const start = performance.now();
    await run(units);
    const ms = performance.now() - start;
    best = Math.min(best, ms / units);
    spent += ms;
    if (spent >= budgetMs) return best;
  }
}

/**
 * Milliseconds per training step of `backend`: one warm-up step (pipelines, caches, JIT), then
 * chunks of 1, 2, 4 … TRIAL_MAX_STEPS steps, each awaited with its readback as the trainer does,
 * until TRIAL_BUDGET_MS are spent; the best chunk counts. It trains the backend's models: the
 * caller restores them (writeParams) afterwards.
 */
export function timeSteps(backend: BatchBackend, setup: BatchSetup, budgetMs = TRIAL_BUDGET_MS): Promise<number> {
  return timeUnits((steps) => backend.runSteps(trialChunk(setup, steps)), budgetMs);
}

/** Puts every model of a backend back where the setup starts it: parameters, moments and step counts. */
export async function restoreInitial(backend: BatchBackend, setup: BatchSetup): Promise<void> {
  for (const [z, m] of setup.models.entries()) await backend.writeParams(z, m.params);
}

let queue: Promise<unknown> = Promise.resolve();
let timing: Promise<void> | null = null;

/**
 * Runs `work` (a trial's timed steps) alone: one at a time, and with training loops held between
 * their submits meanwhile (see whileTiming), so the numbers are the backends' and not whatever
 * else the worker runs. Held loops lose a fraction of a second, once per device and model shape.
 */
export function timeQuietly<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(async () => {
    let done = () => {};
    timing = new Promise<void>((resolve) => (done = resolve));
    try {
      return await work();
    } finally {
      timing = null;
      done();
    }
  });
  queue = run.catch(() => undefined);
  return run;
}

/** While a trial times backends, the promise of its end; null otherwise. Training loops await it between submits. */
export function whileTiming(): Promise<void> | null {
  return timing;
}

let cache = new WeakMap<object, Map<string, Promise<Omit<BackendTrial, 'cached'>>>>();

/** Forgets every trial this thread measured (the person asked for fresh ones). */
export function forgetMeasuredTrials(): void {
  cache = new WeakMap();
}

/**
 * The trial's result for this device and model shape (`key`, e.g. trialKey(setup)), measured once
 * (by `measure`) and kept in memory like the matmul trial; concurrent callers share one
 * measurement. A failed measurement is forgotten, so a later model tries again.
 */
export async function cachedTrial(
  device: object,
  key: string,
  measure: () => Promise<Omit<BackendTrial, 'cached'>>,
): Promise<{ trial: Omit<BackendTrial, 'cached'>; cached: boolean }> {
  let byShape = cache.get(device);
  if (!byShape) cache.set(device, (byShape = new Map()));
  const known = byShape.get(key);
  if (known) return { trial: await known, cached: true };
  const running = measure();
  byShape.set(key, running);
  running.catch(() => byShape!.delete(key));
  return { trial: await running, cached: false };
}
