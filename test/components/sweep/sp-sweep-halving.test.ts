import { expect } from '@esm-bundle/chai';
import { Chart } from 'chart.js';
import '../../../components/sweep/sp-sweep.ts';
import '../../../components/sweep/sp-sweep-results.ts';
import '../../../components/sweep/sp-sweep-rungs.ts';
import type { SpSweep } from '../../../components/sweep/sp-sweep.ts';
import { DEFAULT_EXPERIMENT, remediesOf, type ExperimentConfig } from '../../../src/config/experiment.ts';
import { DEFAULT_SWEEP, type SweepConfig } from '../../../src/config/sweep.ts';
import type { HalvingResult } from '../../../src/train/halving.ts';
import type { SweepResult } from '../../../src/train/sweep.ts';
import { enterValue, find, findAll, PageSweepRunner, ScriptedRunner, settle, until } from '../../helpers/sweep.ts';

// A small Iris net on the CPU backend: a halving sweep of four rates trains in a few seconds.
const IRIS: ExperimentConfig = { ...DEFAULT_EXPERIMENT, hidden: [{ units: 8, activation: 'relu' }], batchSize: 16, epochs: 9, seed: 3, backend: 'cpu' };
const HALVING: SweepConfig = {
  mode: 'halving',
  budget: 16,
  seed: 1,
  metric: 'accuracy',
  lr: { min: 1e-3, max: 1, steps: 4 },
  replicates: 1,
  eta: 3,
  minEpochs: 1,
};

async function mount(
  config: ExperimentConfig,
  sweep: SweepConfig = DEFAULT_SWEEP,
  runner = new ScriptedRunner(),
): Promise<{ el: SpSweep; seen: SweepConfig[] }> {
  const el = document.createElement('sp-sweep');
  Object.assign(el, { config, sweep, runner });
  const seen: SweepConfig[] = [];
  el.addEventListener('sp-sweep-change', (e) => {
    seen.push((e as CustomEvent<SweepConfig>).detail);
    el.sweep = (e as CustomEvent<SweepConfig>).detail;
  });
  document.body.append(el);
  await settle(el);
  return { el, seen };
}

const input = (el: Element, testid: string) => find<HTMLInputElement>(el, testid);
const text = (el: Element) => el.textContent!.replace(/\s+/g, ' ').trim();
const startDisabled = (el: SpSweep) => input(el, 'sweep-start').matches(':disabled');

async function set(el: SpSweep, testid: string, value: string): Promise<void> {
  enterValue(input(el, testid), value);
  await settle(el);
}

/** The error message an input points at through aria-describedby, in its own shadow root. */
function errorBeside(control: HTMLInputElement): string | null {
  const id = control.getAttribute('aria-describedby');
  if (!id) return null;
  const message = (control.getRootNode() as ShadowRoot).getElementById(id);
  return message ? text(message) : null;
}

