import { css, html, LitElement, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';
import type { ProfileReport } from '../../src/explorer/profiler.ts';
import { ChartController } from '../shared/chart-controller.ts';
import { linearAxis, STILL_CHART } from '../shared/chart-options.ts';
import { classColor, themeColors } from '../shared/palette.ts';
import { baseStyles } from '../shared/styles.ts';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

type TimingChart = Chart<'bar', number[], string>;

/** Family of a dispatch label: "matmul_blocked · train forward layer 0" → "matmul". */
function familyOf(label: string): string {
  const entry = label.split(' · ')[0]!;
  return entry.startsWith('matmul') ? 'matmul' : entry;
}

/** Colour index of a dispatch label's family, in order of first appearance. */
function familyIndex(label: string, families: string[]): number {
  const family = familyOf(label);
  if (!families.includes(family)) families.push(family);
  return families.indexOf(family);
}

/**
 * What the y axis draws for a bar: its number in the kernel list and its family ("7 matmul").
 * Short on purpose: chart.js gives an axis at most half the chart's width and a browser whose
 * font measures wider (Firefox) would cut the first characters of a long name off. The full
 * name is in the tooltip and in the kernel list above.
 */
export function timingTick(label: string): string {
  const [index, ...rest] = label.split(' ');
  return `${index} ${familyOf(rest.join(' '))}`;
}

/**
 * Mean time per kernel of the training step as a horizontal bar chart (one chart.js instance,
 * kept by a ChartController, animation off), coloured by kernel family, with a caption that
 * says how the times were measured.
 */
@customElement('sp-shader-timing')
export class SpShaderTiming extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .box {
        position: relative;
        height: var(--sp-timing-height, 320px);
      }
      p {
        margin: 4px 0;
        font-size: 13px;
      }
    `,
  ];

  @property({ attribute: false }) profile: ProfileReport | null = null;
  private readonly chart = new ChartController<TimingChart>(this, { create: (canvas) => this.createChart(canvas) });

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('profile')) this.chart.update((chart) => this.fill(chart), 'now');
  }

  private createChart(canvas: HTMLCanvasElement): TimingChart {
    const t = themeColors(this);
    const chart = new Chart(canvas, {
      type: 'bar',
      data: { labels: [], datasets: [{ label: 'mean µs per step', data: [], backgroundColor: [] }] },
      options: {
        indexAxis: 'y',
        ...STILL_CHART,
        layout: { padding: { left: 4 } },
        scales: {
          x: { ...linearAxis(t, 'µs per step'), beginAtZero: true },
          y: {
            type: 'category',
            grid: { display: false },
            ticks: {
              color: t.fg,
              autoSkip: false,
              font: { size: 11 },
              callback(value) {
                return timingTick(this.getLabelForValue(Number(value)));
              },
            },
          },
        },
        plugins: { tooltip: { callbacks: { title: (items) => String(items[0]?.label ?? ''), label: (item) => this.tooltip(item.dataIndex) } } },
      },
    }) as TimingChart;
    this.fill(chart);
    chart.update('none');
    return chart;
  }

  private tooltip(i: number): string {
    const k = this.profile?.kernels[i];
    return k ? `${k.meanUs.toFixed(1)} µs (${(k.share * 100).toFixed(1)}% of the step, ${k.samples} steps)` : '';
  }

  private fill(chart: TimingChart): void {
    const kernels = this.profile?.kernels ?? [];
    const families: string[] = [];
    chart.data.labels = kernels.map((k) => `${k.index} ${k.label.replace(/^matmul_(blocked|tiled)/, 'matmul')}`);
    const ds = chart.data.datasets[0]!;
    ds.data = kernels.map((k) => (Number.isFinite(k.meanUs) ? k.meanUs : 0));
    ds.backgroundColor = kernels.map((k) => classColor(familyIndex(k.label, families)));
  }

  /** Words for the canvas, for screen readers. */
  private summary(): string {
    const p = this.profile;
    if (!p || p.steps === 0) return 'Kernel times: no samples yet';
    const top = [...p.kernels].sort((a, b) => b.meanUs - a.meanUs).slice(0, 3);
    return `Kernel times over ${p.steps} steps, ${p.stepUs.toFixed(0)} µs per step; slowest: ${top.map((k) => `${k.label} ${k.meanUs.toFixed(1)} µs`).join(', ')}`;
  }

  override render() {
    const p = this.profile;
    return html`
      <p data-testid="timing-method">
        ${p ? html`<strong>${p.method === 'timestamp-query' ? 'GPU timestamps' : 'CPU-side timing'}</strong>: ${p.description}` : 'No timings yet: they appear while the network trains.'}
      </p>
      <p class="muted" data-testid="timing-window">
        ${p && p.steps > 0 ? `Mean over the last ${p.steps} steps: ${p.stepUs.toFixed(1)} µs of kernel time per step. Bars are numbered as in the kernel list.` : 'No steps timed yet.'}
      </p>
      <div class="box"><canvas role="img" aria-label=${this.summary()}></canvas></div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-shader-timing': SpShaderTiming;
  }
}
