// Connects <sp-gan-2d-compare> to a compare set of the engine worker (src/worker/gan2d-compare-engine.ts).
import type { ReactiveControllerHost } from 'lit';
import type { BackendChoice } from '../../src/config/experiment.ts';
import { gan2dVariants, type Gan2dCompareSpec } from '../../src/gan2d/compare.ts';
import type { Gan2dConfig } from '../../src/gan2d/config.ts';
import type { Gan2dEvent, Gan2dFrame, Gan2dInfo, Gan2dVariantFrame } from '../../src/worker/api.ts';
import type { ControllerState, ControllerStatus } from '../shared/worker-controller.ts';
import { Gan2dSession } from './gan2d-session.ts';

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

/** The compare set a build asked for: a reconnect builds it again. */
interface Gan2dCompareRequest {
  config: Gan2dConfig;
  spec: Gan2dCompareSpec;
  backend: BackendChoice;
}

/**
 * Builds the compare set in the worker, plays and pauses it, and fetches every variant's frame
 * (see Gan2dSession). A variant's last good frame stays when its next one is not finite or it failed.
 */
export class Gan2dCompareController extends Gan2dSession<Gan2dCompareState, Gan2dCompareRequest> implements Gan2dCompareState {
  declare readonly status: ControllerStatus;
  declare readonly error: string | null;
  declare readonly info: Gan2dInfo | null;
  declare readonly variants: Gan2dVariantFrame[];
  declare readonly iteration: number;
  declare readonly iterationsPerSecond: number;
  /** Called with the variants after each fetch (the element draws them on the next animation frame). */
  onFrames: (variants: Gan2dVariantFrame[]) => void = () => undefined;
  private runStart = { time: 0, iteration: 0 };

  constructor(host: ReactiveControllerHost, workerUrl: URL | (() => URL)) {
    super(host, workerUrl, NO_SET);
  }

  protected rebuild(request: Gan2dCompareRequest): Promise<void> {
    return this.build(request.config, request.spec, request.backend);
  }

  /** Builds a new set (the previous one is freed); a bad spec throws its ConfigError and changes nothing. */
  async build(config: Gan2dConfig, spec: Gan2dCompareSpec, backend: BackendChoice): Promise<void> {
    const labels = gan2dVariants(config, spec).map((v) => v.label);
    const variants = labels.map((label) => ({ label, error: null, frame: null }));
    await this.replace({ config, spec, backend }, { variants }, () => this.engine().createGan2dCompare(config, spec, backend));
  }

  /** Trains every variant until paused, as fast as it goes. */
  async play(): Promise<void> {
    this.runStart = { time: performance.now(), iteration: this.iteration };
    await this.launch(0, (e) => this.onEvent(e));
  }

  private onEvent(e: Gan2dEvent): void {
    if (e.type === 'chunk') {
      const seconds = (performance.now() - this.runStart.time) / 1000;
      const trained = (e.iteration - this.runStart.iteration) * this.variants.filter((v) => v.error === null).length;
      this.patchSoon({ iteration: e.iteration, ...(seconds > 0 ? { iterationsPerSecond: trained / seconds } : {}) });
      this.requestFrame();
    } else {
      this.runs.end();
      if (e.type === 'stopped') this.patch({ status: 'ready', iteration: e.iteration });
      else this.fail(e.message);
      this.requestFrame();
    }
  }

  protected async fetchFrame(id: number): Promise<void> {
    const { variants } = await this.engine().gan2dCompareFrames(id);
    if (id !== this.id) return;
    // A variant keeps its last good frame when it failed or its new one is not finite.
    const merged = variants.map((v, i) => ({ ...v, frame: v.frame && finite(v.frame) ? v.frame : (this.variants[i]?.frame ?? null) }));
    this.onFrames(merged);
    this.patchSoon({ variants: merged });
  }
}
