import { html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartDataset } from 'chart.js';
import type { SweepResult } from '../../src/train/sweep.ts';
import { ChartController } from '../shared/chart-controller.ts';
import { classColor, themeColors } from '../shared/palette.ts';
import { lossText, valuesText } from './sweep-format.ts';
import { chartStyles } from '../shared/styles.ts';
import { linearAxis, STILL_CHART } from '../shared/chart-options.ts';

Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip);

type Point = { x: number; y: number };
type CurvesChart = Chart<'line', Point[]>;

/**
 * Train and validation loss per epoch of a sweep's best few configurations (best first): one
 * colour per configuration, train solid, validation dashed. The text alternative names each
 * configuration with its last losses.
 */
@customElement('sp-sweep-curves')
export class SpSweepCurves extends LitElement {
  static override styles = chartStyles(260);

  @property({ attribute: false }) result: SweepResult | null = null;

  private readonly chart = new ChartController<CurvesChart>(this, { create: (canvas) => this.createChart(canvas) });

  protected override updated(): void {
    this.chart.update((chart) => this.applyData(chart));
  }

  private createChart(canvas: HTMLCanvasElement): CurvesChart {
    const t = themeColors(this);
    const chart = new Chart<'line', Point[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        ...STILL_CHART,
        parsing: false,
        normalized: true,
        interaction: { mode: 'nearest', intersect: false },
        scales: {
          x: linearAxis(t, 'epoch'),
          y: { ...linearAxis(t, 'loss'), beginAtZero: true },
        },
        plugins: { legend: { labels: { color: t.fg, boxWidth: 24, boxHeight: 3 } } },
      },
    });
    this.applyData(chart);
    chart.update('none');
    return chart;
  }

  private applyData(chart: CurvesChart): void {
    const r = this.result;
    const datasets: ChartDataset<'line', Point[]>[] = [];
    for (const [k, c] of (r?.curves ?? []).entries()) {
      const name = `#${c.index + 1}`;
      const train = c.history.filter((h) => Number.isFinite(h.trainLoss)).map((h) => ({ x: h.epoch, y: h.trainLoss }));
      const val = c.history.filter((h) => h.validationLoss !== null && Number.isFinite(h.validationLoss)).map((h) => ({ x: h.epoch, y: h.validationLoss! }));
      const color = classColor(k);
      datasets.push({ label: `${name} train`, data: train, borderColor: color, backgroundColor: color, borderWidth: 2, pointRadius: 0 });
      datasets.push({ label: `${name} validation`, data: val, borderColor: color, backgroundColor: color, borderWidth: 2, borderDash: [6, 3], pointRadius: 0 });
    }
    chart.data.datasets = datasets;
  }

  override render() {
    return html`<div class="box"><canvas role="img" aria-label=${this.summary()}></canvas></div>`;
  }

  private summary(): string {
    const r = this.result;
    if (!r || r.curves.length === 0) return 'Loss per epoch of the best configurations: none yet';
    const items = r.curves.map((c) => {
      const row = r.rows[c.index]!;
      const last = c.history.at(-1);
      const where = valuesText(row, r.varied) || 'the experiment';
      return last
        ? `#${c.index + 1} (${where}): after epoch ${last.epoch} train loss ${lossText(last.trainLoss)}, validation loss ${lossText(last.validationLoss ?? NaN)}`
        : `#${c.index + 1} (${where}): no epochs`;
    });
    return `Train (solid) and validation (dashed) loss per epoch of the best ${r.curves.length}, best first: ${items.join('; ')}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-sweep-curves': SpSweepCurves;
  }
}
