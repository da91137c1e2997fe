import { expect } from '@esm-bundle/chai';
import { Chart } from 'chart.js';
import '../../../components/charts/sp-series-chart.ts';
import type { SpSeriesChart } from '../../../components/charts/sp-series-chart.ts';

async function make(): Promise<SpSeriesChart> {
  const el = document.createElement('sp-series-chart');
  el.yLabel = 'loss';
  el.series = [
    { label: 'D', values: [1, 0.5] },
    { label: 'G', values: [2, 1.5] },
  ];
  document.body.append(el);
  await el.updateComplete;
  return el;
}

describe('<sp-series-chart>', () => {
  afterEach(() => document.querySelectorAll('sp-series-chart').forEach((el) => el.remove()));

  it('draws one line per series and names the last values for screen readers', async () => {
    const el = await make();
    const canvas = el.shadowRoot!.querySelector('canvas')!;
    expect(Chart.getChart(canvas)!.data.datasets.map((d) => d.label)).to.deep.equal(['D', 'G']);
    expect(canvas.getAttribute('aria-label')).to.equal('loss by iteration, at iteration 2: D 0.500, G 1.500');
  });

  it('averages a long series into at most 400 points', async () => {
    const el = await make();
    el.series = [{ label: 'D', values: Array.from({ length: 1000 }, (_, i) => i) }];
    await el.updateComplete;
    const chart = Chart.getChart(el.shadowRoot!.querySelector('canvas')!)!;
    chart.update('none');
    const points = chart.data.datasets[0]!.data as { x: number; y: number }[];
    expect(points.length).to.be.at.most(400);
    expect(points[0]).to.deep.equal({ x: 3, y: 1 });
  });

  // A moved <sp-gan> (say, into another column of a post) showed two empty charts: this chart
  // was the one element that did not build its chart again after a reconnect.
  it('builds its chart again when moved, with the series it holds and those that come after', async () => {
    const el = await make();
    const canvas = el.shadowRoot!.querySelector('canvas')!;
    const other = document.createElement('div');
    document.body.append(other);
    other.append(el);
    await el.updateComplete;
    await el.updateComplete;
    expect(Chart.getChart(canvas)!.data.datasets.map((d) => d.label)).to.deep.equal(['D', 'G']);
    el.series = [{ label: 'D', values: [1, 0.5, 0.25] }];
    await el.updateComplete;
    expect(Chart.getChart(canvas)!.data.datasets[0]!.data).to.have.length(3);
    other.remove();
  });
});
