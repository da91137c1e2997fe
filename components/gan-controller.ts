import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { BackendChoice } from '../src/config/experiment.ts';
import type { GanMetric } from '../src/train/gan-backend.ts';
import type { GanConfig } from '../src/train/gan-config.ts';
import { downloadBytes } from '../src/io/download.ts';
import { ganToSafetensors } from '../src/io/gan-file.ts';
import type { EngineClient } from '../src/worker/client.ts';
import type { GanEvent, GanInfo, GanQuality } from '../src/worker/gan-engine.ts';
import { sharedClient } from './shared-client.ts';

/** One saved grid of the timeline. */
export interface GridSnapshot {
  iteration: number;
  grid: Float32Array;
}

/** Grids kept for scrubbing; older ones are thinned out. */
const TIMELINE_LENGTH = 48;

/**
 * Connects the GAN lab to the engine worker: builds the GAN, trains it in the background,
 * redraws the fixed sample grid every `sampleEvery` iterations into a timeline, and asks the
 * digit classifier for the class histogram every `qualityEvery` iterations.
 */
export class GanController implements ReactiveController {
  status: 'idle' | 'building' | 'ready' | 'training' | 'error' = 'idle';
  info: GanInfo | null = null;
  metrics: GanMetric[] = [];
  timeline: GridSnapshot[] = [];
  interpolation: Float32Array | null = null;
  quality: GanQuality | null = null;
  /** Why the last quality check failed; the GAN itself keeps going. */
  qualityError: string | null = null;
  error: string | null = null;
  iterationsPerSecond = 0;
  /** Iterations the loaded networks had been trained for before this run (0 from the initial weights). */
  iterationsBefore = 0;
  sampleEvery = 20;
  qualityEvery = 200;
  private id: number | null = null;
  private client: EngineClient | null = null;
  private lastSample = -Infinity;
  private lastQuality = 0;
  private busy = { images: false, quality: false };
  private runStart = { time: 0, iteration: 0 };

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly workerUrl: URL,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    if (this.id !== null && this.client && !this.client.dead) void this.client.disposeGan(this.id).catch(() => undefined);
    this.id = null;
  }

  private engine(): EngineClient {
    if (!this.client || this.client.dead) {
      this.client = sharedClient(this.workerUrl);
      this.client.onDeath((e) => this.fail(e.message));
    }
    return this.client;
  }

  private fail(message: string): void {
    Object.assign(this, { status: 'error', error: message });
    this.host.requestUpdate();
  }

  /**
   * Builds a new GAN (the previous one is freed); null picks the preset for the backend. With
   * `loaded` ("Save G and D" files), the networks start from those weights.
   */
  async build(config: GanConfig | null, backend: BackendChoice, loaded: { params: { g: Float32Array; d: Float32Array }; iterations: number } | null = null): Promise<void> {
    if (this.id !== null) await this.engine().disposeGan(this.id).catch(() => undefined);
    Object.assign(this, { id: null, status: 'building', info: null, metrics: [], timeline: [], interpolation: null, quality: null, error: null, lastSample: -Infinity, lastQuality: 0 });
    this.iterationsBefore = loaded?.iterations ?? 0;
    this.host.requestUpdate();
    try {
      const { id, info } = await this.engine().createGan(config, backend, loaded?.params ?? null);
      Object.assign(this, { id, info, status: 'ready' });
      await this.sample();
    } catch (e) {
      this.fail(e instanceof Error ? e.message : String(e));
    }
    this.host.requestUpdate();
  }

  /** Trains up to `iterations` more iterations. */
  async play(iterations: number): Promise<void> {
    if (this.id === null || this.status !== 'ready') return;
    this.status = 'training';
    this.runStart = { time: performance.now(), iteration: this.metrics.length };
    this.host.requestUpdate();
    try {
      await this.engine().startGan(this.id, iterations, (e) => this.onEvent(e));
    } catch (e) {
      this.fail(e instanceof Error ? e.message : String(e));
    }
  }

  async pause(): Promise<void> {
    if (this.id !== null && this.status === 'training') await this.engine().pauseGan(this.id);
  }

  private onEvent(e: GanEvent): void {
    if (e.type === 'chunk') {
      this.metrics = [...this.metrics, ...e.metrics];
      const seconds = (performance.now() - this.runStart.time) / 1000;
      if (seconds > 0) this.iterationsPerSecond = (this.metrics.length - this.runStart.iteration) / seconds;
      if (e.iteration - this.lastSample >= this.sampleEvery) void this.sample();
      if (e.iteration - this.lastQuality >= this.qualityEvery) void this.checkQuality();
    } else if (e.type === 'stopped') {
      this.status = 'ready';
      void this.sample();
    } else {
      this.fail(e.message);
    }
    this.host.requestUpdate();
  }

  /** Redraws the grid and the interpolation row and appends the grid to the timeline. */
  async sample(): Promise<void> {
    if (this.id === null || this.busy.images) return;
    this.busy.images = true;
    try {
      const { iteration, grid, interpolation } = await this.engine().ganImages(this.id);
      this.lastSample = iteration;
      const last = this.timeline.at(-1);
      if (!last || last.iteration !== iteration) this.timeline = thin([...this.timeline, { iteration, grid }]);
      this.interpolation = interpolation;
      this.host.requestUpdate();
    } catch (e) {
      this.fail(e instanceof Error ? e.message : String(e));
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
    if (this.id === null || !this.info) return;
    try {
      const params = await this.engine().ganParams(this.id);
      const files = ganToSafetensors(this.info.config, params, this.iterationsBefore + this.metrics.length);
      downloadBytes(files.generator, 'shaderprop-generator.safetensors');
      downloadBytes(files.discriminator, 'shaderprop-discriminator.safetensors');
    } catch (e) {
      this.qualityError = e instanceof Error ? e.message : String(e);
      this.host.requestUpdate();
    }
  }

  /** Asks the digit classifier about fresh samples (it trains itself on first use). */
  async checkQuality(): Promise<void> {
    if (this.id === null || this.busy.quality) return;
    this.busy.quality = true;
    this.lastQuality = this.metrics.length;
    try {
      this.quality = await this.engine().ganQuality(this.id);
      this.qualityError = null;
    } catch (e) {
      this.qualityError = e instanceof Error ? e.message : String(e);
    } finally {
      this.busy.quality = false;
      this.host.requestUpdate();
    }
  }
}

/** Keeps the first and the newest grids and every other one in between once the strip is full. */
function thin(timeline: GridSnapshot[]): GridSnapshot[] {
  if (timeline.length <= TIMELINE_LENGTH) return timeline;
  return timeline.filter((_, i) => i === 0 || i === timeline.length - 1 || i % 2 === 0);
}
