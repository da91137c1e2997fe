import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ClassificationReport, PrfScores } from '../../src/metrics/report.ts';
import { baseStyles } from '../shared/styles.ts';

/**
 * Per-class precision, recall, F1 and support, then macro and support-weighted averages and
 * accuracy, laid out like scikit-learn's `classification_report` (accuracy in the F1 column).
 */
@customElement('sp-class-report')
export class SpClassReport extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      table {
        border-collapse: collapse;
        font-variant-numeric: tabular-nums;
      }
      caption {
        text-align: left;
        color: var(--sp-muted);
        padding-bottom: 4px;
      }
      th,
      td {
        padding: 3px 6px;
        text-align: right;
      }
      th[scope='row'] {
        text-align: left;
        font-weight: 600;
      }
      thead th {
        border-bottom: 1px solid var(--sp-border);
      }
      tfoot tr:first-child > * {
        border-top: 1px solid var(--sp-border);
      }
    `,
  ];

  /** The report to show; null shows a placeholder. */
  @property({ attribute: false }) report: ClassificationReport | null = null;
  /** Display names, by class index; missing names read "Class i". */
  @property({ attribute: false }) classNames: string[] = [];

  private scoreCells(s: PrfScores) {
    return html`<td>${fmt(s.precision)}</td>
      <td>${fmt(s.recall)}</td>
      <td>${fmt(s.f1)}</td>`;
  }

  override render() {
    const r = this.report;
    if (!r) return html`<p class="muted">No report yet.</p>`;
    return html`
      <div class="scroll-region" role="region" aria-label="Per-class metrics" tabindex="0">
        <table>
          <caption>
            Precision, recall and F1 per class (a class never predicted has precision 0; one without samples, recall 0)
          </caption>
          <thead>
            <tr>
              <th scope="col">Class</th>
              <th scope="col">Precision</th>
              <th scope="col">Recall</th>
              <th scope="col">F1</th>
              <th scope="col">Support</th>
            </tr>
          </thead>
          <tbody>
            ${r.perClass.map(
              (c, i) =>
                html`<tr data-class=${i}>
                  <th scope="row">${this.classNames?.[i] ?? `Class ${i}`}</th>
                  ${this.scoreCells(c)}
                  <td>${c.support}</td>
                </tr>`,
            )}
          </tbody>
          <tfoot>
            <tr data-row="macro">
              <th scope="row">Macro average</th>
              ${this.scoreCells(r.macro)}
              <td>${r.total}</td>
            </tr>
            <tr data-row="weighted">
              <th scope="row">Weighted average</th>
              ${this.scoreCells(r.weighted)}
              <td>${r.total}</td>
            </tr>
            <tr data-row="accuracy">
              <th scope="row">Accuracy</th>
              <td></td>
              <td></td>
              <td>${fmt(r.accuracy)}</td>
              <td>${r.total}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    `;
  }
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toFixed(3) : '—';
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-class-report': SpClassReport;
  }
}
