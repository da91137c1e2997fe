import { html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartDataset } from 'chart.js';
import { ChartController } from '../shared/chart-controller.ts';
import { STILL_CHART } from '../shared/chart-options.ts';
import { classColor, classDash, themeColors } from '../shared/palette.ts';
import { chartStyles } from '../shared/styles.ts';

Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip);

/** One curve: x/y in 0..1 (FPR/TPR for ROC, recall/precision for PR) and its AUC or AP. */
export interface CurveSeries {
  label: string;
  x: number[];
  y: number[];
  score: number;
  /** Palette index; defaults to the curve's position, so pass the class index to keep colours consistent. */
  colorIndex?: number;
}

/** A single marked point, e.g. the operating point of the current decision threshold. */
export interface CurvePoint {
  label: string;
  x: number;
  y: number;
}

type XY = { x: number; y: number };
type CurveChart = Chart<'line', XY[]>;

/**
 * ROC or precision–recall curves on 0..1 axes, the AUC or average precision in each legend
 * label. ROC adds the chance diagonal; PR curves are drawn as steps, the shape that average
 * precision integrates. Optional `points` are drawn as markers without lines.
 */
@customElement('sp-curve-chart')
export class SpCurveChart extends LitElement {
  static override styles = chartStyles(260);

  /** Which axes and which score name the legend shows. */
  @property({ reflect: true }) kind: 'roc' | 'pr' = 'roc';
  /** The curves to draw. */
  @property({ attribute: false }) curves: CurveSeries[] = [];
  /** Extra marked points (operating points). */
  @property({ attribute: false }) points: CurvePoint[] = [];

  private readonly chart = new ChartController<CurveChart>(this, { create: (canvas) => this.createChart(canvas) });

  protected override updated(): void {
    this.chart.update((chart) => this.applyData(chart));
  }

  private createChart(canvas: HTMLCanvasElement): CurveChart {
    const t = themeColors(this);
    const chart: CurveChart = new Chart(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        ...STILL_CHART,
        parsing: false,
        interaction: { mode: 'nearest', intersect: false },
        scales: {
          x: { type: 'linear', min: 0, max: 1, ticks: { color: t.muted }, grid: { color: t.border }, title: { display: true, color: t.muted } },
          y: { type: 'linear', min: 0, max: 1, ticks: { color: t.muted }, grid: { color: t.border }, title: { display: true, color: t.muted } },
        },
        plugins: { legend: { labels: { color: t.fg, boxWidth: 24, boxHeight: 3 } } },
      },
    });
    this.applyData(chart);
    chart.update('none');
    return chart;
  }

  private applyData(chart: CurveChart): void {
    const t = themeColors(this);
    const roc = this.kind === 'roc';
    const scales = chart.options.scales!;
    scales['x']!.title!.text = roc ? 'False positive rate' : 'Recall';
    scales['y']!.title!.text = roc ? 'True positive rate' : 'Precision';
    const datasets: ChartDataset<'line', XY[]>[] = (this.curves ?? []).map((c, i) => {
      const ci = c.colorIndex ?? i;
      return {
        label: `${c.label} (${scoreText(this.kind, c.score)})`,
        data: toPoints(c.x, c.y),
        borderColor: classColor(ci),
        backgroundColor: classColor(ci),
        borderDash: classDash(ci),
        borderWidth: 2,
        pointRadius: 0,
        pointHitRadius: 4,
        stepped: roc ? false : 'after',
      };
    });
    if (roc) {
      datasets.push({
        label: 'Chance',
        data: [
          { x: 0, y: 0 },
          { x: 1, y: 1 },
        ],
        borderColor: t.muted,
        backgroundColor: t.muted,
        borderDash: [4, 4],
        borderWidth: 1,
        pointRadius: 0,
        pointHitRadius: 0,
      });
    }
    for (const p of this.points ?? []) {
      datasets.push({
        label: p.label,
        data: [{ x: p.x, y: p.y }],
        showLine: false,
        pointRadius: 5,
        pointHoverRadius: 6,
        borderColor: t.fg,
        backgroundColor: t.accent,
        borderWidth: 2,
      });
    }
    chart.data.datasets = datasets;
  }

  override render() {
    const what = this.kind === 'roc' ? 'ROC curves' : 'Precision–recall curves';
    const items = (this.curves ?? []).map((c) => `${c.label} ${scoreText(this.kind, c.score)}`);
    const label = items.length ? `${what}: ${items.join(', ')}` : `${what}: none yet`;
    return html`<div class="box"><canvas role="img" aria-label=${label}></canvas></div>`;
  }
}

function scoreText(kind: 'roc' | 'pr', score: number): string {
  return `${kind === 'roc' ? 'AUC' : 'AP'} ${Number.isFinite(score) ? score.toFixed(3) : 'n/a'}`;
}

/** Pairs x and y, skipping NaN points (a rate is NaN when its class is absent). */
function toPoints(x: readonly number[], y: readonly number[]): XY[] {
  const out: XY[] = [];
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (Number.isFinite(x[i]) && Number.isFinite(y[i])) out.push({ x: x[i]!, y: y[i]! });
  return out;
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-curve-chart': SpCurveChart;
  }
}
