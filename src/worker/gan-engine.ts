import * as Comlink from 'comlink';
import { DEFAULT_EXPERIMENT, type BackendChoice, type ExperimentConfig } from '../config/experiment.ts';
import type { MnistSource } from '../data/load.ts';
import type { GpuContext } from '../gpu/device.ts';
import { GpuUnavailableError } from '../gpu/errors.ts';
import { cpuGanBackend } from '../cpu/fast-cpu-gan-backend.ts';
import type { GanBackend } from '../train/gan-backend.ts';
import { arenaLayout } from '../nn/arena.ts';
import { ARTICLE_GAN, discriminatorSpec, generatorSpec, initGan, SMALL_GAN, validateGanConfig, type GanConfig } from '../train/gan-config.ts';
import { chooseGanBackend } from '../train/gan-choice.ts';
import { GanTrainer } from '../train/gan-trainer.ts';
import { Session } from '../train/session.ts';
import type { GanEvent, GanImages, GanInfo, GanQuality } from './api.ts';

export type { GanEvent, GanImages, GanInfo, GanQuality } from './api.ts';

/** The classifier behind the quality indicator: small, trained once per worker. */
const CLASSIFIER: ExperimentConfig = {
  ...DEFAULT_EXPERIMENT,
  dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'mnist', size: 12000 },
  hidden: [{ units: 64, activation: 'relu' }],
  batchSize: 128,
  epochs: 3,
};

interface Run {
  trainer: GanTrainer;
  training: Promise<void> | null;
  stop: boolean;
  /** Set by dispose: the run's events are no longer sent. */
  disposed: boolean;
}

/**
 * GAN runs in the engine worker: MNIST from the shared assets, the shared GPU device (or the
 * CPU reference with the small preset), background training, sample grids, and a quality
 * indicator from a digit classifier this project trains on MNIST.
 */
export class GanEngine {
  private runs = new Map<number, Run>();
  private nextId = 1;
  private classifier: Promise<{ session: Session; accuracy: number }> | null = null;

  constructor(
    private readonly device: () => Promise<GpuContext>,
    private readonly mnist: MnistSource,
  ) {}

  /** GANs alive now. */
  get count(): number {
    return this.runs.size;
  }

  /**
   * Builds a GAN; with `config` null, the article's preset on a GPU or the small one on the CPU.
   * `params` (e.g. loaded "Save G and D" files) start it instead of the initial weights; they
   * need `config`, and their lengths must be its networks' arenas.
   */
  async create(
    config: GanConfig | null,
    choice: BackendChoice,
    params: { g: Float32Array; d: Float32Array } | null = null,
  ): Promise<{ id: number; info: GanInfo }> {
    if (params) checkGanParams(config, params);
    const data = await this.mnist();
    let backend: GanBackend | null = null;
    let fallbackReason: string | null = null;
    let chosen = config ?? ARTICLE_GAN;
    if (choice !== 'cpu') {
      try {
        const ctx = await this.device();
        validateGanConfig(chosen);
        // Auto times both backends (src/train/gan-choice.ts); WebGPU forced builds it.
        backend = (await chooseGanBackend({ config: chosen, images: data.train.images, params: params ?? initGan(chosen) }, choice, async () => ctx)).backend;
      } catch (e) {
        if (choice === 'webgpu' || !(e instanceof GpuUnavailableError)) throw e;
        fallbackReason = e.message;
      }
    }
    if (!backend) {
      chosen = config ?? SMALL_GAN;
      validateGanConfig(chosen);
      backend = await cpuGanBackend({ config: chosen, images: data.train.images, params: params ?? initGan(chosen) });
    }
    const id = this.nextId++;
    this.runs.set(id, { trainer: new GanTrainer(backend, chosen, data.train.count), training: null, stop: false, disposed: false });
    return { id, info: { config: chosen, backend: backend.kind, backendLabel: backend.label, fallbackReason, images: data.train.count } };
  }

  private get(id: number): Run {
    const run = this.runs.get(id);
    if (!run) throw new Error(`No GAN ${id}: it was disposed or never created`);
    return run;
  }

