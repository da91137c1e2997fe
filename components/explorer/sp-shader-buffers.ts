import { css, html, LitElement, nothing, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { BufferSnapshot, Histogram } from '../../src/explorer/snapshot.ts';
import { PALETTE } from '../shared/palette.ts';
import { baseStyles, containerStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';

const KINDS = [
  { key: 'weights', title: 'weights', color: PALETTE[0]! },
  { key: 'gradients', title: 'weight gradients', color: PALETTE[3]! },
  { key: 'activations', title: 'activations (last batch)', color: PALETTE[2]! },
] as const;

/**
 * The buffer inspector: per-layer histograms of weights, weight gradients and activations from
 * one snapshot read back from the GPU, drawn as SVG bars with min, max, mean and σ. Until there
 * is a GPU to read (`waiting`), its button is disabled and says why. Emits
 * `sp-snapshot-request` (and the deprecated `snapshot-request`) when its button is pressed.
 */
@customElement('sp-shader-buffers')
export class SpShaderBuffers extends LitElement {
  static override styles = [
    baseStyles,
    containerStyles,
    css`
      .grid {
        display: grid;
        grid-template-columns: auto repeat(3, minmax(0, 1fr));
        gap: 8px 16px;
        align-items: start;
      }
      .grid > * {
        min-width: 0;
        overflow-wrap: anywhere;
      }
      /* Narrow (a phone): each layer's name on a row of its own, its three histograms below. */
      @container (max-width: 520px) {
        .grid {
          grid-template-columns: repeat(3, minmax(0, 1fr));
          gap: 6px 10px;
        }
        .corner {
          display: none;
        }
        .layer {
          grid-column: 1 / -1;
        }
      }
      .head {
        color: var(--sp-muted);
        font-size: 13px;
        font-weight: 600;
      }
      figure {
        margin: 0;
      }
      figcaption {
        font-size: 11.5px;
        color: var(--sp-muted);
        font-variant-numeric: tabular-nums;
      }
      svg {
        width: 100%;
        height: 56px;
        display: block;
        background: var(--sp-panel);
        border-radius: 4px;
      }
      .bad {
        color: var(--sp-error);
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
        margin-bottom: 8px;
      }
    `,
  ];

  @property({ attribute: false }) snapshot: BufferSnapshot | null = null;
  /** True while a snapshot is being read back. */
  @property({ type: Boolean }) busy = false;
  /** Why no snapshot can be taken yet (e.g. "waiting for the GPU device…"); the button is disabled meanwhile. */
  @property({ attribute: false }) waiting: string | null = null;

  private request(): void {
    emit(this, 'sp-snapshot-request', null);
  }

  private histogram(h: Histogram, color: string, label: string) {
    const max = Math.max(1, ...h.bins);
    const w = 100 / h.bins.length;
    return html`<figure data-testid="histogram">
      <svg viewBox="0 0 100 40" preserveAspectRatio="none" role="img" aria-label=${`${label}: ${h.count} values from ${fmt(h.min)} to ${fmt(h.max)}`}>
        ${h.bins.map((c, i) => svg`<rect x=${i * w + 0.15} width=${w - 0.3} y=${40 - (c / max) * 40} height=${(c / max) * 40} fill=${color}></rect>`)}
      </svg>
      <figcaption>
        ${fmt(h.min)} … ${fmt(h.max)} · mean ${fmt(h.mean)} · σ ${fmt(h.std)} ${h.nonFinite ? html`<span class="bad"> · ${h.nonFinite} NaN/∞</span>` : nothing}
      </figcaption>
    </figure>`;
  }

  override render() {
    const s = this.snapshot;
    return html`
      <div class="bar">
        <button data-testid="take-snapshot" ?disabled=${this.busy || this.waiting !== null} @click=${this.request}>
          ${this.busy ? 'Reading buffers…' : 'Take snapshot'}
        </button>
        <span class="muted" data-testid="snapshot-step">${s ? `after step ${s.step}` : 'no snapshot yet'}</span>
        ${this.waiting ? html`<span class="muted" data-testid="snapshot-waiting">Snapshots read the GPU's buffers: ${this.waiting}</span>` : nothing}
      </div>
      ${
        s
          ? html`<div class="grid">
              <div class="corner"></div>
              ${KINDS.map((k) => html`<div class="head">${k.title}</div>`)}
              ${s.layers.map(
                (l) =>
                  html`<div class="head layer">layer ${l.layer}<br /><span class="muted">${l.title}</span></div>
                    ${KINDS.map((k) => this.histogram(l[k.key], k.color, `layer ${l.layer} ${k.title}`))}`,
              )}
            </div>`
          : nothing
      }
    `;
  }
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e4) ? v.toExponential(1) : v.toFixed(3);
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-shader-buffers': SpShaderBuffers;
  }
}
