// inside-spiral (issue 29): what the neuron maps and the health panel cost the training they
// watch. The playground's spiral 8,8 trains through its Session and the worker's EngineSessions,
// as the engine worker runs it, while a copy of the page's view refresh (EngineSession.refresh:
// at an epoch's end, at most one at a time and every refreshMs at most) asks for the evaluations,
// the snapshot and the boundary, plus the neuron maps and the health when they are on. They are
// on in every other refresh of one continuous run, so off and on alternate every 0.4 s and the
// machine's load, which moves within seconds here, weighs on both alike.
import { chooseMatmulVariant } from '../src/gpu/autotune.ts';
import type { GpuContext } from '../src/gpu/device.ts';
import { GpuBatchBackend } from '../src/gpu/gpu-backend.ts';
import { GpuUnavailableError } from '../src/gpu/errors.ts';
import { Session } from '../src/train/session.ts';
import { EngineSessions } from '../src/worker/engine-sessions.ts';
import type { TrainEvent } from '../src/worker/api.ts';
import type { Budget, Measurement } from './measure.ts';
import type { ShaderpropEngine } from './shaderprop-runners.ts';
import { median, STEPS_PER_READBACK, type ViewsWorkload } from './workloads.ts';

/** Off and on, measured in the same cell (`Measurement.views`). */
export interface ViewsPaired {
  /** Median ms per training step over the intervals with the maps and health on. */
  on_ms: number;
  /** Median over pairs of on ÷ off time per step (1: the maps and health cost nothing). */
  ratio: number;
  /** Σ time ÷ Σ steps with them on, over the same with them off: the pooled ratio, which a burst of load moves more. */
  pooled_ratio: number;
  /** Per-step times of the intervals with them on, in order: pair i is `samples[i]` (off) and `on_samples[i]`. */
  on_samples: number[];
  /** Refreshes per second of training wall time over the measured run. */
  refreshes_per_s: number;
  /** Median length (ms) and training steps of an interval. */
  interval_ms: number;
  steps_per_interval: number;
  /**
   * Training idle, ms (medians of a few): one refresh as the page asks for it, off and on, and
   * the neuron maps with the health alone (their readback included).
   */
  refresh_ms: { off: number; on: number; views: number };
  /** The refresh interval reproduced (EngineSession.refreshInterval) and the warm-up (ms). */
  refresh_interval_ms: number;
  warmup_ms: number;
}

const now = () => performance.now();
/** More epochs than any run reaches: it ends by a pause, as the page's Pause does. */
const ENDLESS = 1e9;
/** Training before the first measured interval: the views' code and the backend settle. */
const WARMUP_MS = 2000;

/**
 * What one refresh asks for, all at once as the page asks the worker (EngineSession.refresh):
 * the evaluations of both splits, the snapshot and the boundary, plus the neuron maps and the
 * health when `views` is on. Resolves when every answer is in.
 */
function refreshOnce(sessions: EngineSessions, id: number, w: ViewsWorkload, views: boolean): Promise<unknown> {
  return Promise.all([
    sessions.evaluate(id, 'validation'),
    sessions.evaluate(id, 'test'),
    sessions.snapshot(id),
    sessions.boundary(id, w.boundaryResolution),
    views ? sessions.neuronMaps(id, w.mapResolution) : null,
    views ? sessions.health(id) : null,
  ]);
}

/** One measured interval: from the start of one refresh to the start of the next. */
interface Interval {
  on: boolean;
  ms: number;
  steps: number;
}

/**
 * The page's refresh while training (EngineSession.refresh(false), called at every epoch event:
 * skipped while one is in flight or within `refreshMs` of the last one's start), with the maps
 * and health switched on and off from one refresh to the next. Each refresh opens an interval
 * that the next one closes, so an interval holds one refresh's work and the training around it.
 * After the warm-up, intervals go off-on, on-off, off-on... (pairs in ABBA order, so a load that
 * rises or falls weighs on both alike).
 */
class AlternatingRefresh {
  readonly intervals: Interval[] = [];
  private open: { on: boolean; start: number; step: number; measured: boolean } | null = null;
  private inFlight: Promise<unknown> | null = null;
  private failure: unknown = null;
  private measured = 0;
  private readonly start = now();

  constructor(
    private readonly sessions: EngineSessions,
    private readonly id: number,
    private readonly w: ViewsWorkload,
  ) {}

  /** Whether measured interval k has the views on: pairs (off, on), (on, off), (off, on), ... */
  private static onAt(k: number): boolean {
    const onFirst = (k >> 1) % 2 === 1;
    return k % 2 === 0 ? onFirst : !onFirst;
  }

  /** An epoch ended at training step `step`. */
  tick(step: number): void {
    const t = now();
    if (this.inFlight || (this.open && t - this.open.start < this.w.refreshMs)) return;
    if (this.open?.measured) this.intervals.push({ on: this.open.on, ms: t - this.open.start, steps: step - this.open.step });
    const measured = t - this.start >= WARMUP_MS;
    const on = measured ? AlternatingRefresh.onAt(this.measured++) : !this.open?.on;
    this.open = { on, start: t, step, measured };
    this.inFlight = refreshOnce(this.sessions, this.id, this.w, on).then(
      () => (this.inFlight = null),
      (e: unknown) => {
        this.failure = e;
        this.inFlight = null;
      },
    );
  }

  /** Refreshes per second of training wall time over the measured intervals. */
  rate(): number {
    return (this.intervals.length * 1000) / this.intervals.reduce((sum, i) => sum + i.ms, 0);
  }

  /** Resolves once the refresh in flight, if any, is in; rethrows a refresh's failure. */
  async settled(): Promise<void> {
    await this.inFlight;
    if (this.failure) throw this.failure;
  }
}