  /** Starts training in the background; events report each chunk and the stop. */
  async start(id: number, iterations: number, onEvent: (e: GanEvent) => void): Promise<void> {
    const run = this.get(id);
    if (run.training) throw new Error(`GAN ${id} is training; pause it first`);
    run.stop = false;
    const t = run.trainer;
    const emit = (e: GanEvent) => {
      if (!run.disposed) onEvent(e);
    };
    run.training = t
      .train(
        iterations,
        (metrics) => emit({ type: 'chunk', metrics, iteration: t.iterations }),
        () => run.stop,
      )
      .then(() => emit({ type: 'stopped', reason: run.stop ? 'paused' : 'done', iteration: t.iterations }))
      .catch((e: unknown) => emit({ type: 'error', message: e instanceof Error ? e.message : String(e) }))
      .finally(() => (run.training = null));
  }

  /** Stops after the chunk in flight. */
  async pause(id: number): Promise<void> {
    const run = this.get(id);
    run.stop = true;
    await run.training;
  }

  /** The fixed grid and interpolation row now. */
  async images(id: number): Promise<GanImages> {
    const t = this.get(id).trainer;
    const [grid, interpolation] = await Promise.all([t.grid(), t.interpolation()]);
    return Comlink.transfer({ iteration: t.iterations, grid, interpolation }, [grid.buffer, interpolation.buffer]);
  }

  /** Labels 256 fresh samples with the digit classifier (trained on first use). */
  async quality(id: number): Promise<GanQuality> {
    const t = this.get(id).trainer;
    const { session, accuracy } = await this.digitClassifier(t.backend.kind === 'cpu' ? 'cpu' : 'webgpu');
    const n = 256;
    const samples = await t.fresh(n);
    const probs = await session.backend.predict(
      samples.map((p) => (p + 1) / 2),
      n,
    );
    const histogram = new Array<number>(10).fill(0);
    let confidence = 0;
    for (let r = 0; r < n; r++) {
      let best = 0;
      for (let c = 1; c < 10; c++) if (probs[r * 10 + c]! > probs[r * 10 + best]!) best = c;
      histogram[best]!++;
      confidence += probs[r * 10 + best]!;
    }
    return { histogram, meanConfidence: confidence / n, samples: n, classifierAccuracy: accuracy };
  }

  private digitClassifier(backend: 'cpu' | 'webgpu'): Promise<{ session: Session; accuracy: number }> {
    this.classifier ??= (async () => {
      const session = await Session.create({ ...CLASSIFIER, backend }, this.device, null, this.mnist);
      await session.trainer.trainEpochs(CLASSIFIER.epochs);
      const test = await session.evaluate('test');
      return { session, accuracy: test.correct / test.rows };
    })();
    this.classifier.catch(() => (this.classifier = null));
    return this.classifier;
  }

  /** Both networks' parameter arenas, to save them. */
  async params(id: number): Promise<{ g: Float32Array; d: Float32Array }> {
    const p = await this.get(id).trainer.backend.readParams();
    return Comlink.transfer(p, [p.g.buffer, p.d.buffer]);
  }

  /**
   * Stops and frees a GAN without waiting for it: its events are no longer sent, and its buffers
   * go as soon as the chunk in flight has ended (never under it).
   */
  async dispose(id: number): Promise<void> {
    const run = this.runs.get(id);
    if (!run) return;
    this.runs.delete(id);
    run.stop = true;
    run.disposed = true;
    const release = () => run.trainer.backend.dispose();
    if (run.training) void run.training.then(release);
    else release();
  }
}

/** Refuses loaded weights that do not fit the GAN they are meant to start. */
function checkGanParams(config: GanConfig | null, params: { g: Float32Array; d: Float32Array }): void {
  if (!config) throw new Error('Loaded GAN weights need the GAN settings they were trained with');
  validateGanConfig(config);
  const want = { g: arenaLayout(generatorSpec(config)).totalFloats, d: arenaLayout(discriminatorSpec(config)).totalFloats };
  if (params.g.length !== want.g || params.d.length !== want.d) {
    throw new Error(`The loaded weights (${params.g.length} and ${params.d.length} values) do not fit this GAN (${want.g} and ${want.d})`);
  }
}