describe('<sp-sweep> successive halving settings', () => {
  afterEach(() => document.body.replaceChildren());

  it('picking halving brings η and the minimum budget with the plan in words; grid again drops them', async () => {
    const { el, seen } = await mount({ ...IRIS, epochs: 27 });
    expect(findAll(el, 'sweep-eta')).to.have.length(0);
    const option = find<HTMLSelectElement>(el, 'sweep-mode').querySelector('option[value="halving"]')!;
    expect(text(option)).to.equal('Successive halving: prune the worst at each rung');
    await set(el, 'sweep-mode', 'halving');
    expect(input(el, 'sweep-eta').value).to.equal('3');
    expect(input(el, 'sweep-min-epochs').value).to.equal('3');
    // 64 models: 64 × 3 + 22 × 6 + 8 × 18 model-epochs of 64 × 27.
    expect(text(find(el, 'sweep-halving-plan'))).to.equal(
      'rungs 3 → 9 → 27 epochs (64, 22, 8 configurations), 468 of 1,728 model-epochs (27% of the full grid)',
    );
    expect(seen.at(-1)).to.include({ mode: 'halving', eta: 3, minEpochs: 3 });
    expect(startDisabled(el)).to.equal(false);
    expect(findAll(el, 'sweep-experiment-error')).to.have.length(0);
    await set(el, 'sweep-eta', '4');
    expect(text(find(el, 'sweep-halving-plan'))).to.match(/^rungs 3 → 12 → 27 epochs/);
    await set(el, 'sweep-mode', 'grid');
    expect(findAll(el, 'sweep-eta')).to.have.length(0);
    expect(seen.at(-1)!.eta).to.equal(undefined);
    expect(seen.at(-1)!.minEpochs).to.equal(undefined);
    // Back to halving: η as it was left.
    await set(el, 'sweep-mode', 'halving');
    expect(input(el, 'sweep-eta').value).to.equal('4');
  });

  it('η out of 2–16 and a minimum budget that leaves fewer than two rungs get a message beside their field and disable Start', async () => {
    const { el } = await mount({ ...IRIS, epochs: 9 }, { ...HALVING });
    for (const [testid, value, pattern] of [
      ['sweep-eta', '1', /η: η must be a whole number from 2 to 16/],
      ['sweep-eta', '17', /from 2 to 16.*got 17/],
      ['sweep-min-epochs', '9', /Minimum budget: .*leaves one rung; successive halving needs at least two: set it below 9/],
      ['sweep-min-epochs', '12', /Minimum budget: .*12 epochs is above the experiment's 9 epochs/],
      ['sweep-min-epochs', '', /Minimum budget: the minimum budget must be 1 to/],
    ] as const) {
      await set(el, testid, value);
      expect(errorBeside(input(el, testid)), `${testid}=${value}`).to.match(pattern);
      expect(input(el, testid).getAttribute('aria-invalid')).to.equal('true');
      expect(startDisabled(el), `${testid}=${value}`).to.equal(true);
      expect(text(find(el, 'sweep-halving-plan'))).to.match(/no plan/);
      await set(el, testid, testid === 'sweep-eta' ? '3' : '1');
      expect(errorBeside(input(el, testid))).to.equal(null);
      expect(startDisabled(el)).to.equal(false);
    }
  });

  it('says before starting that early stopping must be off', async () => {
    const { el } = await mount(
      { ...IRIS, remedies: { ...remediesOf(IRIS), earlyStopping: { monitor: 'validation_loss', patience: 5, minDelta: 0, restoreBest: true } } },
      HALVING,
    );
    expect(text(find(el, 'sweep-experiment-error'))).to.match(/turn early stopping off/);
    expect(startDisabled(el)).to.equal(true);
  });
});

describe('<sp-sweep> successive halving results', () => {
  afterEach(() => document.body.replaceChildren());

  it('fresh: no result shows nothing, and the rungs chart says it has none', async () => {
    const results = document.createElement('sp-sweep-results');
    const rungs = document.createElement('sp-sweep-rungs');
    document.body.append(results, rungs);
    await settle(results);
    await settle(rungs);
    expect(results.shadowRoot!.textContent!.trim()).to.equal('');
    expect(input(rungs, 'sweep-rungs').getAttribute('aria-label')).to.match(/no result yet/);
  });

  it('runs a small Iris halving sweep: budget used of full, the best metric as a number, the rungs drawn, pruned rows say where they stopped', async () => {
    const { el } = await mount(IRIS, HALVING, new PageSweepRunner() as unknown as ScriptedRunner);
    let result: HalvingResult | null = null;
    el.addEventListener('sp-sweep-result', (e) => (result = (e as CustomEvent<SweepResult>).detail as HalvingResult));
    find(el, 'sweep-start').click();
    await until(() => result !== null, 'the halving sweep to finish');
    await settle(el);
    const r = result!;
    expect(r.rungs.map((g) => g.epochs)).to.deep.equal([1, 3, 9]);
    const [used, full] = text(find(el, 'sweep-budget-used')).split('/').map(Number);
    expect(full).to.equal(4 * 9);
    expect(used).to.be.above(0).and.below(full!);
    const best = Number(text(find(el, 'sweep-best-metric')));
    expect(best).to.be.within(0, 1);
    expect(best).to.be.closeTo(r.rows[r.best!]!.validationAccuracy, 1e-4);
    const chart = Chart.getChart(find<HTMLCanvasElement>(el, 'sweep-rungs'))!;
    expect(chart.data.datasets).to.have.length(4);
    expect(find(el, 'sweep-rungs').getAttribute('aria-label')).to.match(
      /rung 1 at 1 epochs: 4 trained; rung 2 at 3 epochs: 2 trained; rung 3 at 9 epochs: 1 trained/,
    );
    const statuses = findAll(el, 'sweep-row').map((row) => text(row.querySelector('td.status')!));
    expect(statuses.filter((s) => s === 'pruned after rung 1')).to.have.length(2);
    expect(statuses.filter((s) => s === 'pruned after rung 2')).to.have.length(1);
    expect(statuses.filter((s) => s === 'done')).to.have.length(1);
    expect(text(find(el, 'sweep-announcement'))).to.match(/^Sweep finished: 4 models; best validation accuracy .*; \d+ of 36 model-epochs\.$/);
  });

  it('running: progress in model-epochs and locked fields; a failure becomes a message and Start works again', async () => {
    const runner = new ScriptedRunner();
    const { el } = await mount(IRIS, HALVING, runner);
    find(el, 'sweep-start').click();
    await settle(el);
    expect(runner.calls[0]!.sweep).to.include({ mode: 'halving', eta: 3, minEpochs: 1 });
    runner.calls[0]!.onProgress({ done: 0, total: 4, epochs: 5, totalEpochs: 14 });
    await settle(el);
    expect(text(find(el, 'sweep-progress'))).to.equal('0/4');
    expect(find<HTMLProgressElement>(el, 'sweep-epoch-bar').max).to.equal(14);
    expect(input(el, 'sweep-eta').matches(':disabled')).to.equal(true);
    expect(input(el, 'sweep-min-epochs').matches(':disabled')).to.equal(true);
    runner.calls[0]!.reject(new Error('sweep.minEpochs: the worker refused it'));
    await settle(el);
    expect(text(find(el, 'sweep-failure'))).to.match(/The sweep stopped: sweep.minEpochs: the worker refused it/);
    expect(findAll(el, 'sweep-budget-used')).to.have.length(0);
    expect(startDisabled(el)).to.equal(false);
  });

  it('cancelled: what was trained, its budget and no test score', async () => {
    const runner = new PageSweepRunner();
    const { el } = await mount({ ...IRIS, epochs: 3000 }, { ...HALVING, minEpochs: 1000 }, runner as unknown as ScriptedRunner);
    let result: HalvingResult | null = null;
    el.addEventListener('sp-sweep-result', (e) => (result = (e as CustomEvent<SweepResult>).detail as HalvingResult));
    find(el, 'sweep-start').click();
    await until(() => (findAll<HTMLProgressElement>(el, 'sweep-epoch-bar')[0]?.value ?? 0) > 0, 'some epochs trained');
    find(el, 'sweep-cancel').click();
    await until(() => result !== null, 'the cancelled sweep to resolve');
    await settle(el);
    expect(result!.cancelled).to.equal(true);
    expect(findAll(el, 'sweep-cancelled')).to.have.length(1);
    expect(findAll(el, 'sweep-test-accuracy')).to.have.length(0);
    const [used, full] = text(find(el, 'sweep-budget-used')).split('/').map(Number);
    expect(used).to.be.above(0).and.below(full!);
    expect(text(find(el, 'sweep-announcement'))).to.match(/^Sweep cancelled/);
  });
});
