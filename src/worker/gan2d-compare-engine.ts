// Compare sets of the 2-D lab in the engine worker: up to 8 variants of one GAN (src/gan2d/compare.ts)
// trained in turns in the background, looked at through small frames, one per variant.
import * as Comlink from 'comlink';
import { macrotask } from '../reference/yield.ts';
import type { BackendChoice } from '../config/experiment.ts';
import { Gan2dCompare, gan2dVariants, type Gan2dCompareSpec } from '../gan2d/compare.ts';
import type { Gan2dConfig } from '../gan2d/config.ts';
import { discriminatorField } from '../gan2d/views.ts';
import type { GpuContext } from '../gpu/device.ts';
import { chooseGanBackend } from '../train/gan-choice.ts';
import type { Gan2dCompareFrames, Gan2dEvent, Gan2dInfo, Gan2dVariantFrame } from './gan2d-api.ts';

/** Side of each variant's D heatmap: 24² cells fill a small canvas of about 110 px. */
export const COMPARE_FIELD_SIDE = 24;
/** Points of each kind a variant's frame carries: enough to see its modes on a small canvas. */
export const COMPARE_POINTS = 256;
/**
 * Iterations each variant trains per event: 8 variants at about 2,750 iterations a second on
 * the fast CPU make an event about every 0.1 s, so frames and pauses are answered that often.
 */
export const COMPARE_EVENT_ITERATIONS = 32;

interface CompareRun {
  compare: Gan2dCompare;
  training: Promise<void> | null;
  stop: boolean;
  disposed: boolean;
}

/**
 * The compare sets of Gan2dEngine, which owns the ids (one space with its single GANs, so
 * startGan2d, pauseGan2d and disposeGan2d serve both) and forwards those calls here.
 */
export class Gan2dCompareEngine {
  private runs = new Map<number, CompareRun>();

  constructor(
    private readonly device: () => Promise<GpuContext>,
    private readonly newId: () => number,
  ) {}

  /** Compare sets alive now. */
  get count(): number {
    return this.runs.size;
  }

  has(id: number): boolean {
    return this.runs.has(id);
  }

  async create(base: Gan2dConfig, spec: Gan2dCompareSpec, choice: BackendChoice): Promise<{ id: number; info: Gan2dInfo; labels: string[] }> {
    const variants = gan2dVariants(base, spec);
    let fallbackReason: string | null = null;
    const compare = await Gan2dCompare.create(variants, async (setup) => {
      const chosen = await chooseGanBackend(setup, choice, this.device);
      fallbackReason = chosen.fallbackReason;
      return chosen.backend;
    });
    const id = this.newId();
    this.runs.set(id, { compare, training: null, stop: false, disposed: false });
    const { backend } = compare.runs[0]!.trainer;
    const info: Gan2dInfo = { config: base, backend: backend.kind, backendLabel: backend.label, fallbackReason };
    return { id, info, labels: variants.map((v) => v.label) };
  }

  private get(id: number): CompareRun {
    const run = this.runs.get(id);
    if (!run) throw new Error(`No 2-D GAN compare set ${id}: it was disposed or never created`);
    return run;
  }

  /** Trains every live variant `iterations` more, COMPARE_EVENT_ITERATIONS each per event; stops early when all have failed. */
  async start(id: number, iterations: number, onEvent: (e: Gan2dEvent) => void): Promise<void> {
    const run = this.get(id);
    if (run.training) throw new Error(`2-D GAN compare set ${id} is training; pause it first`);
    run.stop = false;
    const c = run.compare;
    const emit = (e: Gan2dEvent) => {
      if (!run.disposed) onEvent(e);
    };
    const loop = async () => {
      let done = 0;
      while (done < iterations && !run.stop && c.runs.some((r) => r.error === null)) {
        const n = Math.min(COMPARE_EVENT_ITERATIONS, iterations - done);
        await c.train(n, () => run.stop);
        done += n;
        emit({ type: 'chunk', metrics: [], iteration: c.iterations });
        // A task boundary after each event: frame and pause requests are answered in between (a
        // message, not setTimeout(0), whose 4-ms clamp on nested timers would idle the worker).
        await macrotask();
      }
    };
    run.training = loop()
      .then(() => emit({ type: 'stopped', reason: run.stop ? 'paused' : 'done', iteration: c.iterations }))
      .catch((e: unknown) => emit({ type: 'error', message: e instanceof Error ? e.message : String(e) }))
      .finally(() => (run.training = null));
  }

  async pause(id: number): Promise<void> {
    const run = this.get(id);
    run.stop = true;
    await run.training;
  }

  /** Each variant's small frame: D's heatmap, real points, fresh fakes and figures (no manifold, no arrows). */
  async frames(id: number): Promise<Gan2dCompareFrames> {
    const { compare } = this.get(id);
    const variants: Gan2dVariantFrame[] = [];
    for (const r of compare.runs) {
      const t = r.trainer;
      const label = r.variant.label;
      if (r.error !== null && t.history.length === 0) {
        variants.push({ label, error: r.error, frame: null });
        continue;
      }
      const params = await t.backend.readParams();
      const m = await t.measure();
      const frame = {
        iteration: m.iteration,
        field: Float32Array.from(discriminatorField(t.setup.nets!, params.d, COMPARE_FIELD_SIDE)),
        fieldSide: COMPARE_FIELD_SIDE,
        manifold: new Float32Array(0),
        manifoldSteps: 0,
        latent: t.config.latent,
        real: t.real.slice(0, 2 * COMPARE_POINTS),
        fake: m.fakes.slice(0, 2 * COMPARE_POINTS),
        push: new Float32Array(0),
        figures: {
          kl: m.divergences.kl,
          js: m.divergences.js,
          modes: m.modes && { covered: m.modes.covered, total: m.modes.total },
          quality: m.modes ? m.modes.highQuality : null,
        },
      };
      variants.push({ label, error: r.error, frame });
    }
    const buffers = variants.flatMap((v) => (v.frame ? [v.frame.field.buffer, v.frame.real.buffer, v.frame.fake.buffer] : []));
    return Comlink.transfer({ iteration: compare.iterations, variants }, buffers);
  }

  /** Stops and frees a compare set without waiting: its backends go after the turn in flight. */
  dispose(id: number): void {
    const run = this.runs.get(id);
    if (!run) return;
    this.runs.delete(id);
    run.stop = true;
    run.disposed = true;
    const release = () => run.compare.dispose();
    if (run.training) void run.training.then(release);
    else release();
  }
}
