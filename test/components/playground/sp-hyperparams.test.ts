import { expect } from '@esm-bundle/chai';
import { enter, field, mountConfigElement } from '../../helpers/config-element.ts';
import '../../../components/playground/sp-hyperparams.ts';
import type { SpHyperparams } from '../../../components/playground/sp-hyperparams.ts';
import { DEFAULT_EXPERIMENT, EXPERIMENT_LIMITS, MAX_CPU_WORKERS, validateExperiment, type ExperimentConfig } from '../../../src/config/experiment.ts';

/** The element plus every change it emitted, each fed back in. */
function hyperparams(config: ExperimentConfig = DEFAULT_EXPERIMENT) {
  return mountConfigElement<SpHyperparams>('sp-hyperparams', config);
}

async function tick(el: SpHyperparams, testid: string): Promise<void> {
  field<HTMLInputElement>(el, testid).click();
  await el.updateComplete;
}

describe('<sp-hyperparams>', () => {
  afterEach(() => document.body.replaceChildren());

  it('shows the config', async () => {
    const { el } = await hyperparams();
    expect(field<HTMLSelectElement>(el, 'optimizer').value).to.equal('adam');
    expect(Number(field<HTMLInputElement>(el, 'learning-rate').value)).to.equal(1e-3);
    expect(Number(field<HTMLInputElement>(el, 'lr-slider').value)).to.be.closeTo(-3, 1e-9);
    expect(field<HTMLInputElement>(el, 'batch-size').value).to.equal('32');
    expect(field<HTMLInputElement>(el, 'epochs').value).to.equal('200');
    expect(field<HTMLInputElement>(el, 'seed').value).to.equal('42');
    expect(el.shadowRoot!.querySelector('[data-testid="momentum"]')).to.equal(null);
  });

  it('classifies optimizer hyperparameters as live and everything else as a rebuild', async () => {
    const { el, seen } = await hyperparams();
    await enter(el, 'learning-rate', '0.01');
    await enter(el, 'beta1', '0.5');
    await enter(el, 'optimizer', 'momentum');
    await enter(el, 'momentum', '0.8');
    await tick(el, 'nesterov');
    await enter(el, 'epochs', '50');
    await enter(el, 'seed', '7');
    await enter(el, 'backend-choice', 'cpu');
    await enter(el, 'optimizer', 'adamw');
    await enter(el, 'weight-decay', '0.01');
    expect(seen.map((c) => c.live)).to.deep.equal([true, true, false, true, true, false, false, false, false, true]);
    const last = seen.at(-1)!.config;
    expect(last.optimizer).to.deep.include({ kind: 'adamw', learningRate: 0.01, beta1: 0.5, momentum: 0.8, nesterov: true, weightDecay: 0.01 });
    expect(last).to.deep.include({ epochs: 50, seed: 7, backend: 'cpu' });
    expect(validateExperiment(last)).to.equal(last);
    expect(DEFAULT_EXPERIMENT.optimizer.learningRate).to.equal(1e-3);
  });

  it('cpu-workers: Auto (one per core) or a count, live (it changes no model), and back to Auto', async () => {
    const { el, seen } = await hyperparams();
    const select = field<HTMLSelectElement>(el, 'cpu-workers');
    expect(select.value).to.equal('auto');
    expect(select.selectedOptions[0]!.textContent).to.match(/^Auto \(\d, one per core\)$/);
    expect(select.options).to.have.length(1 + MAX_CPU_WORKERS);
    await enter(el, 'cpu-workers', '1');
    await enter(el, 'cpu-workers', '3');
    expect(field<HTMLSelectElement>(el, 'cpu-workers').value).to.equal('3');
    await enter(el, 'cpu-workers', 'auto');
    expect(seen.map((c) => [c.config.cpuWorkers, c.live])).to.deep.equal([
      [1, true],
      [3, true],
      [undefined, true],
    ]);
    expect('cpuWorkers' in seen.at(-1)!.config).to.equal(false);
    expect(validateExperiment({ ...DEFAULT_EXPERIMENT, cpuWorkers: 3 }).cpuWorkers).to.equal(3);
    expect(() => validateExperiment({ ...DEFAULT_EXPERIMENT, cpuWorkers: MAX_CPU_WORKERS + 1 })).to.throw(/cpuWorkers.*1 to 8/);
  });

  it('the log-scale slider and the number field stay in sync', async () => {
    const { el, seen } = await hyperparams();
    const slider = field<HTMLInputElement>(el, 'lr-slider');
    slider.value = '-2';
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    await el.updateComplete;
    expect(Number(field<HTMLInputElement>(el, 'learning-rate').value)).to.equal(0.01);
    expect(seen).to.have.length(0);
    slider.dispatchEvent(new Event('change', { bubbles: true }));
    await el.updateComplete;
    expect(seen).to.deep.equal([{ config: { ...DEFAULT_EXPERIMENT, optimizer: { ...DEFAULT_EXPERIMENT.optimizer, learningRate: 0.01 } }, live: true }]);
    await enter(el, 'learning-rate', '0.3');
    expect(Number(field<HTMLInputElement>(el, 'lr-slider').value)).to.be.closeTo(Math.log10(0.3), 0.01);
  });

  it('full batch disables the batch size and restores it when unticked', async () => {
    const { el, seen } = await hyperparams();
    await enter(el, 'batch-size', '16');
    await tick(el, 'full-batch');
    expect(field<HTMLInputElement>(el, 'batch-size').disabled).to.equal(true);
    await tick(el, 'full-batch');
    expect(seen.map((c) => [c.config.batchSize, c.live])).to.deep.equal([
      [16, false],
      ['full', false],
      [16, false],
    ]);
    expect(field<HTMLInputElement>(el, 'batch-size').disabled).to.equal(false);
  });

  it('rejects invalid values with an inline message and emits nothing', async () => {
    const { el, seen } = await hyperparams();
    for (const [testid, value] of [
      ['learning-rate', '-1'],
      ['learning-rate', '0'],
      ['learning-rate', ''],
      ['learning-rate', '11'],
      ['batch-size', '0'],
      ['batch-size', String(EXPERIMENT_LIMITS.maxBatchSize + 1)],
      ['batch-size', '2.5'],
      ['epochs', '0'],
      ['seed', '-1'],
      ['test-split', '0.95'],
    ] as const) {
      await enter(el, testid, value);
      const input = field<HTMLInputElement>(el, testid);
      expect(input.getAttribute('aria-invalid'), `${testid}=${value}`).to.equal('true');
      const message = el.shadowRoot!.getElementById(input.getAttribute('aria-describedby')!);
      expect(message?.getAttribute('role')).to.equal('alert');
    }
    expect(seen).to.deep.equal([]);
    await enter(el, 'learning-rate', '0.05');
    expect(field<HTMLInputElement>(el, 'learning-rate').getAttribute('aria-invalid')).to.equal('false');
    expect(seen).to.have.length(1);
  });

  it('rejects splits that leave no training rows', async () => {
    const { el, seen } = await hyperparams();
    await enter(el, 'validation-split', '0.8');
    expect(field<HTMLInputElement>(el, 'validation-split').getAttribute('aria-invalid')).to.equal('true');
    expect(seen).to.deep.equal([]);
  });

  it('proposes a new 32-bit seed as a rebuild', async () => {
    const { el, seen } = await hyperparams();
    field<HTMLButtonElement>(el, 'new-seed').click();
    await el.updateComplete;
    expect(seen).to.have.length(1);
    const { seed } = seen[0]!.config;
    expect(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff).to.equal(true);
    expect(seen[0]!.live).to.equal(false);
    expect(field<HTMLInputElement>(el, 'seed').value).to.equal(String(seed));
  });
});
