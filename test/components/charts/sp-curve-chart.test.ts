import { expect } from '@esm-bundle/chai';
import { Chart } from 'chart.js';
import '../../../components/charts/sp-curve-chart.ts';
import type { SpCurveChart } from '../../../components/charts/sp-curve-chart.ts';
import { classColor } from '../../../components/shared/palette.ts';

async function make(kind: 'roc' | 'pr'): Promise<SpCurveChart> {
  const el = document.createElement('sp-curve-chart');
  el.kind = kind;
  el.curves = [
    { label: 'setosa', x: [0, 0, 1], y: [0, 1, 1], score: 1 },
    { label: 'virginica', x: [0, NaN, 1], y: [0, 0.5, 1], score: NaN, colorIndex: 2 },
  ];
  document.body.append(el);
  await el.updateComplete;
  return el;
}

function titleOf(chart: Chart, axis: string): string | undefined {
  return (chart.options.scales![axis] as { title?: { text?: string } }).title?.text;
}

function chartOf(el: SpCurveChart): Chart {
  return Chart.getChart(el.shadowRoot!.querySelector('canvas')!)!;
}

describe('<sp-curve-chart>', () => {
  afterEach(() => document.querySelectorAll('sp-curve-chart').forEach((e) => e.remove()));

  it('labels ROC curves with their AUC, adds the chance diagonal, axes 0..1', async () => {
    const chart = chartOf(await make('roc'));
    expect(chart.data.datasets.map((d) => d.label)).to.deep.equal(['setosa (AUC 1.000)', 'virginica (AUC n/a)', 'Chance']);
    expect(chart.data.datasets[2]!.data).to.deep.equal([
      { x: 0, y: 0 },
      { x: 1, y: 1 },
    ]);
    expect(chart.data.datasets[1]!.data).to.deep.equal([
      { x: 0, y: 0 },
      { x: 1, y: 1 },
    ]);
    expect(chart.data.datasets[1]!.borderColor).to.equal(classColor(2));
    for (const axis of ['x', 'y']) {
      expect(chart.scales[axis]!.min).to.equal(0);
      expect(chart.scales[axis]!.max).to.equal(1);
    }
    expect(titleOf(chart, 'x')).to.equal('False positive rate');
  });

  it('labels PR curves with AP, draws them as steps, no diagonal', async () => {
    const el = await make('pr');
    const chart = chartOf(el);
    expect(chart.data.datasets.map((d) => d.label)).to.deep.equal(['setosa (AP 1.000)', 'virginica (AP n/a)']);
    expect((chart.data.datasets[0] as { stepped?: unknown }).stepped).to.equal('after');
    expect(titleOf(chart, 'x')).to.equal('Recall');
  });

  it('updates the same chart with new curves and operating points', async () => {
    const el = await make('roc');
    const chart = chartOf(el);
    el.curves = [{ label: 'yes', x: [0, 1], y: [0, 1], score: 0.5 }];
    el.points = [{ label: 'Threshold 0.50', x: 0.25, y: 0.75 }];
    await el.updateComplete;
    expect(chartOf(el)).to.equal(chart);
    expect(chart.data.datasets.map((d) => d.label)).to.deep.equal(['yes (AUC 0.500)', 'Chance', 'Threshold 0.50']);
    expect((chart.data.datasets[2] as { showLine?: boolean }).showLine).to.equal(false);
    expect(el.shadowRoot!.querySelector('canvas')!.getAttribute('aria-label')).to.equal('ROC curves: yes AUC 0.500');
  });
});
