// Connects <sp-gan-2d> to a 2-D GAN session of the engine worker (src/worker/gan2d-engine.ts).
import type { ReactiveControllerHost } from 'lit';
import type { BackendChoice } from '../../src/config/experiment.ts';
import { validateGan2dConfig, type Gan2dConfig } from '../../src/gan2d/config.ts';
import type { Gan2dEvent, Gan2dFigures, Gan2dFrame, Gan2dInfo, Gan2dStepKind, GanMetric } from '../../src/worker/api.ts';
import { gan2dPytorchScript } from '../../src/io/export-gan2d-pytorch.ts';
import { downloadText } from '../shared/download.ts';
import type { ControllerState, ControllerStatus } from '../shared/worker-controller.ts';
import { Gan2dSession } from './gan2d-session.ts';
import { appendMetrics, type Gan2dMetricPoint } from './metric-series.ts';

/** The figures of one frame at its iteration: KL and JS (the charts' third panel), and on the mixtures the modes and quality (the fourth). */
export interface Gan2dMeasurePoint {
  iteration: number;
  kl: number;
  js: number;
  /** Share of the modes covered (covered ÷ total); null on a data set without modes. */
  modes: number | null;
  /** High-quality share; null on a data set without modes. */
  quality: number | null;
}

/** What the 2-D lab shows besides the plane. */
export interface Gan2dState extends ControllerState {
  info: Gan2dInfo | null;
  /** Iterations trained (D-only and G-only steps are counted apart, in `partSteps`). */
  iteration: number;
  /** The last iteration's metrics. */
  last: GanMetric | null;
  /** The metrics for the charts: every iteration at first, neighbours merged into their mean past METRICS_KEPT. */
  metrics: Gan2dMetricPoint[];
  figures: Gan2dFigures | null;
  measures: Gan2dMeasurePoint[];
  /** Frames kept for scrubbing back: the first, then one every `storeEvery` iterations, thinned past TIMELINE_LENGTH. */
  timeline: Gan2dFrame[];
  /** D-only and G-only steps taken (not iterations). */
  partSteps: { d: number; g: number };
  iterationsPerSecond: number;
  /** Frames drawn in the last second while training. */
  framesPerSecond: number;
}

const NO_GAN: Gan2dState = {
  status: 'idle',
  error: null,
  info: null,
  iteration: 0,
  last: null,
  metrics: [],
  figures: null,
  measures: [],
  timeline: [],
  partSteps: { d: 0, g: 0 },
  iterationsPerSecond: 0,
  framesPerSecond: 0,
};

/** KL/JS points kept for the chart; older ones are thinned out. */
const MEASURES_KEPT = 2000;
/** Frames kept on the timeline (about 25 kB each); older ones are thinned out. */
export const TIMELINE_LENGTH = 48;

/** True when every number of a frame is finite: a frame of a diverged GAN is not drawn. */
function finiteFrame(f: Gan2dFrame): boolean {
  return [f.field, f.manifold, f.fake, f.push].every((a) => a.every(Number.isFinite));
}

/** The GAN a build asked for: a reconnect builds it again. */
interface Gan2dRequest {
  config: Gan2dConfig;
  backend: BackendChoice;
}

/**
 * Builds one 2-D GAN in the worker, plays and pauses it, steps it, and fetches its frames (see
 * Gan2dSession). The last good frame stays when something fails (NaN, a lost device, a dead
 * worker); figures and charts redraw at most every 100 ms.
 */
export class Gan2dController extends Gan2dSession<Gan2dState, Gan2dRequest> implements Gan2dState {
  declare readonly status: ControllerStatus;
  declare readonly error: string | null;
  declare readonly info: Gan2dInfo | null;
  declare readonly iteration: number;
  declare readonly last: GanMetric | null;
  declare readonly metrics: Gan2dMetricPoint[];
  declare readonly figures: Gan2dFigures | null;
  declare readonly measures: Gan2dMeasurePoint[];
  declare readonly timeline: Gan2dFrame[];
  declare readonly partSteps: { d: number; g: number };
  declare readonly iterationsPerSecond: number;
  declare readonly framesPerSecond: number;
  /** The last good frame (kept across failures and rebuilds until a new one arrives). */
  frame: Gan2dFrame | null = null;
  /** Iterations between two frames stored on the timeline (the first frame and every paused one are stored too). */
  storeEvery = 100;
  /** Called with each new frame (the plane draws it on the next animation frame). */
  onFrame: (frame: Gan2dFrame) => void = () => undefined;
  private runStart = { time: 0, iteration: 0 };
  private frameTimes: number[] = [];

  constructor(host: ReactiveControllerHost, workerUrl: URL | (() => URL)) {
    super(host, workerUrl, NO_GAN);
  }

  protected rebuild(request: Gan2dRequest): Promise<void> {
    return this.build(request.config, request.backend);
  }