/**
 * One training run as the page's Train runs it, refreshing the views every `w.refreshMs`, until
 * `pairs` pairs of intervals are measured after the warm-up; then a pause, as the page's Pause.
 */
async function alternatingRun(sessions: EngineSessions, id: number, w: ViewsWorkload, pairs: number): Promise<AlternatingRefresh> {
  const refresh = new AlternatingRefresh(sessions, id, w);
  let failure: string | null = null;
  let stopped!: () => void;
  const done = new Promise<void>((resolve) => (stopped = resolve));
  let pausing = false;
  const onEvent = (e: TrainEvent) => {
    if (e.type === 'epoch') {
      if (pausing) return;
      refresh.tick(e.record.step);
      if (refresh.intervals.length >= 2 * pairs) {
        pausing = true;
        void sessions.pause(id);
      }
      return;
    }
    if (e.type === 'error') failure = e.message;
    stopped();
  };
  await sessions.startTraining(id, ENDLESS, onEvent);
  await done;
  await refresh.settled();
  if (failure) throw new Error(`training failed: ${failure}`);
  return refresh;
}

/** Median ms of `n` refreshes one after the other, training idle. */
async function refreshAlone(sessions: EngineSessions, id: number, w: ViewsWorkload, on: boolean, n = 5): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = now();
    await refreshOnce(sessions, id, w, on);
    times.push(now() - t);
  }
  return median(times);
}

/**
 * Median ms of the neuron maps and the health read together, training idle: their own work per
 * refresh (with a parameter readback of their own, which a refresh shares with the snapshot).
 */
async function viewsAlone(sessions: EngineSessions, id: number, w: ViewsWorkload, n = 9): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = now();
    await Promise.all([sessions.neuronMaps(id, w.mapResolution), sessions.health(id)]);
    times.push(now() - t);
  }
  return median(times);
}

/**
 * Measures inside-spiral on one backend: builds the session (`first_step_ms`: the build, one
 * step and a first refresh with everything on, as the page refreshes after a build), then one
 * training run with the views alternating per refresh (see AlternatingRefresh), then the
 * refreshes alone with training idle. `median_ms` and `samples` are the intervals with the maps
 * and health off (the plain refresh only); `views` has those with them on, and the ratio.
 */
export async function measureViews(w: ViewsWorkload, engine: ShaderpropEngine, ctx: GpuContext | null, budget: Budget): Promise<Measurement> {
  if (engine === 'auto') throw new Error('inside-spiral measures each backend; Auto is one of them');
  const gpu = async () => {
    if (!ctx) throw new GpuUnavailableError('no-adapter', 'no WebGPU adapter in this run');
    // The engine worker's device callback: the matmul variant is chosen before any model is built.
    await chooseMatmulVariant(ctx);
    return ctx;
  };
  if (engine === 'cpu-pool') throw new Error('the CPU pool spreads several models; the views train one');
  const start = now();
  const session = await Session.create({ ...w.config, backend: engine }, gpu);
  const sessions = new EngineSessions();
  const id = sessions.add(session);
  try {
    await sessions.step(id);
    await refreshOnce(sessions, id, w, true);
    const first = now() - start;
    if (first > budget.maxMs) throw new Error(`building took ${(first / 1000).toFixed(1)} s, over the ${budget.maxMs / 1000} s cap`);
    // 30 pairs at the default budget of 4 s: 60 intervals of about 0.4 s, 26 s per backend with
    // the warm-up; 6 to 60.
    const pairs = Math.min(60, Math.max(6, Math.round((7.5 * budget.budgetMs) / 1000)));
    const run = await alternatingRun(sessions, id, w, pairs);
    const refresh_ms = {
      off: await refreshAlone(sessions, id, w, false),
      on: await refreshAlone(sessions, id, w, true),
      views: await viewsAlone(sessions, id, w),
    };
    const perStep = (i: Interval) => i.ms / i.steps;
    const measured = run.intervals.slice(0, 2 * pairs);
    const off = measured.filter((i) => !i.on);
    const on = measured.filter((i) => i.on);
    const samples = off.map(perStep);
    const onSamples = on.map(perStep);
    const pooled = (list: Interval[]) => list.reduce((sum, i) => sum + i.ms, 0) / list.reduce((sum, i) => sum + i.steps, 0);
    const views: ViewsPaired = {
      on_ms: median(onSamples),
      ratio: median(onSamples.map((ms, i) => ms / samples[i]!)),
      pooled_ratio: pooled(on) / pooled(off),
      on_samples: onSamples,
      refreshes_per_s: run.rate(),
      interval_ms: median(measured.map((i) => i.ms)),
      steps_per_interval: median(measured.map((i) => i.steps)),
      refresh_ms,
      refresh_interval_ms: w.refreshMs,
      warmup_ms: WARMUP_MS,
    };
    const backend = session.backend;
    const extras: Record<string, number | string> = {
      label: backend.label,
      last_loss: session.trainer.steps.at(-1)?.loss ?? NaN,
      train_rows: session.info.rows.train,
      steps_per_epoch: session.info.stepsPerEpoch,
      epochs_trained: session.trainer.epoch,
    };
    if (backend.batch instanceof GpuBatchBackend) {
      extras.gpu_bytes = backend.batch.gpuBytes();
      extras.dispatches_per_step = backend.batch.stepDispatches.length;
      extras.matmul_variant = backend.batch.matmulVariant;
    }
    return {
      median_ms: median(samples),
      first_step_ms: first,
      samples,
      // The session's trainer submits 16 steps at a time; a sample is one refresh interval.
      chunk: STEPS_PER_READBACK,
      chunks_per_rep: 0,
      extras,
      views,
    };
  } finally {
    await sessions.dispose(id);
  }
}
