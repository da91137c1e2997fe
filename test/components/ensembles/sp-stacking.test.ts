import { expect } from '@esm-bundle/chai';
import '../../../components/ensembles/sp-stacking.ts';
import type { SpStacking } from '../../../components/ensembles/sp-stacking.ts';
import type { EnsembleRunner } from '../../../components/ensembles/ensemble-runner.ts';
import { DEFAULT_STACK, type StackSettings } from '../../../src/config/ensembles.ts';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../../src/config/experiment.ts';
import { JobCancelledError } from '../../../src/train/multi-run.ts';
import type { StackingResult } from '../../../src/worker/api.ts';
import { PageEnsembleRunner } from '../../helpers/ensembles.ts';
import { enterValue, find, findAll, settle, until } from '../../helpers/sweep.ts';

const SPIRAL: ExperimentConfig = {
  ...DEFAULT_EXPERIMENT,
  dataset: { name: 'spiral', size: 150, noise: 0.15, imbalance: 1, classes: 3 },
  batchSize: 16,
  epochs: 6,
  seed: 4,
  backend: 'cpu',
};
const SMALL: StackSettings = {
  ...DEFAULT_STACK,
  k: 3,
  learners: [
    { layers: [8], activation: 'tanh', optimizer: 'adam', lr: 0.03 },
    { layers: [6], activation: 'relu', optimizer: 'sgd', lr: 0.1 },
  ],
};
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const text = (el: Element) => el.textContent!.replace(/\s+/g, ' ').trim();

async function mount(props: Partial<SpStacking>): Promise<SpStacking> {
  const el = document.createElement('sp-stacking');
  Object.assign(el, props);
  document.body.append(el);
  await settle(el);
  return el;
}

/** A runner the test answers by hand. */
class Scripted implements EnsembleRunner {
  calls: { resolve: (r: StackingResult) => void; reject: (e: Error) => void }[] = [];
  cancels = 0;
  boost = () => new Promise<never>(() => undefined);
  stack() {
    return new Promise<StackingResult>((resolve, reject) => this.calls.push({ resolve, reject }));
  }
  cancel() {
    this.cancels++;
  }
}

