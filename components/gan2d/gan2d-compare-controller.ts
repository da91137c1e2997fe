// Connects <sp-gan-2d-compare> to a compare set of the engine worker (src/worker/gan2d-compare-engine.ts).
import type { ReactiveControllerHost } from 'lit';
import type { BackendChoice } from '../../src/config/experiment.ts';
import { gan2dVariants, type Gan2dCompareSpec } from '../../src/gan2d/compare.ts';
import type { Gan2dConfig } from '../../src/gan2d/config.ts';
import type { Gan2dEvent, Gan2dFrame, Gan2dInfo, Gan2dVariantFrame } from '../../src/worker/api.ts';
import { messageOf, RunTracker, WorkerController, type ControllerState, type ControllerStatus } from '../shared/worker-controller.ts';
import { PLAY_ITERATIONS } from './gan2d-controller.ts';

/** What the compare view shows. */
export interface Gan2dCompareState extends ControllerState {
  info: Gan2dInfo | null;
  /** Every variant: its label, its message if it stopped, and its last good frame. */
  variants: Gan2dVariantFrame[];
  /** Iterations of the furthest variant. */
  iteration: number;
  /** Iterations per second of all variants together while playing. */
  iterationsPerSecond: number;
}

const NO_SET: Gan2dCompareState = { status: 'idle', error: null, info: null, variants: [], iteration: 0, iterationsPerSecond: 0 };

const finite = (f: Gan2dFrame) => [f.field, f.fake].every((a) => a.every(Number.isFinite));

/**
 * Builds the compare set in the worker, plays and pauses it, and fetches every variant's frame at
 * most once per animation frame with one fetch in flight, as Gan2dController does for one GAN.
 * A variant's last good frame stays when its next one is not finite or it failed.
 */
export class Gan2dCompareController extends WorkerController<Gan2dCompareState> implements Gan2dCompareState {
  declare readonly status: ControllerStatus;
  declare readonly error: string | null;
  declare readonly info: Gan2dInfo | null;
  declare readonly variants: Gan2dVariantFrame[];
  declare readonly iteration: number;
  declare readonly iterationsPerSecond: number;
  /** Called with the variants after each fetch (the element draws them on the next animation frame). */
  onFrames: (variants: Gan2dVariantFrame[]) => void = () => undefined;
  private id: number | null = null;
  private generation = 0;
  private request: { config: Gan2dConfig; spec: Gan2dCompareSpec; backend: BackendChoice } | null = null;
  private readonly runs = new RunTracker();
  private wantFrames = false;
  private fetching = false;
  private raf: number | null = null;
  private runStart = { time: 0, iteration: 0 };

  constructor(host: ReactiveControllerHost, workerUrl: URL | (() => URL)) {
    super(host, workerUrl, NO_SET);
  }

  private drop(): void {
    const id = this.id;
    this.id = null;
    this.generation++;
    this.runs.end();
    if (id !== null)
      this.liveClient()
        ?.disposeGan2d(id)
        .catch(() => undefined);
  }

  protected override async release(): Promise<void> {
    this.drop();
    this.patch(NO_SET);
  }

  protected override async restore(): Promise<void> {
    if (this.request) await this.build(this.request.config, this.request.spec, this.request.backend);
  }

  /** Builds a new set (the previous one is freed); a bad spec throws its ConfigError and changes nothing. */
  async build(config: Gan2dConfig, spec: Gan2dCompareSpec, backend: BackendChoice): Promise<void> {
    const labels = gan2dVariants(config, spec).map((v) => v.label);
    this.drop();
    this.request = { config, spec, backend };
    const generation = this.generation;
    this.patch({ ...NO_SET, status: 'building', variants: labels.map((label) => ({ label, error: null, frame: null })) });
    try {
      const { id, info } = await this.engine().createGan2dCompare(config, spec, backend);
      if (generation !== this.generation) {
        this.liveClient()
          ?.disposeGan2d(id)
          .catch(() => undefined);
        return;
      }
      this.id = id;
      this.patch({ info, status: 'ready' });
      this.requestFrames();
    } catch (e) {
      if (generation === this.generation) this.fail(e);
    }
  }

  /** Trains every variant until paused, as fast as it goes. */
  async play(): Promise<void> {
    const id = this.id;
    if (id === null || this.status !== 'ready') return;
    this.runStart = { time: performance.now(), iteration: this.iteration };
    this.patch({ status: 'training' });
    await this.runs.launch<Gan2dEvent>(
      (onEvent) => this.engine().startGan2d(id, PLAY_ITERATIONS, 0, onEvent),
      (e) => this.onEvent(e),
      (e) => this.fail(e),
    );
  }

  /** Stops after the turn in flight; resolves once the stop event is in. */
  async pause(): Promise<void> {
    const id = this.id;
    if (id === null || !this.runs.token() || this.status !== 'training') return;
    if (
      (await this.runs.stop(
        () => this.engine().pauseGan2d(id),
        5000,
        (e) => this.fail(e),
      )) === 'forced'
    )
      this.patch({ status: 'ready' });
  }

  private onEvent(e: Gan2dEvent): void {
    if (e.type === 'chunk') {
      const seconds = (performance.now() - this.runStart.time) / 1000;
      const trained = (e.iteration - this.runStart.iteration) * this.variants.filter((v) => v.error === null).length;
      this.patchSoon({ iteration: e.iteration, ...(seconds > 0 ? { iterationsPerSecond: trained / seconds } : {}) });
      this.requestFrames();
    } else {
      this.runs.end();
      if (e.type === 'stopped') this.patch({ status: 'ready', iteration: e.iteration });
      else this.fail(e.message);
      this.requestFrames();
    }
  }

  /** Asks for frames on the next animation frame (several asks before it collapse into one fetch). */
  requestFrames(): void {
    this.wantFrames = true;
    if (this.raf === null) this.raf = requestAnimationFrame(() => void this.tick());
  }

  private async tick(): Promise<void> {
    this.raf = null;
    const id = this.id;
    if (!this.wantFrames || id === null || this.fetching) return;
    this.wantFrames = false;
    this.fetching = true;
    try {
      const { variants } = await this.engine().gan2dCompareFrames(id);
      if (id !== this.id) return;
      // A variant keeps its last good frame when it failed or its new one is not finite.
      const merged = variants.map((v, i) => ({ ...v, frame: v.frame && finite(v.frame) ? v.frame : (this.variants[i]?.frame ?? null) }));
      this.onFrames(merged);
      this.patchSoon({ variants: merged });
    } catch (e) {
      if (id === this.id && this.status !== 'error') this.fail(`Drawing failed: ${messageOf(e)}`);
    } finally {
      this.fetching = false;
      if (this.wantFrames) this.requestFrames();
    }
  }
}
