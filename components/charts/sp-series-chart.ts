import { html, LitElement, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { ChartController } from '../shared/chart-controller.ts';
import { linearAxis, STILL_CHART } from '../shared/chart-options.ts';
import { classColor, redrawSoon, themeColors } from '../shared/palette.ts';
import { chartStyles } from '../shared/styles.ts';

Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip);

/** One named line: values[i] belongs to x = i + 1 (an iteration or step), or to x[i] when given (measured every so often). */
export interface Series {
  label: string;
  values: number[];
  x?: number[];
}

type SeriesChart = Chart<'line', { x: number; y: number }[]>;

/** Points drawn per line at most; longer series are averaged into buckets. */
const MAX_POINTS = 400;

function downsample(values: number[], xs?: number[]): { x: number; y: number }[] {
  const bucket = Math.max(1, Math.ceil(values.length / MAX_POINTS));
  const out: { x: number; y: number }[] = [];
  for (let i = 0; i < values.length; i += bucket) {
    const slice = values.slice(i, i + bucket);
    const last = i + slice.length;
    out.push({ x: xs ? xs[last - 1]! : last, y: slice.reduce((s, v) => s + v, 0) / slice.length });
  }
  return out;
}

/**
 * Several series against iterations (a GAN's D and G losses, D(x) and D(G(z))). Long runs are
 * averaged into at most 400 points per line, so an update stays cheap however long the run.
 */
@customElement('sp-series-chart')
export class SpSeriesChart extends LitElement {
  static override styles = chartStyles(220);

  @property({ attribute: false }) series: Series[] = [];
  /** Axis titles. */
  @property() xLabel = 'iteration';
  @property() yLabel = '';
  /** Fixed y range, e.g. [0, 1] for probabilities. */
  @property({ attribute: false }) yRange: [number, number] | null = null;

  private readonly chart = new ChartController<SeriesChart>(this, { create: (canvas) => this.createChart(canvas) });

  private createChart(canvas: HTMLCanvasElement): SeriesChart {
    const theme = themeColors(this);
    const chart: SeriesChart = new Chart(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        ...STILL_CHART,
        parsing: false,
        normalized: true,
        plugins: { legend: { labels: { color: theme.fg } } },
        scales: {
          x: linearAxis(theme, this.xLabel),
          y: {
            type: 'linear',
            title: { display: !!this.yLabel, text: this.yLabel, color: theme.muted },
            ticks: { color: theme.muted },
            grid: { color: theme.border },
            ...(this.yRange ? { min: this.yRange[0], max: this.yRange[1] } : {}),
          },
        },
      },
    });
    this.refill(chart);
    redrawSoon(chart);
    return chart;
  }

  override updated(changed: PropertyValues<this>): void {
    if (changed.has('series')) this.chart.update((chart) => this.refill(chart));
  }

  private refill(chart: SeriesChart): void {
    chart.data.datasets = this.series.map((s, i) => ({
      label: s.label,
      data: downsample(s.values, s.x),
      borderColor: classColor(i),
      backgroundColor: classColor(i),
      pointRadius: 0,
      borderWidth: 1.5,
    }));
  }

  override render() {
    const length = Math.max(0, ...this.series.map((s) => s.values.length));
    const summary =
      length === 0 ? 'no data yet' : `at ${this.xLabel} ${length}: ${this.series.map((s) => `${s.label} ${s.values.at(-1)?.toFixed(3) ?? '–'}`).join(', ')}`;
    return html`<div class="box"><canvas role="img" aria-label="${this.yLabel} by ${this.xLabel}, ${summary}"></canvas></div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-series-chart': SpSeriesChart;
  }
}
