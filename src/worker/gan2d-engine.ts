import * as Comlink from 'comlink';
import type { BackendChoice } from '../config/experiment.ts';
import type { Gan2dConfig } from '../gan2d/config.ts';
import { samplesCsv } from '../gan2d/samples-csv.ts';
import { gan2dCurveJson } from '../io/gan2d-curve.ts';
import { GAN2D_ITERATIONS_PER_SUBMIT, Gan2dTrainer } from '../gan2d/trainer.ts';
import { discriminatorField, generatorPush, manifold } from '../gan2d/views.ts';
import type { GpuContext } from '../gpu/device.ts';
import type { GanMetric } from '../train/gan-backend.ts';
import type { GanNets } from '../train/gan-nets.ts';
import { macrotask } from '../reference/yield.ts';
import { chooseGanBackend } from '../train/gan-choice.ts';
import { Gan2dCompareEngine } from './gan2d-compare-engine.ts';
import type { Gan2dEvent, Gan2dFrame, Gan2dInfo, Gan2dStepKind } from './gan2d-api.ts';

/** Side of D's heatmap grid: 48² cells, about 8 px each on a 400-px canvas, drawn smoothed. */
export const FIELD_SIDE = 48;
/** Latent steps of G's drawn manifold: a 21 × 21 mesh for latent 2, 101 points along a line for latent 1. */
export const MANIFOLD_STEPS = { 1: 101, 2: 21 } as const;
/** Points of each kind a frame carries (and the CSV holds): enough to see every mode, few enough to draw each frame. */
export const SHOWN_POINTS = 512;
/**
 * While training, D's heatmap is computed again at most this often (20 times a second); the
 * points, mesh and arrows are new in every frame. The heatmap is the views' largest part (D on
 * 48² points: about 60% of a frame's time in the worker), and it moves slowly next to the fakes,
 * so recomputing it for every frame at 30+ a second cost iterations and showed nothing.
 */
export const FIELD_EVERY_MS = 50;
/** Fakes that get an arrow: more would hide the points under them. */
export const ARROWS = 128;
/**
 * Flat out, a chunk lasts about this long: a frame asked for mid-chunk waits for its end, so the
 * chunk bounds the frame's latency (half of it on average), and each chunk costs one event.
 */
export const FLAT_OUT_CHUNK_MS = 8;
/** Least time between two chunk events when flat out: about 40 a second, what the page's charts and counters can use. */
const EVENT_MS = 25;
/** Most iterations per chunk (a multiple of GAN2D_ITERATIONS_PER_SUBMIT, so the draws keep their shape). */
const FLAT_OUT_CHUNK = 64;

/** Iterations of the next flat-out chunk: whole submits, as many as fit FLAT_OUT_CHUNK_MS at the last chunk's pace. */
export function flatOutChunk(msPerIteration: number): number {
  const fit = Math.floor(FLAT_OUT_CHUNK_MS / msPerIteration / GAN2D_ITERATIONS_PER_SUBMIT) * GAN2D_ITERATIONS_PER_SUBMIT;
  return Number.isFinite(fit) ? Math.max(GAN2D_ITERATIONS_PER_SUBMIT, Math.min(FLAT_OUT_CHUNK, fit)) : GAN2D_ITERATIONS_PER_SUBMIT;
}

interface Run2d {
  trainer: Gan2dTrainer;
  training: Promise<void> | null;
  stop: boolean;
  disposed: boolean;
  /** The last frame's fakes, for the CSV (so it holds what the reader sees). */
  lastFakes: Float32Array | null;
  /** D's heatmap of the last frame and when it was computed: kept for FIELD_EVERY_MS while training. */
  field: { values: Float32Array; time: number } | null;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * 2-D GAN sessions in the engine worker: built from a Gan2dConfig on the backend chosen as the
 * MNIST lab chooses (src/train/gan-choice.ts), trained in the background in chunks (paced when
 * asked), stepped one iteration or one network at a time, and looked at through frames: D's
 * heatmap, G's manifold, the points, the generator's push, and the figures of src/gan2d/metrics.ts.
 */
export class Gan2dEngine {
  private runs = new Map<number, Run2d>();
  private nextId = 1;

  constructor(private readonly device: () => Promise<GpuContext>) {}

  /** Compare sets (issue 30's small multiples), in the same id space: start, pause and dispose forward to it. */
  readonly compare = new Gan2dCompareEngine(
    () => this.device(),
    () => this.nextId++,
  );

  /** 2-D GANs and compare sets alive now. */
  get count(): number {
    return this.runs.size + this.compare.count;
  }

  async create(config: Gan2dConfig, choice: BackendChoice): Promise<{ id: number; info: Gan2dInfo }> {
    let fallbackReason: string | null = null;
    const trainer = await Gan2dTrainer.create(config, async (setup) => {
      const chosen = await chooseGanBackend(setup, choice, this.device);
      fallbackReason = chosen.fallbackReason;
      return chosen.backend;
    });
    const id = this.nextId++;
    this.runs.set(id, { trainer, training: null, stop: false, disposed: false, lastFakes: null, field: null });
    const { backend } = trainer;
    return { id, info: { config: trainer.config, backend: backend.kind, backendLabel: backend.label, fallbackReason } };
  }

  private get(id: number): Run2d {
    const run = this.runs.get(id);
    if (!run) throw new Error(`No 2-D GAN ${id}: it was disposed or never created`);
    return run;
  }

