import { html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { Chart, Legend, LinearScale, LogarithmicScale, PointElement, ScatterController, Tooltip, type ChartDataset, type TooltipItem } from 'chart.js';
import type { SweepParam } from '../../src/config/sweep.ts';
import type { SweepResult, SweepRow } from '../../src/train/sweep.ts';
import { ChartController } from '../shared/chart-controller.ts';
import { PALETTE, themeColors } from '../shared/palette.ts';
import { formatValue, logAxis, metricName, metricOf, metricText, PARAM_LABELS, paramNoun, statusText } from './sweep-format.ts';
import { chartStyles } from '../shared/styles.ts';
import { STILL_CHART } from '../shared/chart-options.ts';

Chart.register(ScatterController, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip);

type Point = { x: number; y: number; row: number };
type SweepChart = Chart<'scatter', Point[]>;

/** Where each row sits: x its value (an optimizer's position in the list), y its score or the top edge. */
export interface SweepPlot {
  /** Names of a categorical axis (optimizers), else null. */
  categories: string[] | null;
  log: boolean;
  /** The top of the y axis, where diverged models are drawn. */
  top: number;
  groups: { chosen: Point[]; trained: Point[]; cancelled: Point[]; diverged: Point[] };
}

/** Places every row of a sweep on the chart of `param`. */
export function plotSweep(r: SweepResult, param: SweepParam): SweepPlot {
  const categories = param === 'optimizer' ? [...new Set(r.rows.map((row) => String(row.values.optimizer)))] : null;
  const xOf = (row: SweepRow) => (categories ? categories.indexOf(String(row.values[param])) : Number(row.values[param]));
  const scores = r.rows.map((row) => metricOf(row, r.metric)).filter(Number.isFinite);
  const top = r.metric === 'accuracy' ? 1.1 : scores.length ? Math.max(...scores) * 1.15 || 1 : 1;
  const groups: SweepPlot['groups'] = { chosen: [], trained: [], cancelled: [], diverged: [] };
  for (const row of r.rows) {
    // A lost model has no score and did not diverge: the table and the message name it.
    if (row.status === 'lost') continue;
    const y = metricOf(row, r.metric);
    const point = { x: xOf(row), y: Number.isFinite(y) ? y : top, row: row.index };
    if (row.status === 'diverged' || !Number.isFinite(y)) groups.diverged.push(point);
    else groups[row.status === 'cancelled' ? 'cancelled' : 'trained'].push(point);
    if (row.index === r.best) groups.chosen.push(point);
  }
  return { categories, log: !categories && logAxis(param, r.rows.map(xOf)), top, groups };
}

/**
 * One sweep's validation metric against one varied hyperparameter, every model a dot: the learning
 * rate on a log axis, optimizers as categories, diverged models as crosses on the top edge (they
 * have no score), the chosen model as a star. The text alternative says what the chart shows.
 */
@customElement('sp-sweep-chart')
export class SpSweepChart extends LitElement {
  static override styles = chartStyles(240);

  @property({ attribute: false }) result: SweepResult | null = null;
  /** The hyperparameter on the x axis. */
  @property() param: SweepParam = 'lr';

  private readonly chart = new ChartController<SweepChart>(this, { create: (canvas) => this.createChart(canvas) });

  protected override updated(): void {
    this.chart.update((chart) => this.applyData(chart));
  }

  private createChart(canvas: HTMLCanvasElement): SweepChart {
    const t = themeColors(this);
    const chart = new Chart<'scatter', Point[]>(canvas, {
      type: 'scatter',
      data: { datasets: [] },
      options: {
        ...STILL_CHART,
        parsing: false,
        plugins: {
          legend: { labels: { color: t.fg, usePointStyle: true } },
          tooltip: { callbacks: { label: (item: TooltipItem<'scatter'>) => this.tooltip(item.raw as Point) } },
        },
      },
    });
    this.applyData(chart);
    chart.update('none');
    return chart;
  }

  private tooltip(p: Point): string {
    const r = this.result;
    const row = r?.rows[p.row];
    if (!r || !row) return '';
    const score = row.status === 'diverged' ? statusText(row) : `${metricName(r.metric)} ${metricText(metricOf(row, r.metric), r.metric)}`;
    return `#${row.index + 1}: ${PARAM_LABELS[this.param]} ${formatValue(row.values[this.param])}, ${score}`;
  }

  private applyData(chart: SweepChart): void {
    const t = themeColors(this);
    const r = this.result;
    const plot = r ? plotSweep(r, this.param) : null;
    const label = PARAM_LABELS[this.param];
    const accuracy = r?.metric !== 'loss';
    const cats = plot?.categories ?? null;
    const scales = {
      x: {
        type: plot?.log ? 'logarithmic' : 'linear',
        title: { display: true, text: plot?.log ? `${label} (log scale)` : label, color: t.muted },
        grid: { color: t.border },
        ...(cats
          ? { min: -0.5, max: cats.length - 0.5, ticks: { color: t.muted, stepSize: 1, callback: (v: number | string) => cats[Number(v)] ?? '' } }
          : {
              offset: true,
              ...(plot?.log ? logBounds(plot) : {}),
              ticks: { color: t.muted, ...(plot?.log ? { callback: (v: number | string) => decadeLabel(Number(v)) } : {}) },
            }),
      },
      y: {
        type: 'linear',
        min: 0,
        max: plot?.top ?? 1,
        title: { display: true, text: r ? metricName(r.metric) : '', color: t.muted },
        grid: { color: t.border },
        // Above 1 (accuracy) or the largest loss there are no scores, only the diverged row of crosses.
        ticks: { color: t.muted, callback: (v: number | string) => (accuracy && Number(v) > 1 ? '' : String(Number(Number(v).toPrecision(3)))) },
      },
    };
    // The x axis switches between linear and log per parameter; chart.js's option types cannot say "either".
    chart.options.scales = scales as unknown as NonNullable<SweepChart['options']['scales']>;
    if (!plot) {
      chart.data.datasets = [];
      return;
    }
    const g = plot.groups;
    const set = (name: string, data: Point[], color: string, style: Partial<ChartDataset<'scatter', Point[]>>): ChartDataset<'scatter', Point[]> => ({
      label: name,
      data,
      borderColor: color,
      backgroundColor: color,
      pointRadius: 4,
      pointHoverRadius: 6,
      ...style,
    });
    chart.data.datasets = [
      set('Chosen', g.chosen, PALETTE[1]!, { pointStyle: 'star', pointRadius: 9, borderWidth: 2 }),
      set('Trained', g.trained, PALETTE[0]!, { pointStyle: 'circle' }),
      set('Cancelled (partly trained)', g.cancelled, t.muted, { pointStyle: 'rect' }),
      set('Diverged (no score)', g.diverged, PALETTE[3]!, { pointStyle: 'crossRot', pointRadius: 6, borderWidth: 2, clip: false }),
    ].filter((d) => d.data.length > 0);
  }

  override render() {
    return html`<div class="box"><canvas role="img" aria-label=${this.summary()}></canvas></div>`;
  }

  /** The chart in words: what it plots, the best model, the best score at each value, and which diverged. */
  private summary(): string {
    const r = this.result;
    if (!r) return `Validation score against ${paramNoun(this.param)}: no sweep yet`;
    const log = plotSweep(r, this.param).log;
    const head = `${metricName(r.metric)} against ${paramNoun(this.param)}${log ? ' (log scale)' : ''}, ${r.rows.length} models`;
    const best =
      r.best === null
        ? 'no model has a score'
        : `best ${metricText(metricOf(r.rows[r.best]!, r.metric), r.metric)} at ${formatValue(r.rows[r.best]!.values[this.param])}`;
    const byValue = new Map<string, SweepRow[]>();
    for (const row of r.rows) byValue.set(formatValue(row.values[this.param]), [...(byValue.get(formatValue(row.values[this.param])) ?? []), row]);
    const per = byValue.size <= 12 ? `; per value: ${[...byValue].map(([v, rows]) => `${v}: ${valueScore(rows, r.metric)}`).join(', ')}` : '';
    const diverged = r.rows.filter((row) => row.status === 'diverged');
    const div = diverged.length ? `; ${diverged.length} diverged (drawn on the top edge)` : '';
    return `${head}; ${best}${per}${div}`;
  }
}

/** A log axis reaches a factor 2 past the outermost dots, so none sits half outside the plot. */
function logBounds(plot: SweepPlot): { min?: number; max?: number } {
  const xs = Object.values(plot.groups)
    .flat()
    .map((p) => p.x)
    .filter((x) => x > 0);
  return xs.length ? { min: Math.min(...xs) / 2, max: Math.max(...xs) * 2 } : {};
}

/** A log axis labels its powers of ten only (1, 2, 5 multiples crowd a small chart). */
function decadeLabel(v: number): string {
  const e = Math.log10(v);
  return Math.abs(e - Math.round(e)) < 1e-9 ? formatValue(v) : '';
}

/** The best score among rows sharing a value, or "diverged" when none has one. */
function valueScore(rows: SweepRow[], metric: SweepResult['metric']): string {
  const scores = rows.map((row) => metricOf(row, metric)).filter(Number.isFinite);
  if (scores.length === 0) return 'diverged';
  return metricText(metric === 'accuracy' ? Math.max(...scores) : Math.min(...scores), metric);
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-sweep-chart': SpSweepChart;
  }
}
