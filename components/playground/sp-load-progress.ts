import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { baseStyles } from '../shared/styles.ts';
import '../gan/sp-sample-grid.ts';

const MB = 1024 * 1024;

/**
 * MNIST's loading while a model builds: a progress bar over the compressed bytes, with the file
 * being read, and the first training digits as soon as they are inflated, so the wait shows what
 * is coming. Read-only; it renders what it is given.
 */
@customElement('sp-load-progress')
export class SpLoadProgress extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        margin: 12px 0;
      }
      progress {
        width: 100%;
      }
      sp-sample-grid {
        max-width: 240px;
        margin-top: 8px;
      }
    `,
  ];

  @property({ type: Number }) loaded = 0;
  @property({ type: Number }) total = 0;
  /** The file being read, e.g. "train images". */
  @property() stage = '';
  /** The first training digits, raw 0..255 pixels, 784 per image; null until they are in. */
  @property({ attribute: false }) preview: Uint8Array | null = null;

  private images: { from: Uint8Array; scaled: Float32Array } | null = null;

  /** The preview scaled to [-1, 1], as the sample grid draws generated digits; made once per preview. */
  private scaled(): Float32Array | null {
    if (!this.preview) return null;
    if (this.images?.from !== this.preview) this.images = { from: this.preview, scaled: Float32Array.from(this.preview, (p) => (p / 255) * 2 - 1) };
    return this.images.scaled;
  }

  override render() {
    const label = `Loading MNIST: ${this.stage}, ${(this.loaded / MB).toFixed(1)} of ${(this.total / MB).toFixed(1)} MB`;
    const images = this.scaled();
    return html`<label
        >${label}
        <progress data-testid="load-progress" max=${Math.max(1, this.total)} .value=${this.loaded}></progress>
      </label>
      ${images ? html`<sp-sample-grid data-testid="load-samples" .images=${images} columns="8" caption="the first training digits, while the rest load"></sp-sample-grid>` : null}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-load-progress': SpLoadProgress;
  }
}
