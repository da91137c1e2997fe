import { expect } from '@esm-bundle/chai';
import '../../../components/sweep/sp-sweep.ts';
import type { SpSweep } from '../../../components/sweep/sp-sweep.ts';
import { DEFAULT_EXPERIMENT } from '../../../src/config/experiment.ts';
import { decodeSweep, DEFAULT_SWEEP, encodeSweep, type SweepConfig } from '../../../src/config/sweep.ts';
import { markKey } from '../../../components/sweep/sweep-mark.ts';
import { enterValue, find, findAll, ScriptedRunner, setChecked, settle } from '../../helpers/sweep.ts';

async function mount(props: Partial<Pick<SpSweep, 'config' | 'sweep' | 'runner'>> = {}): Promise<{ el: SpSweep; seen: SweepConfig[] }> {
  const el = document.createElement('sp-sweep');
  Object.assign(el, props);
  const seen: SweepConfig[] = [];
  // Like the page: every change goes into the link and back in as the element's sweep.
  el.addEventListener('sp-sweep-change', (e) => {
    seen.push((e as CustomEvent<SweepConfig>).detail);
    el.sweep = (e as CustomEvent<SweepConfig>).detail;
  });
  document.body.append(el);
  await settle(el);
  return { el, seen };
}

const input = (el: SpSweep, testid: string) => find<HTMLInputElement>(el, testid);
const text = (el: SpSweep, testid: string) => find(el, testid).textContent!.replace(/\s+/g, ' ').trim();
const startDisabled = (el: SpSweep) => input(el, 'sweep-start').matches(':disabled');

async function type(el: SpSweep, testid: string, value: string): Promise<void> {
  enterValue(input(el, testid), value);
  await settle(el);
}

async function tick(el: SpSweep, testid: string, checked: boolean): Promise<void> {
  setChecked(input(el, testid), checked);
  await settle(el);
}

