import type { ReactiveControllerHost } from 'lit';
import type { BackendChoice } from '../../src/config/experiment.ts';
import { downloadBytes } from '../shared/download.ts';
import { ganToSafetensors } from '../../src/io/gan-file.ts';
import type { GanConfig, GanEvent, GanInfo, GanMetric, GanQuality } from '../../src/worker/api.ts';
import { messageOf, RunTracker, WorkerController, type ControllerState, type ControllerStatus } from '../shared/worker-controller.ts';

/** One saved grid of the timeline. */
export interface GridSnapshot {
  iteration: number;
  grid: Float32Array;
}

/** What the GAN lab shows. */
export interface GanState extends ControllerState {
  info: GanInfo | null;
  metrics: GanMetric[];
  timeline: GridSnapshot[];
  interpolation: Float32Array | null;
  quality: GanQuality | null;
  /** Why the last quality check (or save) failed; the GAN itself keeps going. */
  qualityError: string | null;
  iterationsPerSecond: number;
}

const NO_GAN: GanState = {
  status: 'idle',
  error: null,
  info: null,
  metrics: [],
  timeline: [],
  interpolation: null,
  quality: null,
  qualityError: null,
  iterationsPerSecond: 0,
};

/** Networks loaded from "Save G and D" files, and how long they had trained. */
export interface LoadedGan {
  params: { g: Float32Array; d: Float32Array };
  iterations: number;
}

/** Grids kept for scrubbing; older ones are thinned out. */
const TIMELINE_LENGTH = 48;

/**
 * Connects the GAN lab to the engine worker: builds the GAN, trains it in the background,
 * redraws the fixed sample grid every `sampleEvery` iterations into a timeline, and asks the
 * digit classifier for the class histogram every `qualityEvery` iterations. Removed from the
 * page it frees the GAN; re-added, it builds it again. Replies and events about a GAN that was
 * replaced are ignored.
 */
export class GanController extends WorkerController<GanState> implements GanState {
  declare readonly status: ControllerStatus;
  declare readonly error: string | null;
  declare readonly info: GanInfo | null;
  declare readonly metrics: GanMetric[];
  declare readonly timeline: GridSnapshot[];
  declare readonly interpolation: Float32Array | null;
  declare readonly quality: GanQuality | null;
  declare readonly qualityError: string | null;
  declare readonly iterationsPerSecond: number;
  /** Iterations the loaded networks had been trained for before this run (0 from the initial weights). */
  iterationsBefore = 0;
  sampleEvery = 20;
  qualityEvery = 200;
  private id: number | null = null;
  /** Bumped whenever the GAN is dropped: a build that finishes after that is freed at once. */
  private generation = 0;
  /** The last build asked for, and its promise: asking again for the same one is a no-op. */
  private request: { config: GanConfig | null; backend: BackendChoice; loaded: LoadedGan | null; building: Promise<void> } | null = null;
  private readonly runs = new RunTracker();
  private lastSample = -Infinity;
  private lastQuality = 0;
  private busy = { images: false, quality: false };
  private runStart = { time: 0, iteration: 0 };

  constructor(host: ReactiveControllerHost, workerUrl: URL | (() => URL)) {
    super(host, workerUrl, NO_GAN);
  }

  private dropGan(): void {
    const id = this.id;
    this.id = null;
    this.generation++;
    this.runs.end();
    if (id !== null)
      this.liveClient()
        ?.disposeGan(id)
        .catch(() => undefined);
  }

  protected override async release(): Promise<void> {
    this.dropGan();
    const request = this.request;
    this.request = request && { ...request, building: Promise.resolve() };
    this.patch(NO_GAN);
  }

  protected override async restore(): Promise<void> {
    const request = this.request;
    if (request) {
      this.request = null;
      await this.build(request.config, request.backend, request.loaded);
    }
  }

  /**
   * Builds a new GAN (the previous one is freed); null picks the preset for the backend. With
   * `loaded` ("Save G and D" files), the networks start from those weights. The same request
   * while that GAN is built or building (an element moved in the page) is a no-op.
   */
  build(config: GanConfig | null, backend: BackendChoice, loaded: LoadedGan | null = null): Promise<void> {
    const r = this.request;
    if (r && r.config === config && r.backend === backend && r.loaded === loaded && this.status !== 'idle' && this.status !== 'error') return r.building;
    const building = this.buildNow(config, backend, loaded);
    this.request = { config, backend, loaded, building };
    return building;
  }

