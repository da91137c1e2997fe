import { expect } from '@esm-bundle/chai';
import '../../../components/gan2d/sp-gan-2d-charts.ts';
import type { SpGan2dCharts } from '../../../components/gan2d/sp-gan-2d-charts.ts';
import type { Gan2dMeasurePoint } from '../../../components/gan2d/gan2d-controller.ts';

interface SeriesChart extends HTMLElement {
  series: { label: string; values: number[]; x?: number[] }[];
}

async function charts(measures: Gan2dMeasurePoint[]): Promise<SpGan2dCharts> {
  const el = document.createElement('sp-gan-2d-charts');
  el.measures = measures;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const point = (iteration: number, modes: number | null, quality: number | null): Gan2dMeasurePoint => ({
  iteration,
  kl: 1 / iteration,
  js: 0.5 / iteration,
  modes,
  quality,
});

describe('<sp-gan-2d-charts>', () => {
  afterEach(() => document.body.replaceChildren());

  it('on a mixture, charts the share of modes covered and the high-quality share at each frame', async () => {
    // A collapse: 8 of 8 modes, then 3 of 8, while the fakes that land stay on their modes.
    const el = await charts([point(100, 1, 0.4), point(200, 0.75, 0.7), point(300, 3 / 8, 0.9)]);
    const chart = el.shadowRoot!.querySelector<SeriesChart>('[data-testid="gan2d-chart-modes"]');
    expect(chart, 'the modes chart').to.not.equal(null);
    expect(chart!.series.map((s) => s.label)).to.deep.equal(['modes covered', 'high quality']);
    expect(chart!.series[0]!.values).to.deep.equal([1, 0.75, 3 / 8]);
    expect(chart!.series[1]!.values).to.deep.equal([0.4, 0.7, 0.9]);
    expect(chart!.series[0]!.x).to.deep.equal([100, 200, 300]);
  });

  it('on a data set without modes, shows no modes chart', async () => {
    const el = await charts([point(100, null, null), point(200, null, null)]);
    expect(el.shadowRoot!.querySelector('[data-testid="gan2d-chart-modes"]')).to.equal(null);
    expect(el.shadowRoot!.querySelector('[data-testid="gan2d-chart-divergence"]')).to.not.equal(null);
  });
});