  /**
   * Starts training in the background. Flat out it trains chunks of about FLAT_OUT_CHUNK_MS, an
   * event each; paced, chunks of about a thirtieth of a second's iterations with a wait after
   * each, so a slow speed moves as evenly as it can and the worker stays free for frames in between.
   */
  async start(id: number, iterations: number, perSecond: number, onEvent: (e: Gan2dEvent) => void): Promise<void> {
    if (this.compare.has(id)) return this.compare.start(id, iterations, onEvent);
    const run = this.get(id);
    if (run.training) throw new Error(`2-D GAN ${id} is training; pause it first`);
    run.stop = false;
    const t = run.trainer;
    const emit = (e: Gan2dEvent) => {
      if (!run.disposed) onEvent(e);
    };
    const paced = perSecond > 0 ? Math.max(1, Math.min(FLAT_OUT_CHUNK, Math.round(perSecond / 30))) : 0;
    // Flat out, chunks end more often than the page needs events: their metrics go in one event per EVENT_MS.
    let pending: GanMetric[] = [];
    let lastEvent = performance.now();
    const flush = () => {
      lastEvent = performance.now();
      if (pending.length) emit({ type: 'chunk', metrics: pending, iteration: t.history.length });
      pending = [];
    };
    const loop = async () => {
      const began = performance.now();
      let done = 0;
      let chunk = paced || GAN2D_ITERATIONS_PER_SUBMIT;
      while (done < iterations && !run.stop) {
        const n = Math.min(chunk, iterations - done);
        const t0 = performance.now();
        await t.train(n, (m) => pending.push(...m));
        if (!paced) chunk = flatOutChunk((performance.now() - t0) / n);
        done += n;
        if (paced || performance.now() - lastEvent >= EVENT_MS) flush();
        // A task boundary after each chunk: frame and pause requests are answered in between. Flat
        // out it is a message, not setTimeout(0), whose 4-ms clamp on nested timers would idle the
        // worker a third of the time between 8-ms chunks.
        const wait = perSecond > 0 ? began + (done / perSecond) * 1000 - performance.now() : 0;
        await (wait > 0 ? pause(wait) : macrotask());
      }
    };
    run.training = loop()
      .then(() => {
        flush();
        emit({ type: 'stopped', reason: run.stop ? 'paused' : 'done', iteration: t.history.length });
      })
      .catch((e: unknown) => {
        flush();
        emit({ type: 'error', message: e instanceof Error ? e.message : String(e) });
      })
      .finally(() => (run.training = null));
  }

  async pause(id: number): Promise<void> {
    if (this.compare.has(id)) return this.compare.pause(id);
    const run = this.get(id);
    run.stop = true;
    await run.training;
  }

  async step(id: number, kind: Gan2dStepKind): Promise<{ metric: GanMetric; iteration: number }> {
    const run = this.get(id);
    if (run.training) throw new Error(`2-D GAN ${id} is training; pause it first`);
    const t = run.trainer;
    if (kind === 'iteration') await t.train(1);
    const metric = kind === 'iteration' ? t.history.at(-1)! : await t.trainPart(kind);
    return { metric, iteration: t.history.length };
  }

  async frame(id: number): Promise<Gan2dFrame> {
    const run = this.get(id);
    const t = run.trainer;
    const { config } = t;
    const nets = t.setup.nets!;
    const params = await t.backend.readParams();
    const measured = await t.measure();
    const fake = measured.fakes.slice(0, 2 * SHOWN_POINTS);
    run.lastFakes = fake;
    const steps = MANIFOLD_STEPS[config.latent as 1 | 2];
    const frame: Gan2dFrame = {
      iteration: measured.iteration,
      field: this.field(run, nets, params.d),
      fieldSide: FIELD_SIDE,
      manifold: Float32Array.from(manifold(config, nets, params.g, steps)),
      manifoldSteps: steps,
      latent: config.latent,
      real: t.real.slice(0, 2 * SHOWN_POINTS),
      fake,
      push: Float32Array.from(generatorPush(nets, params.d, fake.subarray(0, 2 * ARROWS), config.loss === 'minimax')),
      figures: {
        kl: measured.divergences.kl,
        js: measured.divergences.js,
        modes: measured.modes && { covered: measured.modes.covered, total: measured.modes.total },
        quality: measured.modes ? measured.modes.highQuality : null,
      },
    };
    // The fakes stay here for the CSV, so they are copied; the rest is transferred.
    return Comlink.transfer(frame, [frame.field.buffer, frame.manifold.buffer, frame.real.buffer, frame.push.buffer]);
  }

  /** D's heatmap for a frame: computed now, or the last one while training within FIELD_EVERY_MS (a copy: frames transfer theirs). */
  private field(run: Run2d, nets: GanNets, d: Float32Array): Float32Array {
    const now = performance.now();
    if (!run.training || !run.field || now - run.field.time >= FIELD_EVERY_MS)
      run.field = { values: Float32Array.from(discriminatorField(nets, d, FIELD_SIDE)), time: now };
    return run.field.values.slice();
  }

  async csv(id: number): Promise<string> {
    const run = this.get(id);
    const t = run.trainer;
    const fake = run.lastFakes ?? (await t.fakes(SHOWN_POINTS));
    return samplesCsv(t.real.subarray(0, 2 * SHOWN_POINTS), fake);
  }

  /** The curve file of the run so far, with the draws the exported script replays. */
  async curve(id: number): Promise<string> {
    const t = this.get(id).trainer;
    return gan2dCurveJson(t.config, t.history, { draws: t.draws, backend: t.backend.label });
  }

  /** Stops and frees a 2-D GAN without waiting: its events stop, its backend goes after the chunk in flight. */
  async dispose(id: number): Promise<void> {
    this.compare.dispose(id);
    const run = this.runs.get(id);
    if (!run) return;
    this.runs.delete(id);
    run.stop = true;
    run.disposed = true;
    const release = () => run.trainer.dispose();
    if (run.training) void run.training.then(release);
    else release();
  }
}
