import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { classColor } from '../shared/palette.ts';
import { baseStyles } from '../shared/styles.ts';

/**
 * How many generated samples a classifier assigns to each digit, as bars. A healthy generator
 * covers all ten; mode collapse shows as a few tall bars.
 */
@customElement('sp-class-histogram')
export class SpClassHistogram extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .bars {
        display: grid;
        grid-template-columns: repeat(10, 1fr);
        gap: 4px;
        align-items: end;
        height: 120px;
      }
      .bar {
        border-radius: 3px 3px 0 0;
        min-height: 1px;
      }
      .labels {
        display: grid;
        grid-template-columns: repeat(10, 1fr);
        gap: 4px;
        text-align: center;
        font-size: 12px;
        color: var(--sp-muted);
      }
    `,
  ];

  /** Count per class. */
  @property({ attribute: false }) counts: number[] = [];

  override render() {
    const max = Math.max(1, ...this.counts);
    const total = this.counts.reduce((s, c) => s + c, 0);
    return html`
      <div class="bars" role="img" aria-label="Samples per predicted digit: ${this.counts.map((c, i) => `${i}: ${c}`).join(', ')}">
        ${this.counts.map((c, i) => html`<div class="bar" title="${i}: ${c} of ${total}" style="height:${(100 * c) / max}%;background:${classColor(i)}"></div>`)}
      </div>
      <div class="labels">${this.counts.map((_, i) => html`<span>${i}</span>`)}</div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-class-histogram': SpClassHistogram;
  }
}
