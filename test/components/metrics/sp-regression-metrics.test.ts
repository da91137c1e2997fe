import { expect } from '@esm-bundle/chai';
import '../../../components/metrics/sp-regression-metrics.ts';
import type { SpRegressionMetrics } from '../../../components/metrics/sp-regression-metrics.ts';
import type { RegressionInfo, SplitEvaluation } from '../../../src/worker/api.ts';

const regression: RegressionInfo = {
  scale: { mean: 10, std: 2 },
  targetName: 'price',
  targets: { validation: Float32Array.of(9, 11), test: Float32Array.of(8, 10, 12, 14) },
  range: [8, 14],
};

function evaluation(split: 'validation' | 'test', outputs: number[]): SplitEvaluation {
  return { split, loss: 0, accuracy: null, rows: outputs.length, outputs: Float32Array.from(outputs) };
}

describe('<sp-regression-metrics>', () => {
  afterEach(() => document.querySelectorAll('sp-regression-metrics').forEach((e) => e.remove()));

  it("scores the shown split in the target's units: outputs × std + mean against the true values", async () => {
    const el = document.createElement('sp-regression-metrics') as SpRegressionMetrics;
    el.regression = regression;
    // Standardized outputs -1, 0, 1.5, 2 → predictions 8, 10, 13, 14: one error of 1.
    el.evaluations = { validation: evaluation('validation', [-0.5, 0.5]), test: evaluation('test', [-1, 0, 1.5, 2]) };
    document.body.append(el);
    await el.updateComplete;
    const value = (id: string) => Number(el.shadowRoot!.querySelector(`[data-testid="${id}"]`)!.getAttribute('data-value'));
    expect(value('regression-mse')).to.equal(0.25);
    expect(value('regression-mae')).to.equal(0.25);
    expect(value('regression-r2')).to.equal(1 - 1 / 20);
    expect(el.shadowRoot!.querySelectorAll('[data-testid="regression-scatter"] circle')).to.have.length(4);
    const select = el.shadowRoot!.querySelector<HTMLSelectElement>('[data-testid="metrics-split"]')!;
    select.value = 'validation';
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(value('regression-mse')).to.equal(0);
  });

  it('says what is missing instead of scoring nothing', async () => {
    const el = document.createElement('sp-regression-metrics') as SpRegressionMetrics;
    el.regression = regression;
    el.evaluations = { validation: null, test: evaluation('test', [0, 0]) };
    document.body.append(el);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[data-testid="metrics-placeholder"]')!.textContent).to.match(/targets \(4\) do not match its 2 evaluated rows/);
  });
});
