// The one timing procedure every implementation goes through: first step (creation and pipeline
// compilation included), a short estimate, a warm-up chunk, then timed repetitions sized to a
// time budget, each ending in an awaited readback so nothing is measured unsynchronised.
import type { ViewsPaired } from './views-runner.ts';
import { median } from './workloads.ts';

/** One implementation of one workload, ready to run. */
export interface Runner {
  /**
   * Runs `units` training steps (or matmuls) and resolves once one small readback after the last
   * has arrived. Work must be queued before the first await, so two calls can be in flight.
   */
  run(units: number): Promise<void>;
  /** Most units per call: K (16) for training, more for matmul whose readback is pure overhead. */
  readonly maxChunk: number;
  /** Implementation facts for the report (GPU bytes, dispatches per step, ...). */
  extras(): Record<string, number | string>;
  dispose(): void;
  /**
   * What this runner is compared with under the same load (Auto's runner: the backend it chose,
   * built directly as that backend's own cell builds it). Built after the first step, which it
   * does not count in; its repetitions alternate with this runner's (see `Paired`).
   */
  baseline?: () => Promise<Runner>;
}

/**
 * A runner timed against its baseline: repetitions alternate (runner first, then baseline first,
 * and so on), so load from other programs, which moves single cells by up to 1.5× on a shared
 * machine, falls on both alike and cancels in each pair's ratio.
 */
export interface Paired {
  /** Median of the baseline's repetitions (ms per unit). */
  baseline_ms: number;
  /** Median over pairs of runner time ÷ baseline time (1: as fast as its baseline). */
  ratio: number;
  /** The baseline's per-unit times in the order taken: pair i is the runner's samples[i] and baseline_samples[i]. */
  baseline_samples: number[];
}

/** Time limits of one measurement. */
export interface Budget {
  /** Target for the timed repetitions, in ms. */
  budgetMs: number;
  /**
   * A measurement is skipped when its first step alone, or three repetitions of one steady
   * step, would take longer than this (ms).
   */
  maxMs: number;
}

/** What one measurement found; `skipped` says why there is no median. */
export interface Measurement {
  median_ms: number | null;
  /** Milliseconds from creating the model (or matrices) to the first step's readback. */
  first_step_ms: number;
  /** Per-unit times of each repetition, in ms. */
  samples: number[];
  /** Units per readback (K) and readbacks per repetition actually used. */
  chunk: number;
  chunks_per_rep: number;
  extras: Record<string, number | string>;
  skipped?: string;
  /** Floating-point operations of one unit (all models' steps, or one matmul); null for the GAN. */
  flops_per_unit?: number | null;
  /** Models one unit trains (1 unless the workload is batched). */
  models?: number;
  /** The runner against its baseline, when it has one (shaderprop-auto). */
  paired?: Paired;
  /** inside-spiral: training with the neuron maps and health on, against off (`samples`). */
  views?: ViewsPaired;
}

const MIN_REPS = 3;
const MAX_REPS = 9;
const TARGET_REPS = 5;
/** Readbacks that may be pending at once, as in the trainer (src/train/trainer.ts). */
const IN_FLIGHT = 2;

const now = () => performance.now();
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.floor(x)));

/** Runs `chunks` calls of `chunk` units with at most IN_FLIGHT pending; resolves when all are done. */
async function pipelined(runner: Runner, chunk: number, chunks: number): Promise<void> {
  const pending: Promise<void>[] = [];
  for (let i = 0; i < chunks; i++) {
    pending.push(runner.run(chunk));
    if (pending.length === IN_FLIGHT) await pending.shift();
  }
  await Promise.all(pending);
}

/** Times `fn` in ms. */
async function timed(fn: () => Promise<void>): Promise<number> {
  const t = now();
  await fn();
  return now() - t;
}

/**
 * Measures one runner under `budget`: returns the median ms per unit over the repetitions, or a
 * `skipped` note when the first step, or three one-step repetitions, would exceed `budget.maxMs`.
 */
export async function measure(create: () => Promise<Runner>, budget: Budget): Promise<Measurement> {
  const start = now();
  const runner = await create();
  try {
    await runner.run(1);
    const first = now() - start;
    const base = { first_step_ms: first, samples: [] as number[], chunk: 0, chunks_per_rep: 0 };
    const cap = `${(budget.maxMs / 1000).toFixed(0)} s cap`;
    const skip = (why: string) => ({ ...base, median_ms: null, extras: runner.extras(), skipped: why });
    // The first step includes compilation, so only a second one estimates the steady cost.
    if (first > budget.maxMs) return skip(`the first step took ${(first / 1000).toFixed(1)} s, over the ${cap}`);
    const est1 = await timed(() => runner.run(1));
    if (est1 * MIN_REPS > budget.maxMs) {
      return skip(`one step takes ${(est1 / 1000).toFixed(1)} s; ${MIN_REPS} repetitions would pass the ${cap}`);
    }
    const est = est1 * 4 < budget.budgetMs / TARGET_REPS ? (await timed(() => runner.run(4))) / 4 : est1;
    const chunk = clamp(budget.budgetMs / (TARGET_REPS * est), 1, runner.maxChunk);
    // Warm-up chunk at full size: buffer pools, texture caches and the like settle here. Slow
    // runners (one step per chunk) are already warm from the first two steps.
    const warm = chunk > 1 ? (await timed(() => runner.run(chunk))) / chunk : est;
    const chunksPerRep = clamp(budget.budgetMs / (TARGET_REPS * chunk * warm), 1, 8);
    const reps = clamp(budget.budgetMs / (chunksPerRep * chunk * warm), MIN_REPS, MAX_REPS);
    const rep = (r: Runner) => timed(() => pipelined(r, chunk, chunksPerRep)).then((ms) => ms / (chunk * chunksPerRep));
    const done = { ...base, chunk, chunks_per_rep: chunksPerRep };
    if (runner.baseline) {
      const { samples, paired } = await pairedReps(runner, await runner.baseline(), chunk, reps, rep);
      return { ...done, median_ms: median(samples), samples, extras: runner.extras(), paired };
    }
    // A slow runner's second step was timed exactly as a one-step repetition (warm, one chunk,
    // one readback): it counts as the first repetition, which saves a step of up to 15 s.
    const samples: number[] = chunk === 1 && chunksPerRep === 1 && est === est1 ? [est1] : [];
    while (samples.length < reps) samples.push(await rep(runner));
    return { ...done, median_ms: median(samples), samples, extras: runner.extras() };
  } finally {
    runner.dispose();
  }
}

/**
 * `reps` repetitions of `runner` alternating with as many of `baseline` (warmed up like the
 * runner: one step, one full chunk), runner first in even pairs and baseline first in odd ones,
 * so a load that rises or falls during the cell weighs on both alike.
 */
async function pairedReps(
  runner: Runner,
  baseline: Runner,
  chunk: number,
  reps: number,
  rep: (r: Runner) => Promise<number>,
): Promise<{ samples: number[]; paired: Paired }> {
  try {
    await baseline.run(1);
    await baseline.run(chunk);
    const samples: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < reps; i++) {
      if (i % 2 === 0) {
        samples.push(await rep(runner));
        theirs.push(await rep(baseline));
      } else {
        theirs.push(await rep(baseline));
        samples.push(await rep(runner));
      }
    }
    const ratio = median(samples.map((ms, i) => ms / theirs[i]!));
    return { samples, paired: { baseline_ms: median(theirs), ratio, baseline_samples: theirs } };
  } finally {
    baseline.dispose();
  }
}
