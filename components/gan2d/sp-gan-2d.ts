import { html, LitElement, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { BackendChoice } from '../../src/config/experiment.ts';
import type { Gan2dCompareSpec } from '../../src/gan2d/compare.ts';
import { DEFAULT_GAN2D, type Gan2dConfig } from '../../src/gan2d/config.ts';
import { MIN_DRAWN_POINTS, type Point2 } from '../../src/gan2d/datasets.ts';
import { decodeGan2dHash, encodeGan2dHash, GAN2D_HASH_KEYS } from '../../src/gan2d/url.ts';
import type { Gan2dFrame, Gan2dStepKind } from '../../src/worker/api.ts';
import { engineWorkerUrl } from '../../src/worker/worker-url.ts';
import { baseStyles, containerStyles, panelLayoutStyles } from '../shared/styles.ts';
import { ganStyles } from '../gan/gan-styles.ts';
import { gan2dStyles } from './gan2d-styles.ts';
import { themeColors } from '../shared/palette.ts';
import { VisibilityController } from '../shared/visibility-controller.ts';
import { planeColors } from './gan2d-draw.ts';
import { Gan2dController } from './gan2d-controller.ts';
import { COMPARE_KEY, compareHashParts, readCompareHash, renderCompare, renderCompareSwitch } from './gan2d-compare-mode.ts';
import { renderFigures } from './gan2d-figures.ts';
import './sp-gan-2d-charts.ts';
import './sp-gan-2d-options.ts';
import './sp-gan-2d-plane.ts';
import type { Gan2dDrawDetail, SpGan2dPlane } from './sp-gan-2d-plane.ts';
import type { Gan2dConfigDetail } from './sp-gan-2d-options.ts';

/** Keys of gan.html's own that may share the hash with the lab's (its MNIST / 2-D switch). */
export const GAN2D_PAGE_KEYS: readonly string[] = ['mode', COMPARE_KEY];

/** The speed control's choices in iterations per second; 0 is as fast as the backend goes. */
export const GAN2D_SPEEDS: readonly number[] = [0, 300, 100, 30, 10, 3];

/**
 * The 2-D GAN lab: a GAN trained on points of the plane in the engine worker, drawn live (D's
 * heatmap, real and fake points, G's manifold, the generator's push), with play, pause, single
 * iterations and D-only / G-only steps, a speed control, drawing your own data, its settings
 * (and with `url-state`, the page's link), the figures, the charts and a CSV of the samples.
 */
@customElement('sp-gan-2d')
export class SpGan2d extends LitElement {
  static override styles = [baseStyles, containerStyles, panelLayoutStyles, ganStyles, gan2dStyles];

  @property() backend: BackendChoice = 'auto';
  /** The settings as a link hash (e.g. `data=spiral&latent=1&seed=3`); read when the element connects. */
  @property() config: string | null = null;
  /** Read the settings from the page's hash and write them back on every change. */
  @property({ type: Boolean, attribute: 'url-state' }) urlState = false;
  /** As for `<sp-gan>` (the 2-D lab loads no data, but shares the worker that may). */
  @property() assets: string | null = null;
  @state() private settings: Gan2dConfig = DEFAULT_GAN2D;
  /** The reader's drawing: kept here whatever happens to the GAN, even with fewer than 8 points. */
  @state() private drawing: Point2[] = [];
  @state() private drawMode = false;
  @state() private speed = 0;
  /** A stored frame shown instead of the live ones while scrubbing the timeline; null: live. */
  @state() private scrubbed: Gan2dFrame | null = null;
  /** Messages about input that was not used (link values, a short drawing, invalid settings). */
  @state() private notices: string[] = [];
  @state() private compare: Gan2dCompareSpec | null = null;

  readonly gan = new Gan2dController(this, () => engineWorkerUrl(this.assets));
  /** Set when the lab paused itself because nobody could see it: it plays again once seen. */
  private pausedUnseen = false;
  // Like the playground: off screen or in a hidden tab the lab pauses, and resumes where it was.
  readonly visibility = new VisibilityController(this, (visible) => {
    if (!visible && this.gan.status === 'training') {
      this.pausedUnseen = true;
      void this.gan.pause();
    } else if (visible && this.pausedUnseen) {
      this.pausedUnseen = false;
      void this.gan.play(this.speed);
    }
  });

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.gan.status !== 'idle' || this.gan.info) return;
    const hash = this.urlState ? location.hash : (this.config ?? '');
    if (hash) {
      const { config, messages } = decodeGan2dHash(hash, DEFAULT_GAN2D, GAN2D_PAGE_KEYS);
      this.settings = config;
      this.drawing = [...config.drawn];
      ({ spec: this.compare, messages: this.notices } = readCompareHash(hash, config, messages));
    }
    this.build();
  }

  override firstUpdated(): void {
    const plane = this.renderRoot.querySelector<SpGan2dPlane>('sp-gan-2d-plane')!;
    this.gan.onFrame = (frame) => {
      if (!this.scrubbed) plane.show(frame);
    };
    if (this.gan.frame) plane.show(this.gan.frame);
  }

  override updated(changed: PropertyValues<this>): void {
    if (changed.has('backend') && changed.get('backend') !== undefined) this.build();
  }

  private build(): void {
    this.scrub(null);
    this.gan.build(this.settings, this.backend).catch((e: unknown) => (this.notices = [e instanceof Error ? e.message : String(e)]));
  }

  /** Takes a config that validated: rebuilds the GAN and, with url-state, writes the link. */
  private apply(config: Gan2dConfig): void {
    this.settings = config;
    this.notices = [];
    this.writeUrl();
    this.build();
  }

  private writeUrl(): void {
    if (!this.urlState) return;
    const others = [...new URLSearchParams(location.hash.slice(1))].filter(([k]) => !GAN2D_HASH_KEYS.includes(k) && k !== COMPARE_KEY);
    const parts = [...others.map(([k, v]) => `${k}=${encodeURIComponent(v)}`), encodeGan2dHash(this.settings), ...compareHashParts(this.compare)];
    history.replaceState(history.state, '', `#${parts.join('&')}`);
  }

  /** A finished stroke: 8 points or more train on the drawing; fewer keep it and say why. */
  private drawn(points: Point2[]): void {
    this.drawing = points;
    if (points.length < MIN_DRAWN_POINTS) {
      this.notices = [`Draw at least ${MIN_DRAWN_POINTS} points to train on your drawing: ${points.length} so far (kept).`];
      return;
    }
    this.apply({ ...this.settings, dataset: 'drawn', drawn: points });
  }

  private clearDrawing(): void {
    this.drawing = [];
    // The GAN keeps training on what it had; the link forgets the drawing only when it is not the data.
    if (this.settings.dataset !== 'drawn') this.apply({ ...this.settings, drawn: [] });
    else this.notices = [`Drawing cleared: draw at least ${MIN_DRAWN_POINTS} new points; the GAN keeps the last drawing until then.`];
  }

  /** Compare mode on or off (null); the single GAN pauses so that the variants get the worker. */
  private setCompare(spec: Gan2dCompareSpec | null): void {
    if (spec && this.gan.status === 'training') void this.gan.pause();
    [this.compare, this.pausedUnseen] = [spec, false];
    this.writeUrl();
  }

  private toggle(): void {
    this.pausedUnseen = false;
    if (this.gan.status === 'training') void this.gan.pause();
    else void this.gan.play(this.speed);
  }

  private async setSpeed(speed: number): Promise<void> {
    this.speed = speed;
    if (this.gan.status !== 'training') return;
    await this.gan.pause();
    void this.gan.play(speed);
  }

  private step(kind: Gan2dStepKind): void {
    void this.gan.step(kind);
  }

  /** Shows a stored frame (null: back to the live ones). */
  private scrub(frame: Gan2dFrame | null): void {
    this.scrubbed = frame;
    this.renderRoot.querySelector<SpGan2dPlane>('sp-gan-2d-plane')?.show(frame ?? this.gan.frame);
  }

  private renderTimeline() {
    const frames = this.gan.timeline;
    const at = this.scrubbed ? frames.indexOf(this.scrubbed) : -1;
    const shown = this.scrubbed;
    return html`
      <label for="timeline" class="muted">Timeline (${frames.length} stored frames)</label>
      <input
        id="timeline"
        data-testid="gan2d-timeline"
        type="range"
        min="0"
        max=${Math.max(0, frames.length - 1)}
        .value=${String(at >= 0 ? at : frames.length - 1)}
        ?disabled=${frames.length < 2}
        @input=${(e: Event) => {
          const i = Number((e.target as HTMLInputElement).value);
          this.scrub(i >= frames.length - 1 ? null : frames[i]!);
        }}
      />
      <p class="muted" data-testid="gan2d-timeline-shown">
        ${
          shown
            ? `Showing iteration ${shown.iteration} (KL ${shown.figures.kl.toFixed(3)}, JS ${shown.figures.js.toFixed(3)}${shown.figures.modes ? `, modes ${shown.figures.modes.covered}/${shown.figures.modes.total}` : ''}); the end of the slider is live.`
            : 'Live'
        }
      </p>
    `;
  }

  private renderBar() {
    const g = this.gan;
    const idle = g.status !== 'ready';
    return html`
      <div class="bar">
        <button class="primary" data-testid="gan2d-toggle" ?disabled=${g.status !== 'ready' && g.status !== 'training'} @click=${() => this.toggle()}>
          ${g.status === 'training' ? '❚❚ Pause' : '▶ Play'}
        </button>
        <button data-testid="gan2d-step" ?disabled=${idle} @click=${() => this.step('iteration')}>One iteration</button>
        <button data-testid="gan2d-step-d" ?disabled=${idle} @click=${() => this.step('discriminator')}>D only</button>
        <button data-testid="gan2d-step-g" ?disabled=${idle} @click=${() => this.step('generator')}>G only</button>
        <button data-testid="gan2d-reset" ?disabled=${g.status === 'building'} @click=${() => this.build()}>Reset</button>
      </div>
      <div class="bar">
        <label for="speed">Speed</label>
        <select
          id="speed"
          data-testid="gan2d-speed"
          .value=${String(this.speed)}
          @change=${(e: Event) => void this.setSpeed(Number((e.target as HTMLSelectElement).value))}
        >
          ${GAN2D_SPEEDS.map((s) => html`<option value=${s} ?selected=${s === this.speed}>${s === 0 ? 'As fast as it goes' : `${s} iterations/s`}</option>`)}
        </select>
        <label for="backend">Backend</label>
        <select
          id="backend"
          data-testid="gan2d-backend-choice"
          .value=${this.backend}
          ?disabled=${g.status === 'training' || g.status === 'building'}
          @change=${(e: Event) => (this.backend = (e.target as HTMLSelectElement).value as BackendChoice)}
        >
          <option value="auto" ?selected=${this.backend === 'auto'}>Auto (the faster, by a timed trial)</option>
          <option value="webgpu" ?selected=${this.backend === 'webgpu'}>WebGPU</option>
          <option value="cpu" ?selected=${this.backend === 'cpu'}>CPU</option>
          <option value="reference" ?selected=${this.backend === 'reference'}>CPU reference (float64, slow)</option>
        </select>
        ${renderCompareSwitch(this.compare !== null, (spec) => this.setCompare(spec))}
      </div>
    `;
  }

  override render() {
    const g = this.gan;
    const colors = planeColors(themeColors(this));
    return html`
      <div class="layout">
        <section class="panel" aria-label="2-D GAN plane and controls">
          ${this.renderBar()}
          <sp-gan-2d-plane
            .drawMode=${this.drawMode}
            .drawing=${this.drawing}
            @sp-gan2d-draw=${(e: CustomEvent<Gan2dDrawDetail>) => this.drawn(e.detail.points)}
          ></sp-gan-2d-plane>
          ${this.renderTimeline()}
          <p class="legend muted">
            <span style=${`color: ${colors.real}`}>●</span> real points · <span style=${`color: ${colors.fake}`}>■</span> fakes G(z) · grey lines: G's manifold
            · arrows: where G's loss pushes each fake · background: D's output (blue: says real, orange: says fake)
          </p>
          <div class="bar">
            <button data-testid="gan2d-draw" aria-pressed=${this.drawMode ? 'true' : 'false'} @click=${() => (this.drawMode = !this.drawMode)}>
              ${this.drawMode ? 'Done drawing' : '✎ Draw data'}
            </button>
            <button data-testid="gan2d-clear" ?disabled=${this.drawing.length === 0} @click=${() => this.clearDrawing()}>Clear drawing</button>
            <button data-testid="gan2d-samples-csv" ?disabled=${!g.info} @click=${() => void g.downloadCsv()}>Samples as CSV</button>
            <button data-testid="gan2d-export-pytorch" ?disabled=${!g.info} @click=${() => void g.downloadExport('script')}>PyTorch script</button>
            <button data-testid="gan2d-curve" ?disabled=${!g.info} @click=${() => void g.downloadExport('curve')}>Curve for --check</button>
          </div>
          ${this.notices.map((m) => html`<p class="error" role="status" data-testid="gan2d-message">${m}</p>`)}
          ${g.error ? html`<p class="error" role="alert" data-testid="gan2d-error">${g.error} The last good picture is kept; Reset starts again.</p>` : null}
          ${g.info?.fallbackReason ? html`<p class="muted">Running on the CPU: ${g.info.fallbackReason}</p>` : null} ${renderFigures(g, this.settings.dataset)}
          ${renderCompare(this.compare, this.settings, this.backend, this.assets, (spec) => this.setCompare(spec))}
        </section>
        <section class="panel" aria-label="2-D GAN settings and charts">
          <details open>
            <summary>Settings</summary>
            <sp-gan-2d-options
              .config=${this.settings}
              @sp-gan2d-config=${(e: CustomEvent<Gan2dConfigDetail>) => this.apply(e.detail.config)}
            ></sp-gan-2d-options>
          </details>
          <sp-gan-2d-charts .metrics=${g.metrics} .measures=${g.measures} ?rawScores=${this.settings.loss === 'least_squares'}></sp-gan-2d-charts>
        </section>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-gan-2d': SpGan2d;
  }
}
