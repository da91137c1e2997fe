import { css, html, LitElement, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { BackendChoice } from '../../src/config/experiment.ts';
import { DEFAULT_COMPARE, GAN2D_COMPARE_KINDS, gan2dVariants, type Gan2dCompareKind, type Gan2dCompareSpec } from '../../src/gan2d/compare.ts';
import { DEFAULT_GAN2D, type Gan2dConfig } from '../../src/gan2d/config.ts';
import { engineWorkerUrl } from '../../src/worker/worker-url.ts';
import { emit } from '../shared/events.ts';
import { themeColors } from '../shared/palette.ts';
import { baseStyles, formStyles } from '../shared/styles.ts';
import { VisibilityController } from '../shared/visibility-controller.ts';
import { Gan2dCompareController } from './gan2d-compare-controller.ts';
import { drawPlane, planeColors } from './gan2d-draw.ts';

/** Canvas pixels per side of one small multiple; CSS scales it to its grid cell. */
export const VARIANT_PIXELS = 160;

/** What `sp-gan2d-compare` carries: a spec that made valid variants. */
export interface Gan2dCompareDetail {
  spec: Gan2dCompareSpec;
}

const KIND_NAMES: Record<Gan2dCompareKind, string> = {
  seed: 'Seeds',
  'lr-ratio': 'G:D learning-rate ratio',
  'd-steps': 'D steps per G step',
  loss: 'Loss',
};

/** A new kind's starting spec: a range that shows the kind's effect. */
const KIND_DEFAULTS: Record<Gan2dCompareKind, Gan2dCompareSpec> = {
  seed: DEFAULT_COMPARE,
  'lr-ratio': { kind: 'lr-ratio', count: 5, from: 0.1, to: 10 },
  'd-steps': { kind: 'd-steps', count: 5, from: 1, to: 5 },
  loss: { kind: 'loss', count: 3, from: 0, to: 0 },
};

const fixed = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(3));

/**
 * Compare mode of the 2-D lab: up to 8 variants of one GAN (other seeds, or a learning-rate
 * ratio, D steps or the loss varied) trained in turns in the worker and drawn as small
 * multiples, each with its modes covered, JS, KL and high-quality share. Emits
 * `sp-gan2d-compare` with each spec that validated (the lab puts it in the link).
 */
@customElement('sp-gan-2d-compare')
export class SpGan2dCompare extends LitElement {
  static override styles = [
    baseStyles,
    formStyles,
    css`
      :host {
        display: block;
      }
      .bar {
        display: flex;
        gap: 8px;
        flex-wrap: wrap;
        align-items: center;
        margin: 6px 0;
      }
      input[type='number'] {
        width: 5.5em;
      }
      .multiples {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(130px, 1fr));
        gap: 8px;
        margin: 8px 0;
      }
      figure {
        margin: 0;
        min-width: 0;
        font-size: 12px;
      }
      canvas {
        display: block;
        box-sizing: border-box;
        width: 100%;
        aspect-ratio: 1;
        border: 1px solid var(--sp-border);
        border-radius: 4px;
      }
      figcaption {
        font-weight: 600;
        margin: 2px 0;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0 6px;
        margin: 0;
      }
      dt {
        color: var(--sp-muted);
      }
      dd {
        margin: 0;
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  /** The base GAN every variant starts from. */
  @property({ attribute: false }) config: Gan2dConfig = DEFAULT_GAN2D;
  @property() backend: BackendChoice = 'auto';
  /** What varies; set from the link by the lab, changed by this element's own controls. */
  @property({ attribute: false }) spec: Gan2dCompareSpec = DEFAULT_COMPARE;
  @property() assets: string | null = null;
  /** Why the last edit of the controls was not used (the running set stays). */
  @state() private message: string | null = null;

  readonly set = new Gan2dCompareController(this, () => engineWorkerUrl(this.assets));
  /** Times all the small multiples were drawn (at most once per animation frame). */
  framesDrawn = 0;
  private raf: number | null = null;
  private pausedUnseen = false;
  readonly visibility = new VisibilityController(this, (visible) => {
    if (!visible && this.set.status === 'training') {
      this.pausedUnseen = true;
      void this.set.pause();
    } else if (visible && this.pausedUnseen) {
      this.pausedUnseen = false;
      void this.set.play();
    }
  });

  override firstUpdated(): void {
    this.set.onFrames = () => this.scheduleDraw();
  }

  // Built before rendering, so that the new set's labels and a cleared message show in the same update.
  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('config') || changed.has('spec') || changed.has('backend')) this.build();
  }

  override updated(): void {
    this.scheduleDraw();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.raf !== null) cancelAnimationFrame(this.raf);
    this.raf = null;
  }

  private build(): void {
    this.pausedUnseen = false;
    try {
      void this.set.build(this.config, this.spec, this.backend);
      this.message = null;
    } catch (e) {
      this.message = e instanceof Error ? e.message : String(e);
    }
  }

  private scheduleDraw(): void {
    if (this.raf !== null) return;
    this.raf = requestAnimationFrame(() => {
      this.raf = null;
      const canvases = this.renderRoot.querySelectorAll('canvas');
      const colors = planeColors(themeColors(this));
      this.set.variants.forEach((v, i) => {
        const ctx = canvases[i]?.getContext('2d');
        if (ctx) drawPlane(ctx, VARIANT_PIXELS, v.frame, colors, null);
      });
      this.framesDrawn++;
    });
  }

  /** Reads the four controls; a spec that makes valid variants replaces the running set, else its message shows. */
  private edit(kindChanged: boolean): void {
    const field = (id: string) => this.renderRoot.querySelector<HTMLInputElement | HTMLSelectElement>(`#${id}`)!.value;
    const kind = field('compare-kind') as Gan2dCompareKind;
    let spec: Gan2dCompareSpec = kindChanged
      ? KIND_DEFAULTS[kind]
      : { kind, count: Number(field('compare-count')), from: Number(field('compare-from')), to: Number(field('compare-to')) };
    if (kind === 'd-steps') spec = { ...spec, count: spec.to - spec.from + 1 };
    // The same spec again (a blur after a synthetic change, say) keeps the running set.
    if (JSON.stringify(spec) === JSON.stringify(this.spec)) {
      this.message = null;
      return;
    }
    try {
      gan2dVariants(this.config, spec);
    } catch (e) {
      this.message = e instanceof Error ? e.message : String(e);
      return;
    }
    this.spec = spec;
    emit(this, 'sp-gan2d-compare', { spec } satisfies Gan2dCompareDetail);
  }

