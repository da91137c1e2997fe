import { expect } from '@esm-bundle/chai';
import { Chart } from 'chart.js';
import '../../../components/metrics/sp-metrics-panel.ts';
import type { MetricsEvaluations, SpMetricsPanel } from '../../../components/metrics/sp-metrics-panel.ts';
import type { SpConfusionMatrix } from '../../../components/metrics/sp-confusion-matrix.ts';
import type { SpCurveChart } from '../../../components/charts/sp-curve-chart.ts';
import type { SplitEvaluation } from '../../../src/worker/api.ts';

function evaluation(split: 'validation' | 'test', outputs: number[], rows: number, accuracy: number | null = 0.5): SplitEvaluation {
  return { split, loss: 0.42, accuracy, rows, outputs: Float32Array.from(outputs) };
}

/** Binary sigmoid head on scikit-learn's example: labels 0,0,1,1, p = .1, .4, .35, .8. */
const binary: MetricsEvaluations = {
  validation: evaluation('validation', [0.9, 0.2], 2),
  test: evaluation('test', [0.1, 0.4, 0.35, 0.8], 4),
};
const binaryLabels = { validation: Uint32Array.of(1, 0), test: Uint32Array.of(0, 0, 1, 1) };

async function make(evaluations: MetricsEvaluations, labels = binaryLabels, names = ['neg', 'pos']): Promise<SpMetricsPanel> {
  const el = document.createElement('sp-metrics-panel');
  el.evaluations = evaluations;
  el.labels = labels;
  el.classNames = names;
  document.body.append(el);
  await settle(el);
  return el;
}

/** Waits for the panel and the elements it renders. */
async function settle(el: SpMetricsPanel): Promise<void> {
  await el.updateComplete;
  for (const child of el.shadowRoot!.querySelectorAll('sp-confusion-matrix, sp-class-report, sp-curve-chart')) {
    await (child as SpConfusionMatrix).updateComplete;
  }
}

const q = <T extends Element>(el: SpMetricsPanel, sel: string) => el.shadowRoot!.querySelector<T>(sel)!;
const matrixOf = (el: SpMetricsPanel) => q<SpConfusionMatrix>(el, 'sp-confusion-matrix').matrix;
const accuracyText = (el: SpMetricsPanel) => q(el, '[data-testid=metrics-accuracy]').textContent!.trim();

