import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Gan2dMetricPoint } from './metric-series.ts';
import '../charts/sp-series-chart.ts';
import type { Gan2dMeasurePoint } from './gan2d-controller.ts';

/** The y range of the D-output chart for the BCE losses: D(x) and D(G(z)) are probabilities. */
const PROBABILITY_RANGE: [number, number] = [0, 1];

/**
 * The 2-D lab's charts against iterations: D's and G's losses, D(real) and D(fake) (D-only and
 * G-only steps are not iterations and are not charted), and KL and JS at each frame's iteration.
 */
@customElement('sp-gan-2d-charts')
export class SpGan2dCharts extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    h3 {
      font-size: 13px;
      color: var(--sp-muted);
      margin: 10px 0 4px;
      font-weight: 600;
    }
  `;

  @property({ attribute: false }) metrics: Gan2dMetricPoint[] = [];
  @property({ attribute: false }) measures: Gan2dMeasurePoint[] = [];
  /** Least squares reports raw scores, not probabilities: the D chart then scales itself. */
  @property({ type: Boolean }) rawScores = false;

  /** Modes covered and the high-quality share over iterations, on the mixtures: mode collapse as it happens. */
  private renderModes(x: number[]) {
    if (!this.measures.some((p) => p.modes !== null)) return nothing;
    return html`
      <h3>Modes covered and high-quality share</h3>
      <sp-series-chart
        data-testid="gan2d-chart-modes"
        yLabel="share"
        .yRange=${PROBABILITY_RANGE}
        .series=${[
          { label: 'modes covered', values: this.measures.map((p) => p.modes ?? NaN), x },
          { label: 'high quality', values: this.measures.map((p) => p.quality ?? NaN), x },
        ]}
      ></sp-series-chart>
    `;
  }

  override render() {
    const m = this.metrics;
    const at = m.map((v) => v.iteration);
    const x = this.measures.map((p) => p.iteration);
    return html`
      <h3>Losses</h3>
      <sp-series-chart
        data-testid="gan2d-chart-loss"
        yLabel="loss"
        .series=${[
          { label: 'D loss', values: m.map((v) => v.dLoss), x: at },
          { label: 'G loss', values: m.map((v) => v.gLoss), x: at },
        ]}
      ></sp-series-chart>
      <h3>Discriminator outputs</h3>
      <sp-series-chart
        data-testid="gan2d-chart-d"
        yLabel=${this.rawScores ? 'mean score' : 'mean probability'}
        .yRange=${this.rawScores ? null : PROBABILITY_RANGE}
        .series=${[
          { label: 'D(real)', values: m.map((v) => v.dReal), x: at },
          { label: 'D(fake)', values: m.map((v) => v.dFake), x: at },
        ]}
      ></sp-series-chart>
      <h3>KL and JS divergence (real ‖ fake, nats)</h3>
      <sp-series-chart
        data-testid="gan2d-chart-divergence"
        yLabel="nats"
        .series=${[
          { label: 'KL', values: this.measures.map((p) => p.kl), x },
          { label: 'JS', values: this.measures.map((p) => p.js), x },
        ]}
      ></sp-series-chart>
      ${this.renderModes(x)}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-gan-2d-charts': SpGan2dCharts;
  }
}
