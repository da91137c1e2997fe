import { html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { BoostingRound } from '../../src/worker/api.ts';
import { baseStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';
import { ensembleStyles } from './ensemble-styles.ts';

const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : 'n/a');
const num = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : 'n/a');
const OUTCOME: Record<BoostingRound['outcome'], string> = { kept: 'kept', perfect: 'kept (perfect)', chance: 'discarded', diverged: 'diverged' };

/**
 * One `boost-round` row per finished round (`data-error`, `data-alpha`): the network's weighted
 * error, its vote α, what happened to it, and the ensemble's accuracy after it on each split. A
 * round's "Show" button picks it for the boundaries (event `sp-boost-select`).
 */
@customElement('sp-boost-rounds')
export class SpBoostRounds extends LitElement {
  static override styles = [baseStyles, ensembleStyles];

  @property({ attribute: false }) rounds: BoostingRound[] = [];
  /** The round whose boundaries show; -1: none (not 2-D data). */
  @property({ type: Number }) selected = -1;
  /** Whether rounds have boundaries to show. */
  @property({ type: Boolean }) drawable = false;

  override render() {
    if (this.rounds.length === 0) return nothing;
    return html`<div class="scroll-region" role="region" aria-label="Boosting rounds" tabindex="0">
      <table data-testid="boost-table">
        <caption class="muted">
          Each round's network and the ensemble after it
        </caption>
        <thead>
          <tr>
            <th scope="col">Round</th>
            <th scope="col">Weighted error</th>
            <th scope="col">α</th>
            <th scope="col">Member</th>
            <th scope="col">Train</th>
            <th scope="col">Validation</th>
            <th scope="col">Test</th>
            ${this.drawable ? html`<th scope="col">Boundary</th>` : nothing}
          </tr>
        </thead>
        <tbody>
          ${this.rounds.map(
            (r, i) =>
              html`<tr data-testid="boost-round" data-error=${String(r.error)} data-alpha=${String(r.alpha)} class=${i === this.selected ? 'chosen' : ''}>
                <td>${r.round + 1}</td>
                <td>${num(r.error)}</td>
                <td>${num(r.alpha)}</td>
                <td title=${r.message}>${OUTCOME[r.outcome]}</td>
                <td>${pct(r.accuracy.train)}</td>
                <td>${pct(r.accuracy.validation)}</td>
                <td>${pct(r.accuracy.test)}</td>
                ${
                  this.drawable
                    ? html`<td>
                        <button aria-pressed=${i === this.selected ? 'true' : 'false'} @click=${() => emit(this, 'sp-boost-select', { round: i })}>
                          Show<span class="sr-only"> round ${r.round + 1}</span>
                        </button>
                      </td>`
                    : nothing
                }
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-boost-rounds': SpBoostRounds;
  }
}
