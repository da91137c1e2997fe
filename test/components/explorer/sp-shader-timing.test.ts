import { expect } from '@esm-bundle/chai';
import { Chart } from 'chart.js';
import { timingTick } from '../../../components/explorer/sp-shader-timing.ts';
import type { ProfileReport } from '../../../src/explorer/profiler.ts';

const report = (method: ProfileReport['method']): ProfileReport => ({
  method,
  description: method === 'cpu' ? 'CPU-side timing, not GPU time' : 'GPU time per dispatch',
  steps: 8,
  stepUs: 60,
  kernels: [
    { index: 0, label: 'gather_rows · train input', meanUs: 10, share: 1 / 6, samples: 8 },
    { index: 1, label: 'matmul_blocked · train forward layer 0', meanUs: 20, share: 1 / 3, samples: 8 },
    { index: 2, label: 'matmul_blocked · train forward layer 1', meanUs: 30, share: 0.5, samples: 8 },
  ],
});

describe('<sp-shader-timing>', () => {
  afterEach(() => document.querySelectorAll('sp-shader-timing').forEach((e) => e.remove()));

  it('draws one bar per kernel, coloured by family, without animation', async () => {
    const el = document.createElement('sp-shader-timing');
    el.profile = report('timestamp-query');
    document.body.append(el);
    await el.updateComplete;
    const chart = Chart.getChart(el.shadowRoot!.querySelector('canvas')!)!;
    expect(chart.data.labels).to.deep.equal(['0 gather_rows · train input', '1 matmul · train forward layer 0', '2 matmul · train forward layer 1']);
    expect(chart.data.datasets[0]!.data).to.deep.equal([10, 20, 30]);
    const colors = chart.data.datasets[0]!.backgroundColor as string[];
    expect(colors[1]).to.equal(colors[2]);
    expect(colors[0]).to.not.equal(colors[1]);
    expect(chart.options.animation).to.equal(false);
    expect(el.shadowRoot!.querySelector('[data-testid="timing-method"]')!.textContent).to.match(/GPU timestamps/);
    expect(el.shadowRoot!.querySelector('canvas')!.getAttribute('aria-label')).to.match(/slowest: matmul_blocked · train forward layer 1 30\.0 µs/);
  });

  it('labels each bar with its number and family, short enough to fit a phone-wide chart whole', async () => {
    expect(timingTick('10 matmul_blocked · train backward layer 1 dX')).to.equal('10 matmul');
    expect(timingTick('0 gather_rows · train input')).to.equal('0 gather_rows');
    const box = document.createElement('div');
    box.style.width = '300px';
    const el = document.createElement('sp-shader-timing');
    el.profile = report('timestamp-query');
    box.append(el);
    document.body.append(box);
    await el.updateComplete;
    const chart = Chart.getChart(el.shadowRoot!.querySelector('canvas')!)!;
    chart.update('none');
    const y = chart.scales['y']!;
    expect(y.ticks.map((t) => t.label)).to.deep.equal(['0 gather_rows', '1 matmul', '2 matmul']);
    const ctx = chart.ctx;
    ctx.save();
    ctx.font = `11px ${Chart.defaults.font.family}`;
    const widest = Math.max(...y.ticks.map((t) => ctx.measureText(String(t.label)).width));
    ctx.restore();
    // Right-aligned at the axis: the widest label starts inside the canvas, with room to spare.
    expect(y.left).to.be.at.least(0);
    expect(widest).to.be.below(y.width - 4);
    // And the axis leaves the bars most of a phone-wide chart. The bound allows for wide fonts:
    // Debian's default sans-serif, DejaVu Sans, draws '0 gather_rows' 78 px wide at 11 px.
    expect(widest).to.be.below(chart.width / 3);
    box.remove();
  });

  it('labels CPU-side timing as such, updates in place and is destroyed on disconnect', async () => {
    const el = document.createElement('sp-shader-timing');
    el.profile = report('timestamp-query');
    document.body.append(el);
    await el.updateComplete;
    const canvas = el.shadowRoot!.querySelector('canvas')!;
    const chart = Chart.getChart(canvas)!;
    el.profile = report('cpu');
    await el.updateComplete;
    expect(Chart.getChart(canvas)).to.equal(chart);
    expect(el.shadowRoot!.querySelector('[data-testid="timing-method"]')!.textContent).to.match(/CPU-side timing/);
    el.remove();
    expect(Chart.getChart(canvas)).to.equal(undefined);
  });
});
