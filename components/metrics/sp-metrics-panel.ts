import { css, html, LitElement, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { confusionMatrix, predictedClasses } from '../../src/metrics/confusion.ts';
import { oneVsRest, type OneVsRest } from '../../src/metrics/curves.ts';
import { classificationReport, type ClassificationReport } from '../../src/metrics/report.ts';
import type { SplitEvaluation } from '../../src/worker/api.ts';
import type { NormalizeChangeDetail } from './sp-confusion-matrix.ts';
import type { CurvePoint, CurveSeries } from '../charts/sp-curve-chart.ts';
import { baseStyles } from '../shared/styles.ts';
import { metricsStyles } from './metrics-styles.ts';
import './sp-class-report.ts';
import './sp-confusion-matrix.ts';
import '../charts/sp-curve-chart.ts';
import { emit } from '../shared/events.ts';

/** The evaluated splits the panel can show; null until the engine has evaluated one. */
export interface MetricsEvaluations {
  validation: SplitEvaluation | null;
  test: SplitEvaluation | null;
}

/** True labels of each split, in the same row order as the evaluation outputs. */
export interface MetricsLabels {
  validation: Uint32Array;
  test: Uint32Array;
}

/** A split the panel can show. */
export type MetricsSplit = keyof MetricsEvaluations;

/** Everything derived from one split at one threshold. */
interface Analysis {
  evaluation: SplitEvaluation;
  classes: number;
  matrix: number[][];
  report: ClassificationReport;
  curves: OneVsRest;
}

const SPLIT_NAMES: Record<MetricsSplit, string> = { validation: 'Validation', test: 'Test' };

/**
 * Confusion matrix, classification report and ROC / PR curves of the validation or test split
 * (test by default, the chosen split named in the heading). Two-class heads get a decision
 * threshold that re-derives matrix and report; the curves are threshold-free and only move
 * when the evaluation does, so they are cached per evaluation. Emits `sp-split-change` and
 * `sp-threshold-change`; `sp-cell-select` and `sp-normalize-change` bubble from the matrix.
 */
@customElement('sp-metrics-panel')
export class SpMetricsPanel extends LitElement {
  static override styles = [
    baseStyles,
    metricsStyles,
    css`
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(300px, 100%), 1fr));
        gap: 16px;
        align-items: start;
        margin-bottom: 16px;
      }
      .grid > * {
        min-width: 0;
      }
      input[type='range'] {
        vertical-align: middle;
        padding: 0;
      }
    `,
  ];

  /** Evaluations of the splits; either may be null. */
  @property({ attribute: false }) evaluations: MetricsEvaluations = { validation: null, test: null };
  /** True labels per split. */
  @property({ attribute: false }) labels: MetricsLabels = { validation: new Uint32Array(0), test: new Uint32Array(0) };
  /** Display names, by class index. */
  @property({ attribute: false }) classNames: string[] = [];
  /** Which split is shown. */
  @property({ reflect: true }) split: MetricsSplit = 'test';
  /** Decision threshold for two-class heads (P(class 1) ≥ threshold → class 1). */
  @property({ type: Number }) threshold = 0.5;

  @state() private normalized = false;
  private analysis: Analysis | null = null;
  private problem = '';
  private cached: { evaluation: SplitEvaluation; labels: Uint32Array; curves: OneVsRest } | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('evaluations') || changed.has('labels') || changed.has('split') || changed.has('threshold')) {
      this.analyse();
    }
  }

  /** Recomputes matrix and report; reuses the curves unless the evaluation or labels changed. */
  private analyse(): void {
    this.analysis = null;
    this.problem = '';
    const ev = this.evaluations?.[this.split] ?? null;
    const name = SPLIT_NAMES[this.split].toLowerCase();
    if (!ev) return void (this.problem = `No ${name} evaluation yet: train to see metrics.`);
    if (ev.accuracy === null) return void (this.problem = 'These metrics need a classification head; this model does regression.');
    if (ev.rows === 0) return void (this.problem = `The ${name} split is empty.`);
    const labels = this.labels?.[this.split] ?? new Uint32Array(0);
    const width = ev.outputs.length / ev.rows;
    if (!Number.isInteger(width) || labels.length !== ev.rows) {
      return void (this.problem = `The ${name} labels (${labels.length}) do not match its ${ev.rows} evaluated rows.`);
    }
    const classes = width === 1 ? 2 : width;
    try {
      const pred = predictedClasses(ev.outputs, ev.rows, width, this.threshold);
      const matrix = confusionMatrix(labels, pred, classes);
      if (this.cached?.evaluation !== ev || this.cached.labels !== labels) {
        this.cached = { evaluation: ev, labels, curves: oneVsRest(ev.outputs, ev.rows, width, labels, classes) };
      }
      this.analysis = { evaluation: ev, classes, matrix, report: classificationReport(matrix), curves: this.cached.curves };
    } catch (e) {
      this.problem = e instanceof Error ? e.message : String(e);
    }
  }

  private name(i: number): string {
    return this.classNames?.[i] ?? `Class ${i}`;
  }

  private onSplit(e: Event): void {
    this.split = (e.target as HTMLSelectElement).value as MetricsSplit;
    emit(this, 'sp-split-change', { split: this.split });
  }

  private onThreshold(e: Event): void {
    this.threshold = Number((e.target as HTMLInputElement).value);
    emit(this, 'sp-threshold-change', { threshold: this.threshold });
  }

  private onNormalize(e: CustomEvent<NormalizeChangeDetail>): void {
    this.normalized = e.detail.normalized;
  }

  /** Two classes show only the positive class's curves: class 0's ROC mirrors it. */
  private series(a: Analysis, kind: 'roc' | 'pr'): CurveSeries[] {
    const shown = a.classes === 2 ? [1] : Array.from({ length: a.classes }, (_, c) => c);
    return shown.map((c) => {
      const { roc, pr } = a.curves.perClass[c]!;
      return kind === 'roc'
        ? { label: this.name(c), x: roc.fpr, y: roc.tpr, score: roc.auc, colorIndex: c }
        : { label: this.name(c), x: pr.recall, y: pr.precision, score: pr.averagePrecision, colorIndex: c };
    });
  }

  /** Where the current threshold sits on each curve (two classes only). */
  private operatingPoint(a: Analysis, kind: 'roc' | 'pr'): CurvePoint[] {
    if (a.classes !== 2) return [];
    const [[tn, fp], [fn, tp]] = a.matrix as [[number, number], [number, number]];
    const label = `Threshold ${this.threshold.toFixed(2)}`;
    const tpr = tp + fn > 0 ? tp / (tp + fn) : NaN;
    const point = kind === 'roc' ? { x: fp + tn > 0 ? fp / (fp + tn) : NaN, y: tpr } : { x: tpr, y: tp + fp > 0 ? tp / (tp + fp) : NaN };
    return Number.isFinite(point.x) && Number.isFinite(point.y) ? [{ label, ...point }] : [];
  }

  private renderControls(a: Analysis | null) {
    const ev = this.evaluations ?? { validation: null, test: null };
    return html` <div class="bar">
      <label
        >Split
        <select data-testid="metrics-split" .value=${this.split} @change=${this.onSplit}>
          ${(['validation', 'test'] as const).map((s) => html`<option value=${s} ?selected=${s === this.split}>${SPLIT_NAMES[s]}${ev[s] ? '' : ' (not evaluated)'}</option>`)}
        </select>
      </label>
      ${
        a
          ? html` <span>Accuracy <span class="figure" data-testid="metrics-accuracy">${pct(a.report.accuracy)}</span></span>
              <span>Loss <span class="figure">${a.evaluation.loss.toPrecision(4)}</span></span>
              <span>${a.curves.aucLabel} <span class="figure" data-testid="metrics-auc">${fixed(a.curves.macroAuc)}</span></span>`
          : ''
      }
      ${
        a?.classes === 2
          ? html` <label
              >Decision threshold
              <input type="range" min="0" max="1" step="0.01" data-testid="threshold" .value=${String(this.threshold)} @input=${this.onThreshold} />
              <output class="figure">${this.threshold.toFixed(2)}</output>
            </label>`
          : ''
      }
    </div>`;
  }

  override render() {
    const a = this.analysis;
    const heading = `${SPLIT_NAMES[this.split]} split metrics`;
    return html`
      <section aria-label=${heading}>
        <h3>${heading}${a ? html` <span class="muted">(${a.evaluation.rows} rows)</span>` : ''}</h3>
        ${this.renderControls(a)}
        ${
          a
            ? html` <div class="grid">
                  <sp-confusion-matrix
                    .matrix=${a.matrix}
                    .classNames=${this.classNames}
                    .normalized=${this.normalized}
                    @sp-normalize-change=${this.onNormalize}
                  ></sp-confusion-matrix>
                  <sp-class-report .report=${a.report} .classNames=${this.classNames}></sp-class-report>
                </div>
                <div class="grid">
                  <sp-curve-chart kind="roc" .curves=${this.series(a, 'roc')} .points=${this.operatingPoint(a, 'roc')}></sp-curve-chart>
                  <sp-curve-chart kind="pr" .curves=${this.series(a, 'pr')} .points=${this.operatingPoint(a, 'pr')}></sp-curve-chart>
                </div>`
            : html`<p class="muted" data-testid="metrics-placeholder">${this.problem || 'Train to see metrics.'}</p>`
        }
      </section>
    `;
  }
}

function pct(v: number): string {
  return Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '—';
}

function fixed(v: number): string {
  return Number.isFinite(v) ? v.toFixed(3) : 'n/a';
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-metrics-panel': SpMetricsPanel;
  }
}
