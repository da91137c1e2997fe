import { css, html, LitElement } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { NeuronMaps } from '../../src/worker/api.ts';
import { baseStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';
import { mapColor, mapScale, paintMap } from './neuron-paint.ts';

/**
 * One neuron's map at a readable size, with its colour scale: what the unit (or output) computes
 * at every point of the input plane. Emits `sp-neuron-close` from its Close button.
 */
@customElement('sp-neuron-detail')
export class SpNeuronDetail extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        margin-top: 8px;
      }
      .body {
        display: flex;
        gap: 12px;
        align-items: flex-start;
        flex-wrap: wrap;
      }
      canvas.map {
        width: min(200px, 100%);
        aspect-ratio: 1;
        image-rendering: pixelated;
        border: 1px solid var(--sp-border);
      }
      .scale {
        display: grid;
        grid-template-columns: auto auto;
        gap: 2px 8px;
        font-size: 12px;
        font-variant-numeric: tabular-nums;
      }
      .bar {
        width: 14px;
        height: 120px;
        grid-row: 1 / 4;
        border: 1px solid var(--sp-border);
      }
      h3 {
        font-size: 14px;
        margin: 0 0 6px;
      }
    `,
  ];

  @property({ attribute: false }) maps: NeuronMaps | null = null;
  /** Which map: layer index into `maps.layers` (the last is the output) and unit. */
  @property({ type: Number }) layer = 0;
  @property({ type: Number }) unit = 0;
  /** What the unit is, e.g. "hidden layer 1, unit 3 (tanh)". */
  @property() heading = '';
  /** True for a classifier's outputs (probabilities, centred on ½). */
  @property({ type: Boolean }) probabilities = false;

  @query('canvas.map') private canvas!: HTMLCanvasElement;

  override updated(): void {
    const layer = this.maps?.layers[this.layer];
    if (layer && this.canvas) paintMap(this.canvas, layer, this.unit, this.maps!.resolution, this.probabilities);
  }

  override render() {
    const layer = this.maps?.layers[this.layer];
    if (!layer) return html``;
    const scale = mapScale(layer, this.probabilities);
    const [lo, hi] = [scale.centre - scale.half, scale.centre + scale.half];
    const stops = [1, 0.5, 0, -0.5, -1].map((t) => `rgb(${mapColor(scale.centre + t * scale.half, scale).join(' ')})`);
    return html`<section data-testid="neuron-detail" aria-label=${`Map of ${this.heading}`}>
      <h3>${this.heading}</h3>
      <div class="body">
        <canvas
          class="map"
          role="img"
          aria-label=${`${this.heading} over the input plane, from ${lo.toPrecision(3)} (orange) to ${hi.toPrecision(3)} (blue)`}
        ></canvas>
        <div class="scale" aria-hidden="true">
          <span class="bar" style="background: linear-gradient(${stops.join(', ')})"></span>
          <span>${hi.toPrecision(3)}</span>
          <span>${scale.centre.toPrecision(3)}</span>
          <span>${lo.toPrecision(3)}</span>
        </div>
      </div>
      <button @click=${() => emit(this, 'sp-neuron-close', null)}>Close</button>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-neuron-detail': SpNeuronDetail;
  }
}
