import { html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { BackendChoice } from '../../src/config/experiment.ts';
import type { GanConfig } from '../../src/worker/api.ts';
import { downloadBytes } from '../shared/download.ts';
import { GanController } from './gan-controller.ts';
import './sp-class-histogram.ts';
import './sp-gan-options.ts';
import './sp-gan-export.ts';
import type { GanLoadDetail } from './sp-gan-export.ts';
import './sp-sample-grid.ts';
import '../charts/sp-series-chart.ts';
import { baseStyles, containerStyles, panelLayoutStyles } from '../shared/styles.ts';
import { ganStyles } from './gan-styles.ts';
import { runAnnouncement } from '../shared/announcements.ts';
import { engineWorkerUrl } from '../../src/worker/worker-url.ts';

/** The y range of the discriminator-output chart: D(x) and D(G(z)) are probabilities. */
const PROBABILITY_RANGE: [number, number] = [0, 1];

/**
 * The GAN lab: trains the article's generator and discriminator on MNIST in the engine worker
 * and shows a fixed grid of latent vectors turning into digits, a scrubbable timeline of earlier
 * grids, an interpolation row, the losses, D(x) and D(G(z)), and a digit classifier's class
 * histogram of fresh samples (mode collapse shows as a few tall bars).
 */
@customElement('sp-gan')
export class SpGan extends LitElement {
  static override styles = [baseStyles, containerStyles, panelLayoutStyles, ganStyles];

  /** Iterations a press of Train runs. */
  @property({ type: Number }) iterations = 5000;
  @property() backend: BackendChoice = 'auto';
  /** The folder holding MNIST's files (relative to the page); default: data/ beside shaderprop.js. Read when the worker starts. */
  @property() assets: string | null = null;
  @state() private scrub: number | null = null;
  /** What the polite live region last said, and the status it saw. */
  private announcement = '';
  private announcedStatus: GanController['status'] = 'idle';
  /** The iteration a press of Train runs to (play() trains `iterations` more). */
  private runTarget = 0;

  private readonly gan = new GanController(this, () => engineWorkerUrl(this.assets));
  private config: GanConfig | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.gan.build(this.config, this.backend);
  }

  private rebuild(config: GanConfig): void {
    this.config = config;
    this.scrub = null;
    void this.gan.build(config, this.backend);
  }

  /** Rebuilds the GAN the loaded "Save G and D" files belong to, starting from their weights. */
  private loadNetworks(loaded: GanLoadDetail): void {
    this.config = loaded.config;
    this.scrub = null;
    void this.gan.build(loaded.config, this.backend, loaded);
  }

  /** Rebuilds on another backend; untouched settings follow its preset (the article's on a GPU, the small one on the CPU). */
  private chooseBackend(backend: BackendChoice): void {
    this.backend = backend;
    this.scrub = null;
    void this.gan.build(this.config, backend);
  }

  /** Reset: the same settings from new weights; after a failed build (no GAN yet), a new try. */
  private reset(): void {
    const config = this.config ?? this.gan.info?.config ?? null;
    if (config) this.rebuild(config);
    else void this.gan.build(null, this.backend);
  }

  /** Downloads the sample grid on screen as a PNG, scaled up so the digits are legible. */
  private exportPng(): void {
    const canvas = this.renderRoot.querySelector<HTMLElement>('[data-testid="gan-grid"]')?.shadowRoot?.querySelector('canvas');
    if (!canvas) return;
    const scaled = document.createElement('canvas');
    [scaled.width, scaled.height] = [canvas.width * 4, canvas.height * 4];
    const ctx = scaled.getContext('2d')!;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(canvas, 0, 0, scaled.width, scaled.height);
    scaled.toBlob((blob) => {
      if (!blob) return;
      void blob.arrayBuffer().then((bytes) => downloadBytes(new Uint8Array(bytes), 'shaderprop-gan-samples.png', 'image/png'));
    }, 'image/png');
  }

  private toggle(): void {
    const g = this.gan;
    if (g.status === 'training') {
      void g.pause();
      return;
    }
    this.runTarget = g.metrics.length + this.iterations;
    void g.play(this.iterations);
  }

  private renderStatus() {
    const g = this.gan;
    const last = g.metrics.at(-1);
    return html`
      <dl>
        <dt>Backend</dt>
        <dd data-testid="gan-backend">${g.info?.backendLabel ?? (g.status === 'building' ? 'loading MNIST…' : '–')}</dd>
        <dt>Iteration</dt>
        <dd data-testid="gan-step"><span data-testid="gan-iteration">${g.metrics.length}</span></dd>
        <dt>Iterations per second</dt>
        <dd>${g.iterationsPerSecond ? g.iterationsPerSecond.toFixed(1) : '–'}</dd>
        <dt>D loss / G loss</dt>
        <dd>${last ? `${last.dLoss.toFixed(3)} / ${last.gLoss.toFixed(3)}` : '–'}</dd>
        <dt>D(x) / D(G(z))</dt>
        <dd>${last ? `${last.dReal.toFixed(3)} / ${last.dFake.toFixed(3)}` : '–'}</dd>
      </dl>
      ${g.info?.fallbackReason ? html`<p class="muted" data-testid="gan-fallback-reason">Running on the CPU with the small preset: ${g.info.fallbackReason}</p>` : null}
      ${g.error ? html`<p class="error" role="alert">${g.error}</p>` : null}
    `;
  }

  private renderGrids() {
    const g = this.gan;
    const shown = this.scrub === null ? g.timeline.at(-1) : g.timeline[this.scrub];
    return html`
      <h2>Fixed latent vectors${shown ? ` · iteration ${shown.iteration}` : ''}</h2>
      <div data-testid="gan-samples">
        <sp-sample-grid
          data-testid="gan-grid"
          .images=${shown?.grid ?? null}
          columns="8"
          caption=${`generated digits from fixed latent vectors${shown ? `, at iteration ${shown.iteration}` : ', none drawn yet'}`}
        ></sp-sample-grid>
      </div>
      <label for="scrub" class="muted">Timeline (${g.timeline.length} grids)</label>
      <input
        id="scrub"
        data-testid="gan-timeline"
        type="range"
        min="0"
        max=${Math.max(0, g.timeline.length - 1)}
        .value=${String(this.scrub ?? g.timeline.length - 1)}
        ?disabled=${g.timeline.length < 2}
        aria-label="Scrub through earlier grids"
        @input=${(e: Event) => {
          const v = Number((e.target as HTMLInputElement).value);
          this.scrub = v === g.timeline.length - 1 ? null : v;
        }}
      />
      <h2>Interpolation between two latent vectors</h2>
      <sp-sample-grid .images=${g.interpolation} columns="10" caption="digits along a line between two latent vectors"></sp-sample-grid>
    `;
  }

  override willUpdate(): void {
    const g = this.gan;
    const last = g.metrics.at(-1);
    const said = runAnnouncement(this.announcedStatus, {
      status: g.status,
      done: g.metrics.length,
      target: this.runTarget,
      unit: 'iteration',
      loss: last ? { name: 'G loss', value: last.gLoss } : null,
      notice: null,
      error: g.error,
      stoppedEarly: false,
    });
    if (said) this.announcement = said;
    this.announcedStatus = g.status;
  }

  override render() {
    const g = this.gan;
    const m = g.metrics;
    return html`
      <p class="sr-only" role="status" aria-live="polite" data-testid="announcement">${this.announcement}</p>
      <div class="layout">
        <section class="panel" aria-label="GAN controls">
          <div class="bar">
            <button class="primary" data-testid="gan-toggle" ?disabled=${g.status !== 'ready' && g.status !== 'training'} @click=${() => this.toggle()}>
              ${g.status === 'training' ? '❚❚ Pause' : '▶ Train'}
            </button>
            <button data-testid="gan-reset" @click=${() => this.reset()} ?disabled=${!g.info && g.status !== 'error'}>
              ${g.status === 'error' && !g.info ? 'Try again' : 'Reset'}
            </button>
            <button data-testid="gan-save" @click=${() => g.saveNetworks()} ?disabled=${g.status !== 'ready'}>Save G and D</button>
            <button data-testid="gan-png" @click=${() => this.exportPng()} ?disabled=${!g.timeline.length}>Samples as PNG</button>
          </div>
          <div class="bar">
            <label for="gan-backend-choice">Backend</label>
            <select
              id="gan-backend-choice"
              data-testid="gan-backend-choice"
              .value=${this.backend}
              ?disabled=${g.status === 'training' || g.status === 'building'}
              @change=${(e: Event) => this.chooseBackend((e.target as HTMLSelectElement).value as BackendChoice)}
            >
              <option value="auto">Auto (the faster, by a timed trial)</option>
              <option value="webgpu">WebGPU</option>
              <option value="cpu">CPU</option>
              <option value="reference">CPU reference (float64, slow)</option>
            </select>
          </div>
          <sp-gan-export
            .config=${this.config ?? g.info?.config ?? null}
            ?busy=${g.status === 'training'}
            @sp-gan-load=${(e: CustomEvent<GanLoadDetail>) => this.loadNetworks(e.detail)}
          ></sp-gan-export>
          ${this.renderStatus()}
          ${
            g.info
              ? html`<details>
                  <summary>Settings</summary>
                  <sp-gan-options
                    .config=${this.config ?? g.info.config}
                    @sp-gan-config=${(e: CustomEvent<{ config: GanConfig }>) => this.rebuild(e.detail.config)}
                  ></sp-gan-options>
                </details>`
              : null
          }
          <h2>What a digit classifier sees</h2>
          <sp-class-histogram data-testid="gan-histogram" .counts=${g.quality?.histogram ?? new Array(10).fill(0)}></sp-class-histogram>
          <p class="muted" data-testid="gan-quality">
            ${
              g.quality
                ? `${g.quality.samples} fresh samples, mean confidence ${g.quality.meanConfidence.toFixed(2)} (classifier test accuracy ${g.quality.classifierAccuracy.toFixed(3)})`
                : `The histogram appears every ${g.qualityEvery} iterations of training, or now with Check now (a digit classifier trains once, on MNIST, the first time).`
            }
          </p>
          ${g.qualityError ? html`<p class="error" role="status">${g.qualityError}</p>` : null}
          <button data-testid="gan-check" ?disabled=${!g.info} @click=${() => g.checkQuality()}>Check now</button>
        </section>
        <section class="panel" aria-label="Samples and charts">
          ${this.renderGrids()}
          <h2>Losses</h2>
          <sp-series-chart
            yLabel="loss"
            .series=${[
              { label: 'D loss', values: m.map((x) => x.dLoss) },
              { label: 'G loss', values: m.map((x) => x.gLoss) },
            ]}
          ></sp-series-chart>
          <h2>Discriminator outputs</h2>
          <sp-series-chart
            yLabel="mean probability"
            .yRange=${PROBABILITY_RANGE}
            .series=${[
              { label: 'D(x), real', values: m.map((x) => x.dReal) },
              { label: 'D(G(z)), fake', values: m.map((x) => x.dFake) },
            ]}
          ></sp-series-chart>
        </section>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-gan': SpGan;
  }
}
