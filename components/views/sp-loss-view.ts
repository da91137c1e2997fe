import { html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LinkedView } from './sp-linked-view.ts';
import '../charts/sp-loss-chart.ts';

/** The loss (or accuracy) curve of a playground elsewhere on the page: `<sp-loss-view for="id">`. */
@customElement('sp-loss-view')
export class SpLossView extends LinkedView {
  @property() metric: 'loss' | 'accuracy' = 'loss';

  override render() {
    return this.missing() ?? html`<sp-loss-chart part="chart" metric=${this.metric} .history=${this.state?.history ?? []}></sp-loss-chart>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-loss-view': SpLossView;
  }
}
