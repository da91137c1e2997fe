import { html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { Chart, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartDataset } from 'chart.js';
import type { HalvingResult } from '../../src/train/halving.ts';
import { ChartController } from '../shared/chart-controller.ts';
import { classColor, themeColors } from '../shared/palette.ts';
import { metricName, metricText } from './sweep-format.ts';
import { chartStyles } from '../shared/styles.ts';
import { linearAxis, STILL_CHART } from '../shared/chart-options.ts';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip);

type Point = { x: number; y: number };
type RungsChart = Chart<'line', Point[]>;

/**
 * Successive halving's rungs: the validation metric (the sweep's: accuracy or loss) against
 * epochs for every configuration, one line each through its score at the end of each rung it
 * reached. Pruned configurations are grey and end at the rung that cut them (a cross marks the
 * cut); those that reached the last rung are coloured, the chosen one thickest. No legend (up to
 * 256 lines): the text alternative says how many each rung kept and which was chosen.
 */
@customElement('sp-sweep-rungs')
export class SpSweepRungs extends LitElement {
  static override styles = chartStyles(260);

  @property({ attribute: false }) result: HalvingResult | null = null;

  private readonly chart = new ChartController<RungsChart>(this, { create: (canvas) => this.createChart(canvas) });

  protected override updated(): void {
    this.chart.update((chart) => this.applyData(chart));
  }

  private createChart(canvas: HTMLCanvasElement): RungsChart {
    const t = themeColors(this);
    const accuracy = this.result?.metric !== 'loss';
    const chart = new Chart<'line', Point[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        ...STILL_CHART,
        parsing: false,
        normalized: true,
        interaction: { mode: 'nearest', intersect: true },
        scales: {
          x: linearAxis(t, 'epochs trained'),
          y: {
            ...linearAxis(t, this.result ? metricName(this.result.metric) : 'validation metric'),
            ...(accuracy ? { min: 0, max: 1 } : { beginAtZero: true }),
          },
        },
        plugins: { legend: { display: false } },
      },
    });
    this.applyData(chart);
    chart.update('none');
    return chart;
  }

  private applyData(chart: RungsChart): void {
    const r = this.result;
    const grey = themeColors(this).muted;
    const datasets: ChartDataset<'line', Point[]>[] = [];
    // Pruned lines first, so the survivors are drawn over them.
    const rows = [...(r?.rows ?? [])].sort((a, b) => Number(b.pruned) - Number(a.pruned));
    let kept = 0;
    for (const row of rows) {
      const data = row.rungMetrics.map((y, k) => ({ x: r!.rungs[k]!.epochs, y })).filter((p) => Number.isFinite(p.y));
      const chosen = row.index === r!.best;
      const color = row.pruned ? grey : classColor(kept++);
      datasets.push({
        label: `#${row.index + 1}${row.pruned ? `, pruned after rung ${row.rung + 1}` : ''}`,
        data,
        borderColor: color,
        backgroundColor: color,
        borderWidth: chosen ? 3 : row.pruned ? 1 : 2,
        pointRadius: data.map((_, k) => (row.pruned && k === data.length - 1 ? 4 : 2)),
        pointStyle: data.map((_, k) => (row.pruned && k === data.length - 1 ? 'crossRot' : 'circle')),
        order: row.pruned ? 2 : chosen ? 0 : 1,
      });
    }
    chart.data.datasets = datasets;
  }

  override render() {
    return html`<div class="box"><canvas data-testid="sweep-rungs" role="img" aria-label=${this.summary()}></canvas></div>`;
  }

  private summary(): string {
    const r = this.result;
    if (!r || r.rows.length === 0) return `Validation metric per rung of successive halving: no result yet`;
    const reached = r.rungs.map((_, k) => r.rows.filter((row) => row.rung >= k).length);
    const rungs = r.rungs.map((rung, k) => `rung ${k + 1} at ${rung.epochs} epochs: ${reached[k]} trained`).join('; ');
    const best =
      r.best === null ? 'none chosen' : `#${r.best + 1} chosen, ${metricName(r.metric)} ${metricText(r.rows[r.best]!.rungMetrics.at(-1) ?? NaN, r.metric)}`;
    return `${metricName(r.metric)} against epochs of ${r.rows.length} configurations, pruned ones grey where they stopped: ${rungs}; ${best}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-sweep-rungs': SpSweepRungs;
  }
}
