import { html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { encodeLearner, type LearnerSettings } from '../../src/config/ensembles.ts';
import type { StackingResult } from '../../src/worker/api.ts';
import { baseStyles } from '../shared/styles.ts';
import { ensembleStyles } from './ensemble-styles.ts';

const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : 'n/a');

/**
 * A stacking run's test scores: one `stack-base` row per base learner (its full-data model,
 * `data-accuracy`), the soft vote of the same models (`stack-average-accuracy`) and the stack
 * (`stack-test-accuracy`), each with accuracy and macro F1.
 */
@customElement('sp-stack-results')
export class SpStackResults extends LitElement {
  static override styles = [baseStyles, ensembleStyles];

  @property({ attribute: false }) result: StackingResult | null = null;
  /** The learners the result was trained with, to name its rows. */
  @property({ attribute: false }) learners: LearnerSettings[] = [];

  override render() {
    const r = this.result;
    if (!r) return nothing;
    return html`<div class="scroll-region" role="region" aria-label="Stacking results" tabindex="0">
      <table data-testid="stack-table">
        <caption class="muted">
          Test split; the meta-learner saw ${r.metaInputs} inputs per row
        </caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Accuracy</th>
            <th scope="col">Macro F1</th>
          </tr>
        </thead>
        <tbody>
          ${r.learners.map(
            (s, i) =>
              html`<tr data-testid="stack-base" data-accuracy=${String(s.accuracy)}>
                <td>Learner ${i + 1}${this.learners[i] ? html` <span class="muted">${encodeLearner(this.learners[i])}</span>` : nothing}</td>
                <td>${pct(s.accuracy)}</td>
                <td>${s.macroF1.toFixed(3)}</td>
              </tr>`,
          )}
          <tr>
            <th scope="row">Soft vote (averaged probabilities)</th>
            <td data-testid="stack-average-accuracy">${pct(r.average.accuracy)}</td>
            <td>${r.average.macroF1.toFixed(3)}</td>
          </tr>
          <tr>
            <th scope="row">Stack (meta-learner)</th>
            <td data-testid="stack-test-accuracy">${pct(r.stack.accuracy)}</td>
            <td>${r.stack.macroF1.toFixed(3)}</td>
          </tr>
        </tbody>
      </table>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-stack-results': SpStackResults;
  }
}
