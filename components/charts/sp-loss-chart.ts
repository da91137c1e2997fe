import { html, LitElement, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type Plugin } from 'chart.js';
import type { EpochRecord } from '../../src/worker/api.ts';
import { ChartController } from '../shared/chart-controller.ts';
import { STILL_CHART } from '../shared/chart-options.ts';
import { PALETTE, redrawSoon, themeColors, type ThemeColors } from '../shared/palette.ts';
import { chartStyles } from '../shared/styles.ts';

Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip);

/** A vertical annotation at an epoch, e.g. where early stopping kept the best weights. */
export interface EpochMarker {
  epoch: number;
  label: string;
}

/** Chart markers for an early stop: the best epoch (whose weights were restored) and the stop. */
export function earlyStopMarkers(es: { stoppedEpoch: number; bestEpoch: number } | null): EpochMarker[] {
  if (!es) return [];
  return [
    { epoch: es.bestEpoch, label: `best (${es.bestEpoch}, restored)` },
    { epoch: es.stoppedEpoch, label: `stopped (${es.stoppedEpoch})` },
  ];
}

type Point = { x: number; y: number | null };
type LossChart = Chart<'line', Point[]>;

/**
 * Train and validation loss (or accuracy) per epoch. Appends only the new epochs when
 * `history` grows, so a live run costs one small update per epoch; a shorter or different
 * history (a reset) or a metric switch refills the same chart. Markers are dashed vertical
 * lines with a label.
 */
@customElement('sp-loss-chart')
export class SpLossChart extends LitElement {
  static override styles = chartStyles(240);

  /** Epoch records in order; may be the same array grown in place or a new one. */
  @property({ attribute: false }) history: EpochRecord[] = [];
  /** Which pair of series to draw. */
  @property({ reflect: true }) metric: 'loss' | 'accuracy' = 'loss';
  /** Vertical annotations, drawn over the lines. */
  @property({ attribute: false }) markers: EpochMarker[] = [];
  /** A pinned run's history, drawn grey under the current run for comparison; null for none. */
  @property({ attribute: false }) baseline: EpochRecord[] | null = null;

  private readonly chart = new ChartController<LossChart>(this, { create: (canvas) => this.createChart(canvas) });
  private theme: ThemeColors | null = null;
  /** What the chart holds, to tell an append from a replacement. */
  private shown: { count: number; metric: string; last: EpochRecord | null } = { count: 0, metric: '', last: null };

  private readonly markerPlugin: Plugin<'line'> = {
    id: 'spEpochMarkers',
    afterDatasetsDraw: (chart) => this.drawMarkers(chart as unknown as LossChart),
  };

  protected override updated(changed: PropertyValues<this>): void {
    const chart = this.chart.current;
    if (!chart) return;
    const appended = changed.has('history') || changed.has('metric') ? this.sync(chart) : true;
    if (changed.has('baseline') || changed.has('metric')) {
      this.fillBaseline(chart);
      chart.update('none');
      return;
    }
    // Appending epochs happens many times a second during training: draw in a task of its own.
    // A reset or a metric switch is rare and redraws at once.
    if (appended) redrawSoon(chart);
    else chart.update('none');
  }

