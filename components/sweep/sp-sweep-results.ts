import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { SweepConfig } from '../../src/config/sweep.ts';
import type { SweepResult } from '../../src/train/sweep.ts';
import { formatValue, isHalving, lossText, metricName, metricOf, PARAM_LABELS, pct, rowHref, valuesText } from './sweep-format.ts';
import type { HalvingResult } from '../../src/train/halving.ts';
import './sp-sweep-chart.ts';
import './sp-sweep-curves.ts';
import './sp-sweep-heatmap.ts';
import './sp-sweep-parallel.ts';
import './sp-sweep-rungs.ts';
import './sp-sweep-table.ts';
import { baseStyles } from '../shared/styles.ts';

/**
 * What a sweep found: the chosen configuration (by the validation metric) as a playground link,
 * its test accuracy (the test split evaluated once, for that configuration only), parallel
 * coordinates of every configuration whose brushes filter the table below them, the table of
 * every configuration, the metric against each varied hyperparameter, a heatmap when exactly two
 * vary (seed replicates aside), and the training curves of the best few. A successive-halving
 * sweep adds the model-epochs it used of a full grid's, the chosen configuration's metric as a
 * number, and the chart of its rungs. A cancelled sweep says
 * so and shows what it trained, without a test score; configurations the CPU pool lost are named
 * in a message (`sweep-lost`) and marked in the table. Properties in only; no events.
 */