  /** Builds a new GAN (the previous one is freed); a config that does not validate throws its ConfigError and changes nothing. */
  async build(config: Gan2dConfig, backend: BackendChoice): Promise<void> {
    validateGan2dConfig(config);
    await this.replace({ config, backend }, {}, () => this.engine().createGan2d(config, backend));
  }

  /** Trains until paused, at about `perSecond` iterations a second (0: as fast as it goes). */
  async play(perSecond: number): Promise<void> {
    this.runStart = { time: performance.now(), iteration: this.iteration };
    this.frameTimes = [];
    await this.launch(perSecond, (e) => this.onEvent(e));
  }

  private onEvent(e: Gan2dEvent): void {
    if (e.type === 'chunk') {
      const metrics = appendMetrics(this.metrics, e.metrics, this.iteration);
      const iteration = this.iteration + e.metrics.length;
      const seconds = (performance.now() - this.runStart.time) / 1000;
      // The state moves now (the next event appends to it); the page redraws at most every 100 ms.
      this.patchSoon({
        metrics,
        iteration,
        last: e.metrics.at(-1) ?? this.last,
        ...(seconds > 0 ? { iterationsPerSecond: (iteration - this.runStart.iteration) / seconds } : {}),
      });
      this.requestFrame();
    } else if (e.type === 'stopped') {
      this.runs.end();
      this.patch({ status: 'ready' });
      this.requestFrame();
    } else {
      this.runs.end();
      this.fail(e.message);
    }
  }

  /** One iteration, or only D's steps, or only G's step. */
  async step(kind: Gan2dStepKind): Promise<void> {
    const id = this.id;
    if (id === null || this.status !== 'ready') return;
    try {
      const { metric } = await this.engine().stepGan2d(id, kind);
      if (id !== this.id) return;
      if (kind === 'iteration') this.patch({ metrics: appendMetrics(this.metrics, [metric], this.iteration), iteration: this.iteration + 1, last: metric });
      else this.patch({ partSteps: { ...this.partSteps, [kind === 'discriminator' ? 'd' : 'g']: this.partSteps[kind === 'discriminator' ? 'd' : 'g'] + 1 } });
      this.requestFrame();
    } catch (e) {
      if (id === this.id) this.fail(e);
    }
  }

  /** Downloads the real points and the fakes on screen as `x,y,kind` CSV. */
  async downloadCsv(): Promise<void> {
    const id = this.id;
    if (id === null) return;
    try {
      downloadText(await this.engine().gan2dCsv(id), 'shaderprop-gan2d-samples.csv', 'text/csv;charset=utf-8');
    } catch (e) {
      if (id === this.id) this.fail(e);
    }
  }

  /** Downloads the PyTorch script of this GAN (made here from the config) or the run's curve file for its `--check`. */
  async downloadExport(what: 'script' | 'curve'): Promise<void> {
    const id = this.id;
    if (id === null || !this.info) return;
    try {
      if (what === 'script') downloadText(gan2dPytorchScript(this.info.config), 'shaderprop_gan2d_pytorch.py', 'text/x-python');
      else downloadText(await this.engine().gan2dCurve(id), 'shaderprop-gan2d-curve.json', 'application/json');
    } catch (e) {
      if (id === this.id) this.fail(e);
    }
  }

  protected async fetchFrame(id: number): Promise<void> {
    const frame = await this.engine().gan2dFrame(id);
    if (id !== this.id) return;
    if (!finiteFrame(frame)) return; // the next chunk's divergence event says why
    this.frame = frame;
    this.onFrame(frame);
    this.countFrame();
    const { iteration, figures } = frame;
    const last = this.measures.at(-1);
    const measures =
      last?.iteration === iteration
        ? this.measures
        : thin([
            ...this.measures,
            { iteration, kl: figures.kl, js: figures.js, modes: figures.modes && figures.modes.covered / figures.modes.total, quality: figures.quality },
          ]);
    const stored = this.timeline.at(-1);
    const store = !stored || (iteration !== stored.iteration && (iteration - stored.iteration >= this.storeEvery || this.status !== 'training'));
    this.patchSoon({ figures, measures, ...(store ? { timeline: thin([...this.timeline, frame], TIMELINE_LENGTH) } : {}) });
  }

  private countFrame(): void {
    const now = performance.now();
    this.frameTimes = this.frameTimes.filter((t) => now - t < 1000);
    this.frameTimes.push(now);
    if (this.status === 'training') this.patchSoon({ framesPerSecond: this.frameTimes.length });
  }
}

/** Keeps the first and newest entries and every other one between once there are more than `kept`. */
function thin<T>(points: T[], kept = MEASURES_KEPT): T[] {
  if (points.length <= kept) return points;
  return points.filter((_, i) => i === 0 || i === points.length - 1 || i % 2 === 0);
}