  private createChart(canvas: HTMLCanvasElement): LossChart {
    this.theme = themeColors(this);
    const t = this.theme;
    const line = (label: string, color: string, dash: number[]) => ({
      label,
      data: [] as Point[],
      borderColor: color,
      backgroundColor: color,
      borderDash: dash,
      pointRadius: 0,
      pointHitRadius: 6,
      borderWidth: 2,
    });
    const chart: LossChart = new Chart(canvas, {
      type: 'line',
      data: {
        datasets: [
          line('Train', PALETTE[0]!, []),
          line('Validation', PALETTE[1]!, [6, 3]),
          { ...line('Pinned train', t.muted, []), borderWidth: 1.5 },
          { ...line('Pinned validation', t.muted, [6, 3]), borderWidth: 1.5 },
        ],
      },
      options: {
        ...STILL_CHART,
        parsing: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'Epoch', color: t.muted }, ticks: { precision: 0, color: t.muted }, grid: { color: t.border } },
        },
        plugins: {
          legend: { labels: { color: t.fg, boxWidth: 24, boxHeight: 3, filter: (item, data) => (data.datasets[item.datasetIndex!]?.data.length ?? 0) > 0 } },
        },
      },
      plugins: [this.markerPlugin],
    });
    this.warmUp(chart);
    this.shown = { count: 0, metric: '', last: null };
    this.sync(chart);
    this.fillBaseline(chart);
    chart.update('none');
    return chart;
  }

  /** Refills the pinned run's two lines (rare: on pin, unpin or a metric switch). */
  private fillBaseline(chart: LossChart): void {
    const [, , train, validation] = chart.data.datasets as { data: Point[] }[];
    const acc = this.metric === 'accuracy';
    const h = this.baseline ?? [];
    train!.data = h.map((r) => ({ x: r.epoch, y: acc ? r.trainAccuracy : r.trainLoss }));
    validation!.data = h.map((r) => ({ x: r.epoch, y: acc ? r.validationAccuracy : r.validationLoss }));
  }

  /**
   * Draws a throwaway line once while the page loads: the first draw of real data compiles
   * chart.js's line and scale code, which would otherwise cost one long task when training starts.
   */
  private warmUp(chart: LossChart): void {
    for (const d of chart.data.datasets)
      d.data = [
        { x: 1, y: 1 },
        { x: 2, y: 0.5 },
      ];
    chart.update('none');
    for (const d of chart.data.datasets) d.data = [];
  }

  /** Brings the datasets up to `history`, appending when it only grew; false when they had to be refilled from scratch. */
  private sync(chart: LossChart): boolean {
    const h = this.history ?? [];
    const [train, validation] = chart.data.datasets as [{ data: Point[] }, { data: Point[] }];
    const last = this.shown.count > 0 ? h[this.shown.count - 1] : undefined;
    const continues =
      this.shown.metric === this.metric &&
      h.length >= this.shown.count &&
      (this.shown.count === 0 || (last !== undefined && sameRecord(last, this.shown.last!)));
    if (!continues) {
      train.data = [];
      validation.data = [];
      this.shown.count = 0;
      this.configureAxis(chart);
    }
    const acc = this.metric === 'accuracy';
    for (let i = this.shown.count; i < h.length; i++) {
      const r = h[i]!;
      train.data.push({ x: r.epoch, y: acc ? r.trainAccuracy : r.trainLoss });
      validation.data.push({ x: r.epoch, y: acc ? r.validationAccuracy : r.validationLoss });
    }
    this.shown = { count: h.length, metric: this.metric, last: h[h.length - 1] ?? null };
    return continues;
  }

  private configureAxis(chart: LossChart): void {
    const acc = this.metric === 'accuracy';
    const t = this.theme ?? themeColors(this);
    chart.options.scales!['y'] = {
      type: 'linear',
      beginAtZero: true,
      ...(acc ? { min: 0, max: 1 } : {}),
      title: { display: true, text: acc ? 'Accuracy' : 'Loss', color: t.muted },
      ticks: { color: t.muted },
      grid: { color: t.border },
    };
  }

  private drawMarkers(chart: LossChart): void {
    if (!this.markers?.length) return;
    const x = chart.scales['x']!;
    const { top, bottom, left, right } = chart.chartArea;
    const ctx = chart.ctx;
    ctx.save();
    ctx.strokeStyle = this.theme?.muted ?? '#5b6570';
    ctx.fillStyle = this.theme?.fg ?? '#1b1f24';
    ctx.setLineDash([4, 4]);
    ctx.font = '11px system-ui, sans-serif';
    for (const m of this.markers) {
      const px = x.getPixelForValue(m.epoch);
      if (!(px >= left && px <= right)) continue;
      ctx.beginPath();
      ctx.moveTo(px, top);
      ctx.lineTo(px, bottom);
      ctx.stroke();
      ctx.textAlign = px > (left + right) / 2 ? 'right' : 'left';
      ctx.fillText(m.label, px + (ctx.textAlign === 'right' ? -4 : 4), top + 12);
    }
    ctx.restore();
  }

  /** Words for the canvas: the latest values and the markers, for screen readers. */
  private summary(): string {
    const what = this.metric === 'accuracy' ? 'Accuracy' : 'Loss';
    const last = this.history?.[this.history.length - 1];
    if (!last) return `${what} per epoch: no epochs yet`;
    const acc = this.metric === 'accuracy';
    const tr = acc ? last.trainAccuracy : last.trainLoss;
    const va = acc ? last.validationAccuracy : last.validationLoss;
    const parts = [`${what} per epoch, epoch ${last.epoch}: train ${fmt(tr)}`];
    if (va !== null) parts.push(`validation ${fmt(va)}`);
    for (const m of this.markers ?? []) parts.push(`marker at epoch ${m.epoch}: ${m.label}`);
    const pinned = this.baseline?.[this.baseline.length - 1];
    if (pinned) parts.push(`pinned run at epoch ${pinned.epoch}: train ${fmt(acc ? pinned.trainAccuracy : pinned.trainLoss)}`);
    return parts.join(', ');
  }

  override render() {
    return html`<div class="box"><canvas role="img" aria-label=${this.summary()}></canvas></div>`;
  }
}

function sameRecord(a: EpochRecord, b: EpochRecord): boolean {
  return a === b || (a.epoch === b.epoch && a.step === b.step && Object.is(a.trainLoss, b.trainLoss));
}

function fmt(v: number | null): string {
  return v === null ? 'n/a' : v.toPrecision(4);
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-loss-chart': SpLossChart;
  }
}
