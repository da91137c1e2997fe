import { css, html, LitElement, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { baseStyles } from '../shared/styles.ts';

const SIDE = 28;

/**
 * Images (28×28, pixels in [-1, 1] as the generator makes them) drawn as a grid on a canvas,
 * ink dark on light, each pixel scaled up without smoothing.
 */
@customElement('sp-sample-grid')
export class SpSampleGrid extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      canvas {
        display: block;
        box-sizing: border-box;
        width: 100%;
        image-rendering: pixelated;
        border: 1px solid var(--sp-border);
        border-radius: 6px;
        background: #fff;
      }
    `,
  ];

  /** count × 784 pixel values in [-1, 1]; null draws nothing. */
  @property({ attribute: false }) images: Float32Array | null = null;
  @property({ type: Number }) columns = 8;
  /** Accessible description of what the images are. */
  @property() caption = 'generated digits';

  @query('canvas') private canvas!: HTMLCanvasElement;

  override updated(changed: PropertyValues<this>): void {
    if (changed.has('images') || changed.has('columns')) this.draw();
  }

  private draw(): void {
    const images = this.images;
    const ctx = this.canvas?.getContext('2d');
    if (!ctx || !images) return;
    const count = images.length / (SIDE * SIDE);
    const cols = Math.min(this.columns, count);
    const rows = Math.ceil(count / cols);
    const gap = 1;
    const w = cols * (SIDE + gap) - gap;
    const h = rows * (SIDE + gap) - gap;
    this.canvas.width = w;
    this.canvas.height = h;
    const image = ctx.createImageData(w, h);
    image.data.fill(255);
    for (let n = 0; n < count; n++) {
      const ox = (n % cols) * (SIDE + gap);
      const oy = Math.floor(n / cols) * (SIDE + gap);
      for (let y = 0; y < SIDE; y++) {
        for (let x = 0; x < SIDE; x++) {
          const v = images[n * SIDE * SIDE + y * SIDE + x]!;
          const ink = 255 - Math.round(Math.min(1, Math.max(0, (v + 1) / 2)) * 255);
          const at = ((oy + y) * w + ox + x) * 4;
          image.data[at] = image.data[at + 1] = image.data[at + 2] = ink;
        }
      }
    }
    ctx.putImageData(image, 0, 0);
  }

  override render() {
    const count = this.images ? this.images.length / (SIDE * SIDE) : 0;
    return html`<canvas role="img" aria-label="${count} ${this.caption}"></canvas>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-sample-grid': SpSampleGrid;
  }
}