describe('<sp-stacking>', () => {
  afterEach(() => document.body.replaceChildren());

  it('stacks for real: a stack-base row per learner with its test accuracy and macro F1, the soft vote and the stack', async () => {
    const runner = new PageEnsembleRunner();
    let result: StackingResult | null = null;
    const original = runner.stack.bind(runner);
    runner.stack = async (c, o, p) => (result = await original(c, o, p));
    const el = await mount({ config: SPIRAL, settings: SMALL, runner });
    expect(findAll(el, 'stack-learner')).to.have.length(2);
    find(el, 'stack-start').click();
    await until(() => result !== null && !find<HTMLButtonElement>(el, 'stack-start').disabled, 'stacking to finish');
    await settle(el);
    const r = result!;
    const rows = findAll(el, 'stack-base');
    expect(rows).to.have.length(2);
    rows.forEach((row, i) => {
      expect(Number(row.dataset.accuracy)).to.equal(r.learners[i]!.accuracy);
      const cells = [...row.querySelectorAll('td')].map(text);
      expect(cells.slice(1)).to.deep.equal([pct(r.learners[i]!.accuracy), r.learners[i]!.macroF1.toFixed(3)]);
    });
    expect(text(find(el, 'stack-average-accuracy'))).to.equal(pct(r.average.accuracy));
    expect(text(find(el, 'stack-test-accuracy'))).to.equal(pct(r.stack.accuracy));
    // Its results fit a phone's 360-px column: wide tables scroll inside their own region.
    el.style.width = '360px';
    await settle(el);
    expect(el.scrollWidth).to.be.at.most(360);
  });

  it('edits learner rows up to 8 and the meta options; a bad field gets a message and the settings stay', async () => {
    const el = await mount({ config: SPIRAL, runner: new Scripted() });
    expect(findAll(el, 'stack-learner')).to.have.length(3);
    const changes: StackSettings[] = [];
    el.addEventListener('sp-stack-change', (e) => changes.push((e as CustomEvent<StackSettings>).detail));
    for (let i = 0; i < 5; i++) find(el, 'stack-add').click();
    await settle(el);
    expect(findAll(el, 'stack-learner')).to.have.length(8);
    expect(find<HTMLButtonElement>(el, 'stack-add').disabled).to.equal(true);
    expect(changes.at(-1)!.learners).to.have.length(8);
    const lr = findAll(el, 'stack-learner')[1]!.querySelector<HTMLInputElement>('input[type=number]')!;
    enterValue(lr, '-1');
    await settle(el);
    expect(text(find(el, 'stack-learner-error'))).to.equal('Learner 2: learning rate must be a number above 0 and at most 10.');
    expect(find<HTMLButtonElement>(el, 'stack-start').disabled).to.equal(true);
    expect(el.settings.learners[1]!.lr).to.equal(DEFAULT_STACK.learners[1]!.lr);
    enterValue(lr, '0.05');
    enterValue(find<HTMLInputElement>(el, 'stack-meta'), '8');
    find<HTMLInputElement>(el, 'stack-pass').click();
    await settle(el);
    expect(changes.at(-1)).to.deep.include({ meta: 8, pass: true });
    expect(changes.at(-1)!.learners[1]!.lr).to.equal(0.05);
    enterValue(find<HTMLInputElement>(el, 'stack-k'), '1');
    await settle(el);
    expect(text(find(el, 'stack-k-error'))).to.equal('Folds must be a whole number from 2 to 20.');
  });

  it('a failure (a fold missing a class) or a cancel keeps the previous result and says why', async () => {
    const runner = new Scripted();
    const el = await mount({ config: SPIRAL, settings: SMALL, runner });
    const score = { accuracy: 0.9, macroF1: 0.88 };
    find(el, 'stack-start').click();
    runner.calls[0]!.resolve({
      learners: [score, score],
      average: score,
      stack: { accuracy: 0.95, macroF1: 0.94 },
      outOfFold: new Float32Array(0),
      metaInputs: 6,
      inputs: 2,
      classes: 3,
    });
    await until(() => findAll(el, 'stack-test-accuracy').length > 0, 'the first result');
    find(el, 'stack-start').click();
    runner.calls[1]!.reject(new Error('stackingPlan: class 2 has 4 rows; lower k'));
    await until(() => findAll(el, 'stack-failure').length > 0, 'the failure');
    expect(text(find(el, 'stack-failure'))).to.equal('Stacking stopped: stackingPlan: class 2 has 4 rows; lower k The previous result is kept.');
    expect(text(find(el, 'stack-test-accuracy'))).to.equal('95.0%');
    find(el, 'stack-start').click();
    await settle(el);
    find(el, 'stack-cancel').click();
    expect(runner.cancels).to.equal(1);
    runner.calls[2]!.reject(new JobCancelledError('Stacking'));
    await until(() => findAll(el, 'stack-notice').length > 0, 'the cancel notice');
    expect(text(find(el, 'stack-notice'))).to.equal('Stacking was cancelled. The previous result is kept.');
    expect(findAll(el, 'stack-base')).to.have.length(2);
  });

  it('reads its stack attribute field by field', async () => {
    const el = document.createElement('sp-stacking');
    el.setAttribute('config', 'dataset=iris&seed=2');
    el.setAttribute('stack', 'k:4;meta:x;l:5/relu/adam/0.01');
    document.body.append(el);
    await until(() => el.settings.k === 4, 'the attributes');
    await settle(el);
    expect(el.settings.learners).to.deep.equal([{ layers: [5], activation: 'relu', optimizer: 'adam', lr: 0.01 }]);
    expect(el.settings.meta).to.equal(0);
    expect(text(find(el, 'stack-messages'))).to.contain('"meta:x" was not used');
  });
});
