import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { augmentBatch, IMAGE_PIXELS, type AugmentRanges } from '../../src/data/augment.ts';
import '../gan/sp-sample-grid.ts';
import { baseStyles } from '../shared/styles.ts';

/** Images shown per row. */
export const PREVIEW_IMAGES = 8;
/** Training steps shown, one row each, below the originals. */
export const PREVIEW_STEPS = 3;

/**
 * A preview of image augmentation: a row of training images, then the same images as batch rows
 * 0–7 of three consecutive training steps receive them. The augmented rows come from the float64
 * reference of augment.wgsl (tests hold the kernel to it), with the experiment's seed, so they
 * are the draws training makes. "Next steps" moves on to later steps.
 */
@customElement('sp-augment-preview')
export class SpAugmentPreview extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .row {
        display: flex;
        gap: 0.5em;
        align-items: center;
      }
      p {
        margin: 0.25em 0;
        font-size: 0.9em;
      }
    `,
  ];

  /** Loads `count` training images (pixels in [0, 1]); called again when `source` changes. */
  @property({ attribute: false }) source: ((count: number) => Promise<Float32Array>) | null = null;
  @property({ attribute: false }) ranges: AugmentRanges | null = null;
  @property({ type: Number }) seed = 0;
  @state() private originals: Float32Array | null = null;
  @state() private firstStep = 0;
  @state() private error: string | null = null;

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('source')) void this.load();
  }

  private async load(): Promise<void> {
    const source = this.source;
    this.originals = null;
    this.error = null;
    if (!source) return;
    try {
      const images = await source(PREVIEW_IMAGES);
      if (source === this.source) this.originals = images;
    } catch (e) {
      if (source === this.source) this.error = (e as Error).message;
    }
  }

  /** The originals and PREVIEW_STEPS augmented rows, as [-1, 1] pixels for <sp-sample-grid>. */
  private grid(originals: Float32Array, ranges: AugmentRanges): Float32Array {
    const count = originals.length / IMAGE_PIXELS;
    const x = Float64Array.from(originals);
    const out = new Float32Array((PREVIEW_STEPS + 1) * originals.length);
    out.set(originals);
    for (let s = 0; s < PREVIEW_STEPS; s++) {
      out.set(augmentBatch(x, count, IMAGE_PIXELS, { kind: 'image', ranges, seed: this.seed }, this.firstStep + s), (s + 1) * originals.length);
    }
    return out.map((v) => v * 2 - 1);
  }

  override render() {
    if (this.error) return html`<p role="alert">Preview unavailable: ${this.error}</p>`;
    const { originals, ranges } = this;
    if (!originals || !ranges) return nothing;
    const count = originals.length / IMAGE_PIXELS;
    const steps = `${this.firstStep + 1}–${this.firstStep + PREVIEW_STEPS}`;
    return html` <sp-sample-grid
        data-testid="augment-preview"
        .images=${this.grid(originals, ranges)}
        columns=${count}
        caption=${`training images, then as training steps ${steps} augment them`}
      ></sp-sample-grid>
      <div class="row">
        <p class="muted">Top: training images. Below: steps ${steps} (seed ${this.seed}).</p>
        <button data-testid="augment-next" @click=${() => (this.firstStep += PREVIEW_STEPS)}>Next steps</button>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-augment-preview': SpAugmentPreview;
  }
}
