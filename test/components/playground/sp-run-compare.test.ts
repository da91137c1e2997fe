import { expect } from '@esm-bundle/chai';
import '../../../components/playground/sp-run-compare.ts';
import type { PinnedRun } from '../../../components/playground/sp-run-compare.ts';
import { configDifferences } from '../../../src/config/diff.ts';
import { DEFAULT_EXPERIMENT, DEFAULT_REMEDIES, type ExperimentConfig } from '../../../src/config/experiment.ts';
import type { EpochRecord } from '../../../src/train/records.ts';
import { summarizeRun } from '../../../src/train/run-summary.ts';

function record(epoch: number, trainLoss: number, validationLoss: number | null): EpochRecord {
  return { epoch, step: epoch * 10, trainLoss, trainAccuracy: 0.5, validationLoss, validationAccuracy: validationLoss === null ? null : 0.8 };
}

const DROPOUT: ExperimentConfig = { ...DEFAULT_EXPERIMENT, remedies: { ...DEFAULT_REMEDIES, dropout: [0.5, 0] } };

describe('configDifferences and summarizeRun', () => {
  it('names the settings that differ by their link keys, and nothing for the same config', () => {
    expect(configDifferences(DEFAULT_EXPERIMENT, { ...DEFAULT_EXPERIMENT })).to.deep.equal([]);
    expect(configDifferences(DEFAULT_EXPERIMENT, DROPOUT)).to.deep.equal([{ key: 'drop', from: 'default', to: '0.5,0' }]);
    const changed = configDifferences(DEFAULT_EXPERIMENT, {
      ...DEFAULT_EXPERIMENT,
      seed: 7,
      optimizer: { ...DEFAULT_EXPERIMENT.optimizer, learningRate: 0.01 },
    });
    expect(changed.map((d) => d.key).sort()).to.deep.equal(['lr', 'seed']);
    expect(changed.find((d) => d.key === 'seed')).to.deep.equal({ key: 'seed', from: String(DEFAULT_EXPERIMENT.seed), to: '7' });
    const drawing = (n: number): ExperimentConfig => ({
      ...DEFAULT_EXPERIMENT,
      dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'drawn', drawn: Array.from({ length: n }, (_, i) => ({ x1: i / 100, x2: 0, y: i % 2 })) },
    });
    expect(configDifferences(drawing(12), drawing(30)), 'a drawing by its size, not its code').to.deep.equal([
      { key: 'drawn', from: '12 points', to: '30 points' },
    ]);
  });

  it('summarizes a history: final values, the best validation epoch and the gap', () => {
    const s = summarizeRun([record(1, 1, 1.1), record(2, 0.5, 0.7), record(3, 0.2, 0.9)]);
    expect(s.epochs).to.equal(3);
    expect(s.bestValidationLoss).to.deep.equal({ value: 0.7, epoch: 2 });
    expect(s.generalizationGap).to.be.closeTo(0.7, 1e-12);
    expect(summarizeRun([record(1, 1, null)]).generalizationGap).to.equal(null);
    expect(summarizeRun([]).epochs).to.equal(0);
  });
});

describe('<sp-run-compare>', () => {
  it('pins the current run, then sets pinned and current side by side with what changed', async () => {
    const el = document.createElement('sp-run-compare');
    document.body.append(el);
    await el.updateComplete;
    const button = () => el.shadowRoot!.querySelector<HTMLButtonElement>('[data-testid="pin-run"]')!;
    expect(button().disabled).to.equal(true);
    const pins: (PinnedRun | null)[] = [];
    el.addEventListener('sp-pin-change', (e) => pins.push((e as CustomEvent<{ pinned: PinnedRun | null }>).detail.pinned));
    const first = [record(1, 1, 1.1), record(2, 0.4, 0.9)];
    el.history = first;
    await el.updateComplete;
    button().click();
    await el.updateComplete;
    expect(pins[0]!.history).to.deep.equal(first);
    expect(pins[0]!.history).to.not.equal(first);
    el.config = DROPOUT;
    el.history = [record(1, 1.2, 1.0), record(2, 0.6, 0.65)];
    await el.updateComplete;
    const table = el.shadowRoot!.querySelector('[data-testid="compare-table"]')!;
    const row = (label: string) => [...table.querySelectorAll('tbody tr')].find((r) => r.querySelector('th')!.textContent === label)!;
    expect([...row('Validation loss').querySelectorAll('td')].map((td) => td.textContent)).to.deep.equal(['0.9000', '0.6500']);
    expect(row('Gap (validation − train loss)').textContent).to.contain('0.5000').and.contain('0.0500');
    const diffs = el.shadowRoot!.querySelector('[data-testid="compare-diffs"]')!.textContent!;
    expect(diffs).to.contain('drop').and.contain('0.5,0').and.not.contain('seeds differ');
    el.config = { ...DROPOUT, seed: 99 };
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[data-testid="compare-diffs"]')!.textContent).to.contain('seeds differ');
    el.shadowRoot!.querySelector<HTMLButtonElement>('[data-testid="unpin-run"]')!.click();
    await el.updateComplete;
    expect(pins.at(-1)).to.equal(null);
    expect(el.shadowRoot!.querySelector('[data-testid="compare-table"]')).to.equal(null);
    el.remove();
  });
});