  private renderControls() {
    const s = this.spec;
    const uses = { count: s.kind === 'seed' || s.kind === 'lr-ratio', range: s.kind === 'lr-ratio' || s.kind === 'd-steps' };
    const training = this.set.status === 'training';
    return html`
      <div class="bar">
        <label for="compare-kind">Vary</label>
        <select id="compare-kind" data-testid="gan2d-compare-kind" @change=${() => this.edit(true)}>
          ${GAN2D_COMPARE_KINDS.map((k) => html`<option value=${k} ?selected=${k === s.kind}>${KIND_NAMES[k]}</option>`)}
        </select>
        <label for="compare-count">Variants</label>
        <input
          id="compare-count"
          data-testid="gan2d-compare-count"
          type="number"
          min="2"
          max="8"
          step="1"
          .value=${String(s.count)}
          ?disabled=${!uses.count}
          @change=${() => this.edit(false)}
        />
      </div>
      <div class="bar">
        <label for="compare-from">From</label>
        <input
          id="compare-from"
          data-testid="gan2d-compare-from"
          type="number"
          .step=${'any'}
          .value=${String(s.from)}
          ?disabled=${!uses.range}
          @change=${() => this.edit(false)}
        />
        <label for="compare-to">to</label>
        <input
          id="compare-to"
          data-testid="gan2d-compare-to"
          type="number"
          .step=${'any'}
          .value=${String(s.to)}
          ?disabled=${!uses.range}
          @change=${() => this.edit(false)}
        />
        <button
          class="primary"
          data-testid="gan2d-compare-toggle"
          ?disabled=${this.set.status !== 'ready' && !training}
          @click=${() => {
            this.pausedUnseen = false;
            void (training ? this.set.pause() : this.set.play());
          }}
        >
          ${training ? '❚❚ Pause all' : '▶ Play all'}
        </button>
      </div>
      ${this.message ? html`<p class="error" role="status" data-testid="gan2d-compare-error">${this.message} The running variants are kept.</p>` : null}
    `;
  }

  override render() {
    const c = this.set;
    return html`
      ${this.renderControls()}
      <p class="muted" data-testid="gan2d-compare-status">
        ${c.status === 'building' ? 'Building the variants…' : `Iteration ${c.iteration}`}${c.iterationsPerSecond ? ` · ${c.iterationsPerSecond.toFixed(0)} iterations/s in all` : ''}${c.info ? ` · ${c.info.backendLabel}` : ''}
      </p>
      ${c.error ? html`<p class="error" role="alert">${c.error} The last good pictures are kept.</p>` : null}
      <div class="multiples">
        ${c.variants.map(
          (v) => html`
            <figure data-testid="gan2d-variant" data-label=${v.label}>
              <canvas
                width=${VARIANT_PIXELS}
                height=${VARIANT_PIXELS}
                role="img"
                aria-label=${`${v.label}: real points (blue dots), fakes (orange squares), D's output behind`}
              ></canvas>
              <figcaption>${v.label}</figcaption>
              <dl>
                <dt>Modes</dt>
                <dd data-testid="gan2d-variant-modes">${v.frame?.figures.modes ? `${v.frame.figures.modes.covered}/${v.frame.figures.modes.total}` : '–'}</dd>
                <dt>JS</dt>
                <dd data-testid="gan2d-variant-js">${fixed(v.frame?.figures.js)}</dd>
                <dt>KL</dt>
                <dd data-testid="gan2d-variant-kl">${fixed(v.frame?.figures.kl)}</dd>
                <dt>Quality</dt>
                <dd data-testid="gan2d-variant-quality">${v.frame?.figures.quality == null ? '–' : v.frame.figures.quality.toFixed(2)}</dd>
              </dl>
              ${v.error ? html`<p class="error" data-testid="gan2d-variant-error">${v.error}${v.frame ? ' (last frame kept)' : ''}</p>` : null}
            </figure>
          `,
        )}
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-gan-2d-compare': SpGan2dCompare;
  }
}
