import { expect } from '@esm-bundle/chai';
import { Chart } from 'chart.js';
import '../../../components/charts/sp-loss-chart.ts';
import type { SpLossChart } from '../../../components/charts/sp-loss-chart.ts';
import type { EpochRecord } from '../../../src/train/trainer.ts';

function record(epoch: number, validation = true): EpochRecord {
  return {
    epoch,
    step: epoch * 4,
    trainLoss: 1 / epoch,
    trainAccuracy: 1 - 0.5 / epoch,
    validationLoss: validation ? 1.2 / epoch : null,
    validationAccuracy: validation ? 1 - 0.6 / epoch : null,
  };
}

async function make(history: EpochRecord[]): Promise<SpLossChart> {
  const el = document.createElement('sp-loss-chart');
  el.history = history;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

function chartOf(el: SpLossChart): Chart {
  return Chart.getChart(el.shadowRoot!.querySelector('canvas')!)!;
}

describe('<sp-loss-chart>', () => {
  afterEach(() => document.querySelectorAll('sp-loss-chart').forEach((e) => e.remove()));

  it('draws train and validation loss per epoch on a linear x axis', async () => {
    const el = await make([record(1), record(2)]);
    const chart = chartOf(el);
    expect(chart.data.datasets.map((d) => d.label)).to.deep.equal(['Train', 'Validation', 'Pinned train', 'Pinned validation']);
    expect(chart.data.datasets[0]!.data).to.deep.equal([
      { x: 1, y: 1 },
      { x: 2, y: 0.5 },
    ]);
    expect(chart.data.datasets[1]!.data).to.deep.equal([
      { x: 1, y: 1.2 },
      { x: 2, y: 0.6 },
    ]);
    expect(chart.options.scales!['x']!.type).to.equal('linear');
    expect(chart.options.animation).to.equal(false);
  });

  it('overlays a pinned run for comparison, follows the metric, and clears it', async () => {
    const el = await make([record(1), record(2)]);
    const chart = chartOf(el);
    expect(chart.data.datasets[2]!.data).to.deep.equal([]);
    el.baseline = [record(1), record(2), record(4)];
    await el.updateComplete;
    expect(chart.data.datasets[2]!.data).to.deep.equal([
      { x: 1, y: 1 },
      { x: 2, y: 0.5 },
      { x: 4, y: 0.25 },
    ]);
    expect(chart.data.datasets[3]!.data).to.deep.equal([
      { x: 1, y: 1.2 },
      { x: 2, y: 0.6 },
      { x: 4, y: 0.3 },
    ]);
    expect(el.shadowRoot!.querySelector('canvas')!.getAttribute('aria-label')).to.contain('pinned run at epoch 4');
    el.metric = 'accuracy';
    await el.updateComplete;
    expect(chart.data.datasets[2]!.data.at(-1)).to.deep.equal({ x: 4, y: 1 - 0.5 / 4 });
    el.baseline = null;
    await el.updateComplete;
    expect(chart.data.datasets[2]!.data).to.deep.equal([]);
    expect(chart.data.datasets[0]!.data).to.have.length(2);
  });

  it('appends only new epochs to the same chart and data arrays', async () => {
    const history = [record(1), record(2)];
    const el = await make(history);
    const chart = chartOf(el);
    const trainData = chart.data.datasets[0]!.data;
    el.history = [...history, record(3)];
    await el.updateComplete;
    expect(chartOf(el)).to.equal(chart);
    expect(chart.data.datasets[0]!.data).to.equal(trainData);
    expect(trainData.map((p) => (p as { x: number }).x)).to.deep.equal([1, 2, 3]);
  });

  it('refills after a reset and switches to accuracy on a 0..1 axis', async () => {
    const el = await make([record(1), record(2), record(3)]);
    el.history = [{ ...record(1), trainLoss: 7 }];
    await el.updateComplete;
    const chart = chartOf(el);
    expect(chart.data.datasets[0]!.data).to.deep.equal([{ x: 1, y: 7 }]);
    el.metric = 'accuracy';
    await el.updateComplete;
    expect(chart.data.datasets[0]!.data).to.deep.equal([{ x: 1, y: 0.5 }]);
    expect(chart.scales['y']!.max).to.equal(1);
    expect(el.getAttribute('metric')).to.equal('accuracy');
  });

  it('leaves gaps where there is no validation split', async () => {
    const el = await make([record(1, false)]);
    expect(chartOf(el).data.datasets[1]!.data).to.deep.equal([{ x: 1, y: null }]);
  });

  it('draws markers and names them for screen readers', async () => {
    const el = await make([record(1), record(2), record(3)]);
    el.markers = [{ epoch: 2, label: 'early stop' }];
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('canvas')!.getAttribute('aria-label')).to.contain('marker at epoch 2: early stop');
    const plugin = chartOf(el).config.plugins?.find((p) => p.id === 'spEpochMarkers');
    expect(plugin).to.not.equal(undefined);
  });

  it('destroys its chart on disconnect and rebuilds it on reconnect', async () => {
    const el = await make([record(1)]);
    const canvas = el.shadowRoot!.querySelector('canvas')!;
    el.remove();
    expect(Chart.getChart(canvas)).to.equal(undefined);
    document.body.append(el);
    await el.updateComplete;
    await el.updateComplete;
    expect(Chart.getChart(canvas)!.data.datasets[0]!.data).to.deep.equal([{ x: 1, y: 1 }]);
  });
});