@customElement('sp-sweep-results')
export class SpSweepResults extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      h3 {
        font-size: 15px;
        margin: 16px 0 6px;
      }
      .summary p {
        margin: 4px 0;
      }
      .cancelled {
        border: 1px solid var(--sp-border);
        border-left: 4px solid var(--sp-error);
        border-radius: var(--sp-radius);
        padding: 6px 10px;
        background: var(--sp-panel);
      }
      .charts {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(min(320px, 100%), 1fr));
        gap: 12px;
      }
      figure {
        margin: 0;
        min-width: 0;
      }
      figcaption {
        font-size: 13px;
      }
      strong {
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  @property({ attribute: false }) result: SweepResult | null = null;
  /** The sweep that produced `result` (its ranges set the parallel coordinates' scales); optional. */
  @property({ attribute: false }) sweep: SweepConfig | null = null;
  /** The page a configuration's link opens (`<page>#<hash>`), relative to this page. */
  @property() playground = 'index.html';

  /** The rows inside the parallel coordinates' brushes (null: no brush), which the table lists. */
  @state() private shown: number[] | null = null;

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('result')) this.shown = null;
  }

  private renderChosen(r: SweepResult) {
    if (r.best === null)
      return html`<p data-testid="sweep-no-best">
        No configuration has a validation score: every model diverged${r.cancelled ? ' or was cancelled before it was scored' : ''}.
      </p>`;
    const row = r.rows[r.best]!;
    const by = r.metric === 'accuracy' ? 'highest validation accuracy' : 'lowest validation loss';
    return html`<p>
        ${r.cancelled ? 'Best so far (partly trained), by' : 'Chosen configuration, by'} ${by}; selection used the validation split:
        <a data-testid="sweep-best" href=${rowHref(this.playground, row)}>#${row.index + 1}: ${valuesText(row, r.varied) || 'the experiment as it is'}</a>
      </p>
      <p>
        Validation accuracy <strong>${pct(row.validationAccuracy)}</strong>, validation loss <strong>${lossText(row.validationLoss)}</strong>, macro F1
        <strong>${Number.isFinite(row.macroF1) ? row.macroF1.toFixed(3) : '—'}</strong>, ${row.epochs} epochs trained.
      </p>`;
  }

  private renderTest(r: SweepResult) {
    if (r.cancelled) {
      return html`<p class="cancelled" data-testid="sweep-cancelled">
        Cancelled: the table shows each model as far as it trained, marked cancelled. No test score: the test split is evaluated once, for the chosen
        configuration of a finished sweep.
      </p>`;
    }
    if (r.test) {
      return html`<p>
        Test accuracy <strong data-testid="sweep-test-accuracy">${pct(r.test.accuracy)}</strong>
        <span class="muted"
          >(test loss ${lossText(r.test.loss)}): evaluated once on the test split (${r.test.rows} rows), for the chosen configuration only; selection used the
          validation split.</span
        >
      </p>`;
    }
    if (r.best === null) return nothing;
    return html`<p class="muted" data-testid="sweep-no-test">No test score: this experiment holds out no test split (test = 0).</p>`;
  }

  private renderHalving(r: HalvingResult) {
    const n = (v: number) => v.toLocaleString('en');
    const best = r.best === null ? null : metricOf(r.rows[r.best]!, r.metric);
    const pruned = r.rows.filter((row) => row.pruned).length;
    return html`<p>
        Successive halving used <strong data-testid="sweep-budget-used">${r.budget.used}/${r.budget.full}</strong> model-epochs
        <span class="muted"
          >(${Math.round((100 * r.budget.used) / Math.max(1, r.budget.full))}% of training every configuration to the end; planned ${n(r.budget.planned)})</span
        >; ${pruned} of ${r.rows.length} configurations were pruned at a rung.
      </p>
      ${
        best !== null && Number.isFinite(best)
          ? html`<p>Chosen configuration's ${metricName(r.metric)}: <strong data-testid="sweep-best-metric">${Number(best.toFixed(4))}</strong></p>`
          : nothing
      }`;
  }

  /** The configurations the CPU pool lost (their workers kept dying), named where the result is read; every other row stays. */
  private renderLost(r: SweepResult) {
    if (!r.lost) return nothing;
    return html`<p class="cancelled" role="status" data-testid="sweep-lost">${r.lost}</p>`;
  }

  private renderDiverged(r: SweepResult) {
    const diverged = r.rows.filter((row) => row.status === 'diverged');
    if (diverged.length === 0) return nothing;
    const lrs = diverged.map((row) => row.values.lr).filter((v): v is number => typeof v === 'number');
    const lowest = lrs.length ? Math.min(...lrs) : null;
    return html`<p data-testid="sweep-diverged">
      ${diverged.length} of ${r.rows.length} models diverged (their loss or weights became infinite or NaN) and stopped; the others went
      on.${lowest !== null ? ` The lowest learning rate that diverged: ${formatValue(lowest)}. Too large a learning rate overshoots.` : ''}
    </p>`;
  }

  override render() {
    const r = this.result;
    if (!r) return nothing;
    const axes = r.varied.filter((p) => p !== 'seed');
    const backend = r.backend.fallbackReason ? `${r.backend.label} (${r.backend.fallbackReason})` : r.backend.label;
    return html` <section class="summary" aria-label="Sweep summary">
        <h3>${r.cancelled ? 'Cancelled sweep' : 'Result'}</h3>
        ${this.renderChosen(r)}${this.renderTest(r)}${isHalving(r) ? this.renderHalving(r) : nothing}${this.renderLost(r)}${this.renderDiverged(r)}
        <p class="muted">${r.rows.length} models, scored by ${metricName(r.metric)}; trained on <span data-testid="sweep-backend">${backend}</span>.</p>
      </section>
      ${
        isHalving(r)
          ? html`<h3>${metricName(r.metric)[0]!.toUpperCase()}${metricName(r.metric).slice(1)} at each rung</h3>
              <figure>
                <sp-sweep-rungs .result=${r}></sp-sweep-rungs>
                <figcaption class="muted">
                  Rungs at ${r.rungs.map((g) => g.epochs).join(', ')} epochs; one line per configuration; grey ones were pruned where they end (×); the chosen
                  one is thickest.
                </figcaption>
              </figure>`
          : nothing
      }
      <h3>Every configuration</h3>
      ${
        axes.length
          ? html`<figure>
              <sp-sweep-parallel
                .result=${r}
                .sweep=${this.sweep}
                @sp-sweep-brush=${(e: CustomEvent<{ shown: number[] | null }>) => (this.shown = e.detail.shown)}
              ></sp-sweep-parallel>
              <figcaption class="muted">
                One line per model across every varied hyperparameter and the ${metricName(r.metric)}. Drag along an axis, or move its handles with the arrow
                keys, to show only those configurations in the table; a click on an axis clears its filter.
              </figcaption>
            </figure>`
          : nothing
      }
      <sp-sweep-table .result=${r} .shown=${this.shown} playground=${this.playground}></sp-sweep-table>
      ${
        axes.length
          ? html`<h3>${metricName(r.metric)[0]!.toUpperCase()}${metricName(r.metric).slice(1)} against each hyperparameter</h3>
              <div class="charts">
                ${axes.map(
                  (p) =>
                    html`<figure>
                      <sp-sweep-chart .result=${r} param=${p}></sp-sweep-chart>
                      <figcaption class="muted">
                        ${PARAM_LABELS[p]}; each dot one model${r.varied.includes('seed') ? ' (each seed its own dot)' : ''}; diverged models on the top edge.
                      </figcaption>
                    </figure>`,
                )}
              </div>`
          : nothing
      }
      ${
        axes.length === 2
          ? html`<h3>Two hyperparameters together</h3>
              <sp-sweep-heatmap .result=${r}></sp-sweep-heatmap>`
          : nothing
      }
      ${
        r.curves.length
          ? html`<h3>Training curves of the best ${r.curves.length}</h3>
              <sp-sweep-curves .result=${r}></sp-sweep-curves>`
          : nothing
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-sweep-results': SpSweepResults;
  }
}
