import { css, html, LitElement, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { BoundaryGrid, SessionInfo } from '../../src/worker/api.ts';
import { classColor } from '../shared/palette.ts';
import { mapColor } from './neuron-paint.ts';
import { baseStyles } from '../shared/styles.ts';

/** Parses '#rrggbb' into [r, g, b]. */
function rgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/**
 * The decision boundary of a 2-D classifier: each grid cell coloured by its predicted class,
 * more opaque where the model is more confident, with the data points on top (filled for the
 * training split, ringed for validation and test). Whatever is slotted as `overlay` lies over
 * the plot at its size (the drawing plane in draw mode).
 */
@customElement('sp-decision-boundary')
export class SpDecisionBoundary extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .frame {
        position: relative;
        width: 100%;
        aspect-ratio: 1;
        max-width: 480px;
      }
      canvas {
        display: block;
        box-sizing: border-box;
        width: 100%;
        height: 100%;
        border: 1px solid var(--sp-border);
        border-radius: var(--sp-radius);
        background: var(--sp-bg);
      }
      /* A layer over the plot, the same size (the drawing plane in draw mode). */
      ::slotted([slot='overlay']) {
        position: absolute;
        inset: 0;
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 12px;
        margin-top: 6px;
        font-size: 12px;
      }
      .ramp {
        display: inline-block;
        width: 96px;
        height: 10px;
        border: 1px solid var(--sp-border);
      }
      .swatch {
        display: inline-block;
        width: 10px;
        height: 10px;
        border-radius: 50%;
        margin-right: 4px;
        vertical-align: -1px;
      }
    `,
  ];

  /** Latest predictions over the grid; null before the first one. */
  @property({ attribute: false }) grid: BoundaryGrid | null = null;
  /** The points to draw and the plot bounds. */
  @property({ attribute: false }) points: SessionInfo['points'] = null;
  @property({ attribute: false }) classNames: string[] = [];
  /** Names the plot for assistive technology, e.g. "Member 2". */
  @property() caption = 'Decision boundary';
  /** Regression: the target's range, which the predicted values and the points are coloured over; null for a classifier. */
  @property({ attribute: false }) valueRange: [number, number] | null = null;
  /** A thumbnail: no legend (e.g. one of several boundaries side by side). */
  @property({ type: Boolean }) compact = false;
  /** Optional weight per point (boosting's row weights, mean 1 over the training rows): a training point's area follows it. */
  @property({ attribute: false }) sizes: Float32Array | null = null;

  @query('canvas') private canvas!: HTMLCanvasElement;

  override updated(changed: PropertyValues<this>): void {
    if (changed.has('grid') || changed.has('points') || changed.has('sizes')) this.draw();
  }

  private draw(): void {
    const canvas = this.canvas;
    const ctx = canvas?.getContext('2d');
    if (!ctx || !this.points) return;
    const size = 480;
    canvas.width = size;
    canvas.height = size;
    ctx.clearRect(0, 0, size, size);
    if (this.grid) ctx.drawImage(this.heatmap(this.grid), 0, 0, size, size);
    const { features, labels, split, bounds } = this.points;
    const values = this.valueRange ? this.points.values : undefined;
    const sx = size / (bounds.xMax - bounds.xMin);
    const sy = size / (bounds.yMax - bounds.yMin);
    for (let i = 0; i < labels.length; i++) {
      const x = (features[i * 2]! - bounds.xMin) * sx;
      const y = (bounds.yMax - features[i * 2 + 1]!) * sy;
      ctx.beginPath();
      const w = this.sizes && split[i] === 0 ? this.sizes[i]! : 1;
      ctx.arc(x, y, Math.min(12, 3.2 * Math.sqrt(Math.max(w, 0.04))), 0, Math.PI * 2);
      const color = values ? `rgb(${mapColor(values[i]!, this.scale()).join(',')})` : classColor(labels[i]!);
      if (split[i] === 0) {
        ctx.fillStyle = color;
        ctx.fill();
        ctx.strokeStyle = 'rgba(0,0,0,0.55)';
        ctx.lineWidth = 0.8;
      } else {
        ctx.strokeStyle = color;
        ctx.lineWidth = 1.8;
      }
      ctx.stroke();
    }
  }

  /** The diverging colour scale of a regression target: orange at its smallest, blue at its largest. */
  private scale(): { centre: number; half: number } {
    const [lo, hi] = this.valueRange ?? [-1, 1];
    return { centre: (lo + hi) / 2, half: (hi - lo) / 2 || 1 };
  }

  /** One pixel per grid cell; the browser's smoothing interpolates when it is scaled up. */
  private heatmap(grid: BoundaryGrid): HTMLCanvasElement {
    const n = grid.resolution;
    const image = new ImageData(n, n);
    const chance = 1 / Math.max(2, this.classNames.length);
    const values = this.valueRange ? grid.values : undefined;
    for (let i = 0; i < n * n; i++) {
      if (values) {
        image.data.set([...mapColor(values[i]!, this.scale()), 150], i * 4);
        continue;
      }
      const [r, g, b] = rgb(classColor(grid.classes[i]!));
      const certainty = Math.min(1, Math.max(0, (grid.confidence[i]! - chance) / (1 - chance)));
      image.data.set([r, g, b, Math.round(255 * (0.12 + 0.43 * certainty))], i * 4);
    }
    const off = document.createElement('canvas');
    off.width = n;
    off.height = n;
    off.getContext('2d')!.putImageData(image, 0, 0);
    return off;
  }

  /** Words for the canvas: how much of the plane each class takes now. */
  private summary(points: number): string {
    const grid = this.grid;
    if (!grid) return `${this.caption}: not predicted yet; ${points} data points`;
    if (grid.values) {
      const v = grid.values;
      const [lo, hi] = v.reduce(([a, b], x) => [Math.min(a, x), Math.max(b, x)], [Infinity, -Infinity]);
      return `${this.caption}: predicted value over the plane, from ${fmt(lo)} to ${fmt(hi)}; ${points} data points`;
    }
    const counts = new Map<number, number>();
    for (const c of grid.classes) counts.set(c, (counts.get(c) ?? 0) + 1);
    const shares = [...counts]
      .sort((a, b) => a[0] - b[0])
      .map(([c, n]) => `${this.classNames[c] ?? `class ${c}`} ${Math.round((100 * n) / grid.classes.length)}%`);
    return `${this.caption}: predicted class over the plane, ${shares.join(', ')}; ${points} data points`;
  }

  private valueLegend([lo, hi]: [number, number]) {
    const s = this.scale();
    const stops = [0, 0.5, 1].map((t) => `rgb(${mapColor(lo + t * (hi - lo), s).join(',')})`);
    return html`<div class="legend">
      <span>${fmt(lo)}</span>
      <span class="ramp" style="background:linear-gradient(to right, ${stops.join(',')})"></span>
      <span>${fmt(hi)}</span>
      <span class="muted">${this.classNames[0] ?? 'value'}: the heatmap is the prediction, the dots the data</span>
    </div>`;
  }

  override render() {
    if (!this.points) return html`<p class="muted">The decision boundary is drawn for 2-D datasets.</p>`;
    return html`
      <div class="frame">
        <canvas data-testid="boundary" role="img" aria-label=${this.summary(this.points.labels.length)}></canvas>
        <slot name="overlay"></slot>
      </div>
      ${
        this.compact
          ? null
          : this.valueRange
            ? this.valueLegend(this.valueRange)
            : html`<div class="legend">
                ${this.classNames.map((name, i) => html`<span><span class="swatch" style="background:${classColor(i)}"></span>${name}</span>`)}
                <span class="muted">filled: training points · rings: validation and test</span>
              </div>`
      }
    `;
  }
}

function fmt(v: number): string {
  return Number.isFinite(v) ? Number(v.toPrecision(3)).toString() : 'n/a';
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-decision-boundary': SpDecisionBoundary;
  }
}
