import { css, html, LitElement, svg, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { regressionScores, unscale, type RegressionScores } from '../../src/metrics/regression.ts';
import type { RegressionInfo } from '../../src/worker/api.ts';
import type { MetricsEvaluations, MetricsSplit } from './sp-metrics-panel.ts';
import { baseStyles } from '../shared/styles.ts';
import { metricsStyles } from './metrics-styles.ts';
import { emit } from '../shared/events.ts';

const SPLIT_NAMES: Record<MetricsSplit, string> = { validation: 'Validation', test: 'Test' };
/** Points the scatter draws at most; a larger split is thinned evenly (the metrics use every row). */
const MAX_SCATTER = 1500;

/**
 * A regression model's scores on the validation or test split, in the target's units: MSE, MAE
 * and R² as scikit-learn computes them, and predicted against actual values (on the diagonal is
 * exact). Emits `sp-split-change` like the classification panel.
 */
@customElement('sp-regression-metrics')
export class SpRegressionMetrics extends LitElement {
  static override styles = [
    baseStyles,
    metricsStyles,
    css`
      svg {
        display: block;
        box-sizing: border-box;
        width: 100%;
        max-width: 360px;
        height: auto;
        border: 1px solid var(--sp-border);
        border-radius: var(--sp-radius);
        background: var(--sp-bg);
      }
      .axis {
        stroke: var(--sp-muted);
        stroke-dasharray: 4 3;
      }
      circle {
        fill: var(--sp-accent);
        fill-opacity: 0.55;
      }
      text {
        fill: var(--sp-muted);
        font-size: 11px;
      }
    `,
  ];

  @property({ attribute: false }) evaluations: MetricsEvaluations = { validation: null, test: null };
  /** The session's regression facts: the target's scale and the true values per split. */
  @property({ attribute: false }) regression: RegressionInfo | null = null;
  @property({ reflect: true }) split: MetricsSplit = 'test';

  private scored: { scores: RegressionScores; actual: Float32Array; predicted: Float32Array } | null = null;
  private problem = '';

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('evaluations') || changed.has('regression') || changed.has('split')) this.score();
  }

  private score(): void {
    this.scored = null;
    const ev = this.evaluations?.[this.split] ?? null;
    const name = SPLIT_NAMES[this.split].toLowerCase();
    const reg = this.regression;
    if (!ev || !reg) return void (this.problem = `No ${name} evaluation yet: train to see metrics.`);
    if (ev.rows === 0) return void (this.problem = `The ${name} split is empty.`);
    const actual = reg.targets[this.split];
    if (actual.length !== ev.rows || ev.outputs.length !== ev.rows) {
      return void (this.problem = `The ${name} targets (${actual.length}) do not match its ${ev.rows} evaluated rows.`);
    }
    this.problem = '';
    const predicted = unscale(ev.outputs, reg.scale);
    this.scored = { scores: regressionScores(actual, predicted), actual, predicted };
  }

  private onSplit(e: Event): void {
    this.split = (e.target as HTMLSelectElement).value as MetricsSplit;
    emit(this, 'sp-split-change', { split: this.split });
  }

  private scatter(actual: Float32Array, predicted: Float32Array) {
    const [lo0, hi0] = this.regression!.range;
    let lo = lo0;
    let hi = hi0;
    predicted.forEach((p) => {
      if (Number.isFinite(p)) [lo, hi] = [Math.min(lo, p), Math.max(hi, p)];
    });
    const pad = (hi - lo) * 0.05 || 1;
    [lo, hi] = [lo - pad, hi + pad];
    const size = 240;
    const at = (v: number) => ((v - lo) / (hi - lo)) * size;
    const stride = Math.max(1, Math.ceil(actual.length / MAX_SCATTER));
    const dots = [];
    for (let i = 0; i < actual.length; i += stride) {
      if (Number.isFinite(predicted[i]!)) dots.push(svg`<circle cx=${at(actual[i]!).toFixed(1)} cy=${(size - at(predicted[i]!)).toFixed(1)} r="2.2"></circle>`);
    }
    const name = this.regression!.targetName;
    return html`<svg
      viewBox="-4 -4 ${size + 8} ${size + 8}"
      role="img"
      data-testid="regression-scatter"
      aria-label=${`Predicted against actual ${name} for ${actual.length} ${this.split} rows; points on the dashed diagonal are exact`}
    >
      <line class="axis" x1="0" y1=${size} x2=${size} y2="0"></line>
      ${dots}
      <text x="4" y=${size - 4}>actual →</text>
      <text x="4" y="12">↑ predicted</text>
    </svg>`;
  }

  override render() {
    const s = this.scored;
    const heading = `${SPLIT_NAMES[this.split]} split metrics`;
    return html`<section aria-label=${heading}>
      <h3>${heading}${s ? html` <span class="muted">(${s.scores.rows} rows, ${this.regression?.targetName} in its own units)</span>` : ''}</h3>
      <div class="bar">
        <label
          >Split
          <select data-testid="metrics-split" .value=${this.split} @change=${this.onSplit}>
            ${(['validation', 'test'] as const).map(
              (k) => html`<option value=${k} ?selected=${k === this.split}>${SPLIT_NAMES[k]}${this.evaluations?.[k] ? '' : ' (not evaluated)'}</option>`,
            )}
          </select>
        </label>
        ${
          s
            ? html`<span>MSE <span class="figure" data-testid="regression-mse" data-value=${s.scores.mse}>${fmt(s.scores.mse)}</span></span>
                <span>MAE <span class="figure" data-testid="regression-mae" data-value=${s.scores.mae}>${fmt(s.scores.mae)}</span></span>
                <span>R² <span class="figure" data-testid="regression-r2" data-value=${s.scores.r2}>${s.scores.r2.toFixed(3)}</span></span>`
            : ''
        }
      </div>
      ${s ? this.scatter(s.actual, s.predicted) : html`<p class="muted" data-testid="metrics-placeholder">${this.problem || 'Train to see metrics.'}</p>`}
    </section>`;
  }
}

function fmt(v: number): string {
  return Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : 'n/a';
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-regression-metrics': SpRegressionMetrics;
  }
}