describe('<sp-sweep> settings', () => {
  afterEach(() => document.body.replaceChildren());

  it('has a control for every part of the sweep and counts its models', async () => {
    const { el } = await mount({ runner: new ScriptedRunner() });
    expect(input(el, 'sweep-mode').value).to.equal('grid');
    expect(input(el, 'sweep-budget').value).to.equal('64');
    expect(input(el, 'sweep-replicates').value).to.equal('4');
    expect(input(el, 'sweep-seed').value).to.equal('1');
    expect(input(el, 'sweep-metric').value).to.equal('accuracy');
    expect(input(el, 'sweep-vary-lr').checked).to.equal(true);
    expect([input(el, 'sweep-lr-min').value, input(el, 'sweep-lr-max').value, input(el, 'sweep-lr-steps').value]).to.deep.equal(['0.0001', '1', '16']);
    for (const p of ['batch', 'epochs', 'l2', 'l1', 'dropout', 'optimizer']) expect(input(el, `sweep-vary-${p}`).checked, p).to.equal(false);
    expect(text(el, 'sweep-size')).to.equal('64 models');
    expect(startDisabled(el)).to.equal(false);
    expect(input(el, 'sweep-cancel').matches(':disabled')).to.equal(true);
    // Every input has an accessible name.
    for (const control of findAll<HTMLInputElement>(el, 'sweep-lr-min').concat(findAll(el, 'sweep-budget'))) {
      expect(control.labels?.length ?? 0, control.dataset['testid']).to.be.above(0);
    }
  });

  it('emits sp-sweep-change with each valid edit; unticking and ticking again loses nothing', async () => {
    const { el, seen } = await mount({ runner: new ScriptedRunner() });
    await type(el, 'sweep-lr-steps', '8');
    expect(seen.at(-1)!.lr).to.deep.equal({ min: 1e-4, max: 1, steps: 8 });
    expect(text(el, 'sweep-size')).to.equal('32 models');
    await type(el, 'sweep-replicates', '1');
    await tick(el, 'sweep-vary-batch', true);
    expect(seen.at(-1)!.batch).to.deep.equal([8, 32, 128]);
    await type(el, 'sweep-batch-list', '16, 64');
    expect(seen.at(-1)!.batch).to.deep.equal([16, 64]);
    await tick(el, 'sweep-vary-optimizer', true);
    await tick(el, 'sweep-opt-momentum', true);
    expect(seen.at(-1)!.optimizer).to.deep.equal(['sgd', 'momentum', 'adam']);
    expect(text(el, 'sweep-size')).to.equal('48 models');
    await tick(el, 'sweep-vary-dropout', true);
    await type(el, 'sweep-dropout-steps', '1');
    await type(el, 'sweep-dropout-max', '0.3');
    expect(seen.at(-1)!.dropout).to.deep.equal({ min: 0, max: 0.3, steps: 1 });
    await tick(el, 'sweep-vary-batch', false);
    expect(seen.at(-1)!.batch).to.equal(undefined);
    expect(findAll(el, 'sweep-batch-list')).to.have.length(0);
    await tick(el, 'sweep-vary-batch', true);
    expect(seen.at(-1)!.batch).to.deep.equal([16, 64]);
    await type(el, 'sweep-metric', 'loss');
    await type(el, 'sweep-mode', 'random');
    await type(el, 'sweep-seed', '9');
    await type(el, 'sweep-budget', '40');
    const last = seen.at(-1)!;
    expect(last).to.deep.include({ mode: 'random', metric: 'loss', seed: 9, budget: 40, replicates: 1 });
    expect(text(el, 'sweep-size')).to.equal('40 models');
    // Random search draws within the ranges: no steps to set.
    expect(findAll(el, 'sweep-lr-steps')).to.have.length(0);
    expect(decodeSweep(encodeSweep(last))).to.deep.equal(last);
    expect(el.sweep).to.equal(last);
    expect(seen.every((s, i) => i === 0 || encodeSweep(s) !== encodeSweep(seen[i - 1]!))).to.equal(true);
  });

  it('an inverted or empty range, a budget beyond 256 and an over-budget grid each get a message beside their field and disable Start', async () => {
    const { el, seen } = await mount({ runner: new ScriptedRunner() });
    const errorAt = () => {
      const e = find(el, 'sweep-error');
      return { text: e.textContent!.trim(), field: e.closest('.field')! };
    };
    const cases: [string, string, RegExp, string][] = [
      ['sweep-lr-min', '2', /^Learning rate: the range is inverted: min 2 is above max 1\.$/, 'sweep-lr-min'],
      ['sweep-lr-min', '1', /^Learning rate: an empty range \(1\.\.1\) cannot hold 16 values\.$/, 'sweep-lr-max'],
      ['sweep-lr-min', '0', /^Learning rate: .*log scale/, 'sweep-lr-steps'],
      ['sweep-budget', '300', /^Budget: must be 1 to 256 models, got 300\.$/, 'sweep-budget'],
      ['sweep-budget', '32', /^Budget: the grid holds 64 models .* more than the budget of 32/, 'sweep-budget'],
      ['sweep-budget', '', /^Budget: must be 1 to 256 models, got NaN\.$/, 'sweep-budget'],
    ];
    for (const [testid, value, message, beside] of cases) {
      await type(el, testid, value);
      const err = errorAt();
      expect(err.text, `${testid}=${value}`).to.match(message);
      expect(err.field.contains(input(el, beside)), `${testid}=${value} beside ${beside}`).to.equal(true);
      expect(input(el, beside).getAttribute('aria-invalid')).to.equal('true');
      expect(startDisabled(el), `${testid}=${value}`).to.equal(true);
      if (testid === 'sweep-lr-min') await type(el, 'sweep-lr-min', '0.0001');
    }
    expect(seen).to.have.length(0);
    await type(el, 'sweep-budget', '64');
    expect(findAll(el, 'sweep-error')).to.have.length(0);
    expect(startDisabled(el)).to.equal(false);
    // A typed list that does not parse stays as typed, with its message.
    await tick(el, 'sweep-vary-batch', true);
    await type(el, 'sweep-batch-list', '8, x');
    expect(errorAt().text).to.match(/^Batch sizes: batch sizes are whole numbers/);
    expect(input(el, 'sweep-batch-list').value).to.equal('8, x');
    await tick(el, 'sweep-vary-batch', false);
    await type(el, 'sweep-replicates', '1');
    await tick(el, 'sweep-vary-lr', false);
    expect(errorAt().text).to.match(/^The sweep varies nothing/);
    expect(startDisabled(el)).to.equal(true);
    await tick(el, 'sweep-vary-optimizer', true);
    await tick(el, 'sweep-opt-sgd', false);
    await tick(el, 'sweep-opt-adam', false);
    expect(errorAt().text).to.equal('Optimizers: needs at least one optimizer.');
    expect(seen.map((s) => s.optimizer)).to.deep.equal([undefined, ['sgd', 'adam'], ['adam']]);
  });

  it('says before starting when the experiment has no validation split, and without a runner Start stays off', async () => {
    const { el } = await mount({ runner: new ScriptedRunner(), config: { ...DEFAULT_EXPERIMENT, validationSplit: 0 } });
    expect(text(el, 'sweep-experiment-error')).to.match(/validation split/);
    expect(startDisabled(el)).to.equal(true);
    const bare = (await mount()).el;
    expect(startDisabled(bare)).to.equal(true);
  });

  it('reads the config and sweep attributes, and keeps the default for a bad value with a message', async () => {
    const el = document.createElement('sp-sweep');
    el.setAttribute('config', 'dataset=iris&layers=16');
    el.setAttribute('sweep', 'grid;lr:0.0001~1x16;rep:4;budget:64');
    document.body.append(el);
    await new Promise((r) => queueMicrotask(() => r(null)));
    await settle(el);
    expect(el.config.hidden.map((l) => l.units)).to.deep.equal([16]);
    expect(el.sweep).to.deep.equal(decodeSweep('grid;lr:0.0001~1x16;rep:4;budget:64'));
    expect(findAll(el, 'sweep-messages')).to.have.length(0);
    el.setAttribute('sweep', 'grid;lr:1~0.1x3');
    el.setAttribute('config', 'layers=16&lr=banana');
    await new Promise((r) => queueMicrotask(() => r(null)));
    await settle(el);
    expect(el.sweep).to.equal(DEFAULT_SWEEP);
    expect(el.config.optimizer.learningRate).to.equal(DEFAULT_EXPERIMENT.optimizer.learningRate);
    const messages = text(el, 'sweep-messages');
    expect(messages).to.match(/"sweep=grid;lr:1~0\.1x3" was not used \(sweep\.lr: the range is inverted/);
    expect(messages).to.match(/"lr=banana" was not used/);
  });
});

describe('<sp-sweep> running', () => {
  afterEach(() => document.body.replaceChildren());

  it('shows progress as done/total with an epoch bar, locks the settings, and a failure becomes a message', async () => {
    const runner = new ScriptedRunner();
    const sweep: SweepConfig = { ...DEFAULT_SWEEP, lr: { min: 1e-3, max: 1e-1, steps: 4 }, replicates: 2 };
    const { el } = await mount({ runner, sweep });
    input(el, 'sweep-start').click();
    await settle(el);
    expect(runner.calls).to.have.length(1);
    expect(runner.calls[0]!.sweep).to.equal(sweep);
    expect(runner.calls[0]!.config).to.equal(el.config);
    expect(text(el, 'sweep-progress')).to.equal('0/8');
    expect(startDisabled(el)).to.equal(true);
    expect(input(el, 'sweep-cancel').matches(':disabled')).to.equal(false);
    expect(input(el, 'sweep-budget').matches(':disabled')).to.equal(true);
    runner.calls[0]!.onProgress({ done: 3, total: 8, epochs: 40, totalEpochs: 100 });
    await settle(el);
    expect(text(el, 'sweep-progress')).to.equal('3/8');
    const bar = find<HTMLProgressElement>(el, 'sweep-epoch-bar');
    expect([bar.value, bar.max]).to.deep.equal([40, 100]);
    expect(bar.getAttribute('aria-label')).to.match(/Epochs trained/);
    input(el, 'sweep-cancel').click();
    await settle(el);
    expect(runner.cancels).to.equal(1);
    expect(input(el, 'sweep-cancel').matches(':disabled')).to.equal(true);
    runner.calls[0]!.reject(new Error('the GPU device was lost'));
    await new Promise((r) => setTimeout(r, 0));
    await settle(el);
    expect(text(el, 'sweep-failure')).to.equal('The sweep stopped: the GPU device was lost');
    expect(text(el, 'sweep-announcement')).to.equal('The sweep stopped: the GPU device was lost');
    expect(startDisabled(el)).to.equal(false);
    expect(input(el, 'sweep-cancel').matches(':disabled')).to.equal(true);
    expect(input(el, 'sweep-budget').matches(':disabled')).to.equal(false);
    // Nothing lost: the settings are still the sweep that was started.
    expect(el.sweep).to.equal(sweep);
  });

  it('after a reload, only the sweep that was still running says it stopped, even when another one on the page finished', async () => {
    const [runA, runB] = [new ScriptedRunner(), new ScriptedRunner()];
    const a = (await mount({ runner: runA })).el;
    const b = (await mount({ runner: runB })).el;
    a.id = 'a';
    b.id = 'b';
    for (const el of [a, b]) input(el, 'sweep-start').click();
    await settle(a);
    await settle(b);
    runB.calls[0]!.reject(new Error('done'));
    await new Promise((r) => setTimeout(r, 0));
    await settle(b);
    expect(sessionStorage.getItem(markKey(a)), "a's mark").to.equal('1');
    expect(sessionStorage.getItem(markKey(b)), "b's mark").to.equal(null);
    // The page is left: then the same page is built again.
    document.body.replaceChildren();
    const [againA, againB] = ['a', 'b'].map((id) => Object.assign(document.createElement('sp-sweep'), { id }));
    document.body.append(againA!, againB!);
    await settle(againA!);
    await settle(againB!);
    expect(text(againA!, 'sweep-messages')).to.match(/A sweep was still running when this page was left or reloaded/);
    expect(findAll(againB!, 'sweep-messages')).to.have.length(0);
    expect(sessionStorage.getItem(markKey(againA!)), 'said once').to.equal(null);
  });

  it('names each sweep by its id, else by its place, through the shadow roots above it', () => {
    const host = document.createElement('div');
    host.id = 'host';
    const root = host.attachShadow({ mode: 'open' });
    const [first, second] = [document.createElement('sp-sweep'), document.createElement('sp-sweep')];
    root.append(first, second);
    document.body.append(host);
    expect(markKey(first)).to.equal('shaderprop.sweep-running #host sp-sweep[0]');
    expect(markKey(second)).to.equal('shaderprop.sweep-running #host sp-sweep[1]');
    second.id = 'lr';
    expect(markKey(second)).to.equal('shaderprop.sweep-running #host #lr');
  });
});
