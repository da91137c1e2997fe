import { html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { BoostingRound, SessionInfo } from '../../src/worker/api.ts';
import '../charts/sp-decision-boundary.ts';
import { baseStyles } from '../shared/styles.ts';
import { ensembleStyles } from './ensemble-styles.ts';

const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : 'n/a');

/**
 * On 2-D data, a boosting round's network's decision boundary beside the ensemble's after that
 * round, the training points drawn with the weights the round trained on (area ∝ weight, so the
 * rows earlier rounds got wrong stand out).
 */
@customElement('sp-boost-boundaries')
export class SpBoostBoundaries extends LitElement {
  static override styles = [baseStyles, ensembleStyles];

  @property({ attribute: false }) rounds: BoostingRound[] = [];
  @property({ type: Number }) selected = -1;
  @property({ attribute: false }) points: SessionInfo['points'] = null;
  @property({ attribute: false }) classNames: string[] = [];

  override render() {
    const r = this.rounds[this.selected];
    const view = r?.view;
    if (!r || !view || !this.points) return nothing;
    const b = view.boundaries;
    const tile = (grid: NonNullable<typeof b>['member'] | null, caption: string, testid: string) =>
      html`<figure data-testid=${testid}>
        <sp-decision-boundary
          compact
          .grid=${grid}
          .points=${this.points}
          .sizes=${view.weights}
          .classNames=${this.classNames}
          caption=${caption}
        ></sp-decision-boundary>
        <figcaption>${caption}</figcaption>
      </figure>`;
    return html`<div class="boundaries" data-testid="boost-boundaries">
        ${tile(b?.member ?? null, `Round ${r.round + 1}'s network (α ${r.alpha.toFixed(2)})`, 'boost-member-boundary')}
        ${tile(b?.ensemble ?? null, `Ensemble after round ${r.round + 1}: test ${pct(r.accuracy.test)}`, 'boost-ensemble-boundary')}
      </div>
      <p class="muted">Training points are drawn with the weights round ${r.round + 1} trained on: larger is heavier.</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-boost-boundaries': SpBoostBoundaries;
  }
}