describe('<sp-metrics-panel>', () => {
  afterEach(() => document.querySelectorAll('sp-metrics-panel').forEach((e) => e.remove()));

  it('shows a placeholder until there is an evaluation', async () => {
    const el = await make({ validation: null, test: null });
    expect(q(el, '[data-testid=metrics-placeholder]').textContent!.toLowerCase()).to.contain('train to see metrics');
    expect(el.shadowRoot!.querySelector('sp-confusion-matrix')).to.equal(null);
    expect(q<HTMLSelectElement>(el, '[data-testid=metrics-split]').value).to.equal('test');
  });

  it('shows the test split by default: matrix, report, accuracy and curves', async () => {
    const el = await make(binary);
    expect(q(el, 'h3').textContent).to.contain('Test split metrics');
    expect(matrixOf(el)).to.deep.equal([
      [2, 0],
      [1, 1],
    ]);
    expect(accuracyText(el)).to.equal('75.0%');
    expect(q<HTMLElement>(el, 'sp-class-report').shadowRoot!.querySelector('tr[data-class="1"]')!.textContent).to.contain('pos');
    const roc = Chart.getChart(q<SpCurveChart>(el, 'sp-curve-chart[kind=roc]').shadowRoot!.querySelector('canvas')!)!;
    expect(roc.data.datasets.map((d) => d.label)).to.deep.equal(['pos (AUC 0.750)', 'Chance', 'Threshold 0.50']);
    expect(roc.data.datasets[2]!.data).to.deep.equal([{ x: 0, y: 0.5 }]);
    const pr = q<SpCurveChart>(el, 'sp-curve-chart[kind=pr]');
    expect(pr.curves.map((c) => c.score.toFixed(4))).to.deep.equal(['0.8333']);
  });

  it('recomputes the matrix when the threshold slider moves, keeping the curves', async () => {
    const el = await make(binary);
    const curves = q<SpCurveChart>(el, 'sp-curve-chart[kind=roc]').curves[0]!.x;
    const slider = q<HTMLInputElement>(el, '[data-testid=threshold]');
    expect([slider.min, slider.max, slider.step]).to.deep.equal(['0', '1', '0.01']);
    let detail: unknown = null;
    el.addEventListener('sp-threshold-change', (e) => (detail = (e as CustomEvent).detail), { once: true });
    slider.value = '0.38';
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    await settle(el);
    expect(detail).to.deep.equal({ threshold: 0.38 });
    expect(matrixOf(el)).to.deep.equal([
      [1, 1],
      [1, 1],
    ]);
    expect(accuracyText(el)).to.equal('50.0%');
    expect(q<SpCurveChart>(el, 'sp-curve-chart[kind=roc]').curves[0]!.x).to.equal(curves);
  });

  it('switches to the validation split and says so', async () => {
    const el = await make(binary);
    let detail: unknown = null;
    el.addEventListener('sp-split-change', (e) => (detail = (e as CustomEvent).detail), { once: true });
    const select = q<HTMLSelectElement>(el, '[data-testid=metrics-split]');
    select.value = 'validation';
    select.dispatchEvent(new Event('change'));
    await settle(el);
    expect(detail).to.deep.equal({ split: 'validation' });
    expect(q(el, 'h3').textContent).to.contain('Validation split metrics');
    expect(matrixOf(el)).to.deep.equal([
      [1, 0],
      [0, 1],
    ]);
    expect(accuracyText(el)).to.equal('100.0%');
  });

  it('uses argmax and no threshold for three classes, one curve per class', async () => {
    const out = [0.8, 0.1, 0.1, 0.1, 0.8, 0.1, 0.2, 0.2, 0.6, 0.2, 0.7, 0.1];
    const el = await make({ validation: null, test: evaluation('test', out, 4) }, { validation: new Uint32Array(0), test: Uint32Array.of(0, 1, 2, 2) }, [
      'setosa',
      'versicolor',
      'virginica',
    ]);
    expect(el.shadowRoot!.querySelector('[data-testid=threshold]')).to.equal(null);
    expect(matrixOf(el)).to.deep.equal([
      [1, 0, 0],
      [0, 1, 0],
      [0, 1, 1],
    ]);
    const roc = q<SpCurveChart>(el, 'sp-curve-chart[kind=roc]');
    expect(roc.curves.map((c) => `${c.label} ${c.score}`)).to.deep.equal(['setosa 1', 'versicolor 1', 'virginica 0.75']);
  });

  it('keeps the normalize toggle across threshold changes and lets cell selection bubble out', async () => {
    const el = await make(binary);
    const matrix = q<SpConfusionMatrix>(el, 'sp-confusion-matrix');
    matrix.shadowRoot!.querySelector<HTMLButtonElement>('[data-testid=normalize]')!.click();
    const slider = q<HTMLInputElement>(el, '[data-testid=threshold]');
    slider.value = '0.3';
    slider.dispatchEvent(new Event('input'));
    await settle(el);
    expect(matrix.normalized).to.equal(true);
    let detail: unknown = null;
    document.body.addEventListener('sp-cell-select', (e) => (detail = (e as CustomEvent).detail), { once: true });
    matrix.shadowRoot!.querySelector<HTMLButtonElement>('td button')!.click();
    expect(detail).to.deep.equal({ trueClass: 0, predictedClass: 0 });
  });

  it('explains regression heads and mismatched labels instead of throwing', async () => {
    const el = await make({ validation: null, test: evaluation('test', [0.3], 1, null) });
    expect(q(el, '[data-testid=metrics-placeholder]').textContent).to.contain('classification head');
    el.evaluations = binary;
    el.labels = { validation: new Uint32Array(0), test: Uint32Array.of(0, 1) };
    await settle(el);
    expect(q(el, '[data-testid=metrics-placeholder]').textContent).to.contain('do not match');
  });
});