  private async buildNow(config: GanConfig | null, backend: BackendChoice, loaded: LoadedGan | null): Promise<void> {
    this.dropGan();
    const generation = this.generation;
    this.lastSample = -Infinity;
    this.lastQuality = 0;
    this.iterationsBefore = loaded?.iterations ?? 0;
    this.patch({ ...NO_GAN, status: 'building' });
    try {
      const { id, info } = await this.engine().createGan(config, backend, loaded?.params ?? null);
      if (generation !== this.generation) {
        this.liveClient()
          ?.disposeGan(id)
          .catch(() => undefined);
        return;
      }
      this.id = id;
      this.patch({ info, status: 'ready' });
      await this.sample();
    } catch (e) {
      if (generation === this.generation) this.fail(e);
    }
  }

  /** Trains up to `iterations` more iterations. */
  async play(iterations: number): Promise<void> {
    const id = this.id;
    if (id === null || this.status !== 'ready') return;
    this.runStart = { time: performance.now(), iteration: this.metrics.length };
    this.patch({ status: 'training' });
    await this.runs.launch<GanEvent>(
      (onEvent) => this.engine().startGan(id, iterations, onEvent),
      (e) => this.onEvent(e),
      (e) => this.fail(e),
    );
  }

  /** Stops after the chunk in flight; resolves once the run's stop event is in (or ends the run here). */
  async pause(): Promise<void> {
    const id = this.id;
    if (id === null || !this.runs.token() || this.status !== 'training') return;
    if (
      (await this.runs.stop(
        () => this.engine().pauseGan(id),
        5000,
        (e) => this.fail(e),
      )) === 'forced'
    )
      this.patch({ status: 'ready' });
  }

  private onEvent(e: GanEvent): void {
    if (e.type === 'chunk') {
      const metrics = [...this.metrics, ...e.metrics];
      const seconds = (performance.now() - this.runStart.time) / 1000;
      this.patch({ metrics, ...(seconds > 0 ? { iterationsPerSecond: (metrics.length - this.runStart.iteration) / seconds } : {}) });
      if (e.iteration - this.lastSample >= this.sampleEvery) void this.sample();
      if (e.iteration - this.lastQuality >= this.qualityEvery) void this.checkQuality();
    } else if (e.type === 'stopped') {
      this.runs.end();
      this.patch({ status: 'ready' });
      void this.sample();
    } else {
      this.runs.end();
      this.fail(e.message);
    }
  }

  /** Redraws the grid and the interpolation row and appends the grid to the timeline. */
  async sample(): Promise<void> {
    const id = this.id;
    if (id === null || this.busy.images) return;
    this.busy.images = true;
    try {
      const { iteration, grid, interpolation } = await this.engine().ganImages(id);
      if (id !== this.id) return;
      this.lastSample = iteration;
      const last = this.timeline.at(-1);
      this.patch({ interpolation, ...(!last || last.iteration !== iteration ? { timeline: thin([...this.timeline, { iteration, grid }]) } : {}) });
    } catch (e) {
      if (id === this.id) this.fail(e);
    } finally {
      this.busy.images = false;
    }
  }

  /**
   * Downloads G and D as .safetensors files (PyTorch names and orientation, the GAN settings
   * in the metadata, so the lab and the exported scripts load them), refusing non-finite
   * weights like any model file.
   */
  async saveNetworks(): Promise<void> {
    const { id, info } = this;
    if (id === null || !info) return;
    try {
      const params = await this.engine().ganParams(id);
      const files = ganToSafetensors(info.config, params, this.iterationsBefore + this.metrics.length);
      downloadBytes(files.generator, 'shaderprop-generator.safetensors');
      downloadBytes(files.discriminator, 'shaderprop-discriminator.safetensors');
    } catch (e) {
      this.patch({ qualityError: messageOf(e) });
    }
  }

  /** Asks the digit classifier about fresh samples (it trains itself on first use). */
  async checkQuality(): Promise<void> {
    const id = this.id;
    if (id === null || this.busy.quality) return;
    this.busy.quality = true;
    this.lastQuality = this.metrics.length;
    try {
      const quality = await this.engine().ganQuality(id);
      if (id === this.id) this.patch({ quality, qualityError: null });
    } catch (e) {
      if (id === this.id) this.patch({ qualityError: messageOf(e) });
    } finally {
      this.busy.quality = false;
    }
  }
}

/** Keeps the first and the newest grids and every other one in between once the strip is full. */
function thin(timeline: GridSnapshot[]): GridSnapshot[] {
  if (timeline.length <= TIMELINE_LENGTH) return timeline;
  return timeline.filter((_, i) => i === 0 || i === timeline.length - 1 || i % 2 === 0);
}
