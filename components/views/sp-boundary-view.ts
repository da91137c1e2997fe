import { html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { LinkedView } from './sp-linked-view.ts';
import '../charts/sp-decision-boundary.ts';

/** The decision boundary of a playground elsewhere on the page: `<sp-boundary-view for="id">`. */
@customElement('sp-boundary-view')
export class SpBoundaryView extends LinkedView {
  override render() {
    const info = this.state?.info;
    // Until the playground has built its model, it is not yet known whether its data is 2-D.
    if (!info) return this.missing() ?? html`<p class="muted">The decision boundary appears once the playground "${this.for}" has built its model.</p>`;
    return (
      this.missing() ??
      html`<sp-decision-boundary
        part="boundary"
        .grid=${this.state?.boundary ?? null}
        .points=${info.points}
        .classNames=${info.classNames}
      ></sp-decision-boundary>`
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-boundary-view': SpBoundaryView;
  }
}
