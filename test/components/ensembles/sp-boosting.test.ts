import { expect } from '@esm-bundle/chai';
import '../../../components/ensembles/sp-boosting.ts';
import type { SpBoosting } from '../../../components/ensembles/sp-boosting.ts';
import type { EnsembleRunner } from '../../../components/ensembles/ensemble-runner.ts';
import { DEFAULT_BOOST, type BoostSettings } from '../../../src/config/ensembles.ts';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../../src/config/experiment.ts';
import type { BoostingRound } from '../../../src/worker/api.ts';
import { PageEnsembleRunner } from '../../helpers/ensembles.ts';
import { enterValue, find, findAll, settle, until } from '../../helpers/sweep.ts';

const MOONS: ExperimentConfig = {
  ...DEFAULT_EXPERIMENT,
  dataset: { name: 'moons', size: 160, noise: 0.3, imbalance: 1, classes: 2 },
  optimizer: { ...DEFAULT_EXPERIMENT.optimizer, learningRate: 0.02 },
  batchSize: 16,
  seed: 5,
  backend: 'cpu',
};
const SMALL: BoostSettings = { ...DEFAULT_BOOST, rounds: 3, layers: [4], epochs: 6, shrinkage: 0.5 };

async function mount(props: Partial<SpBoosting>): Promise<SpBoosting> {
  const el = document.createElement('sp-boosting');
  Object.assign(el, props);
  document.body.append(el);
  await settle(el);
  return el;
}
const text = (el: Element) => el.textContent!.replace(/\s+/g, ' ').trim();

describe('<sp-boosting>', () => {
  afterEach(() => document.body.replaceChildren());

  it('runs real rounds: a boost-round row each with data-error and data-alpha, the test accuracy, chart and boundaries', async () => {
    const el = await mount({ config: MOONS, settings: SMALL, runner: new PageEnsembleRunner() });
    const seen: BoostingRound[] = [];
    const runner = el.runner as PageEnsembleRunner;
    const original = runner.boost.bind(runner);
    runner.boost = (c, o, onEvent) => original(c, o, (e) => (e.type === 'round' && seen.push(e.round), onEvent(e)));
    find(el, 'boost-start').click();
    await until(() => !find<HTMLButtonElement>(el, 'boost-start').disabled && seen.length > 0, 'boosting to finish');
    await settle(el);
    const rows = findAll(el, 'boost-round');
    expect(rows).to.have.length(seen.length);
    rows.forEach((row, i) => {
      expect(Number(row.dataset.error)).to.equal(seen[i]!.error);
      expect(Number(row.dataset.alpha)).to.equal(seen[i]!.alpha);
    });
    expect(text(find(el, 'boost-test-accuracy'))).to.equal(`${(seen.at(-1)!.accuracy.test * 100).toFixed(1)}%`);
    expect(find(el, 'boost-chart').getAttribute('aria-label')).to.contain(`over ${seen.length} rounds`);
    expect(findAll(el, 'boost-member-boundary')).to.have.length(1);
    expect(findAll(el, 'boost-ensemble-boundary')).to.have.length(1);
    expect(find<HTMLButtonElement>(el, 'boost-cancel').disabled).to.equal(true);
    // Its results fit a phone's 360-px column: wide tables scroll inside their own region.
    el.style.width = '360px';
    await settle(el);
    expect(el.scrollWidth).to.be.at.most(360);
  });

  it('cancelling mid-run keeps the rounds finished and says so', async () => {
    const runner = new PageEnsembleRunner();
    const el = await mount({ config: MOONS, settings: { ...SMALL, rounds: 20 }, runner });
    runner.onRound = (r) => r === 1 && find(el, 'boost-cancel').click();
    find(el, 'boost-start').click();
    await until(() => findAll(el, 'boost-notice').length > 0 || findAll(el, 'boost-failure').length > 0, 'the cancelled run to end');
    await settle(el);
    const rows = findAll(el, 'boost-round');
    expect(rows.length).to.be.within(2, 3);
    expect(text(find(el, 'boost-notice'))).to.match(/^Cancelled: the [23] rounds finished before it are kept\.$|boosting stops/);
    expect(find<HTMLButtonElement>(el, 'boost-start').disabled).to.equal(false);
  });

  it('bad input: 0 rounds gets a message beside the field, Start waits, and the settings stay', async () => {
    const runner: EnsembleRunner = { boost: () => new Promise(() => undefined), stack: () => new Promise(() => undefined), cancel: () => undefined };
    const el = await mount({ config: MOONS, settings: SMALL, runner });
    const changes: BoostSettings[] = [];
    el.addEventListener('sp-boost-change', (e) => changes.push((e as CustomEvent<BoostSettings>).detail));
    enterValue(find<HTMLInputElement>(el, 'boost-rounds'), '0');
    await settle(el);
    expect(text(find(el, 'boost-rounds-error'))).to.equal('Rounds must be a whole number from 1 to 50.');
    expect(find<HTMLButtonElement>(el, 'boost-start').disabled).to.equal(true);
    expect(el.settings).to.deep.equal(SMALL);
    enterValue(find<HTMLInputElement>(el, 'boost-rounds'), '4');
    enterValue(find<HTMLInputElement>(el, 'boost-layers'), '6,3');
    await settle(el);
    expect(findAll(el, 'boost-rounds-error')).to.have.length(0);
    expect(changes.at(-1)).to.deep.equal({ ...SMALL, rounds: 4, layers: [6, 3] });
    expect(find<HTMLButtonElement>(el, 'boost-start').disabled).to.equal(false);
  });

  it('a failed run says why and keeps the rounds it finished; regression is refused with the reason', async () => {
    const round: BoostingRound = { round: 0, outcome: 'kept', error: 0.2, alpha: 1.38, message: '', accuracy: { train: 0.8, validation: 0.75, test: 0.7 } };
    const runner: EnsembleRunner = {
      boost: async (_c, _o, onEvent) => {
        onEvent({ type: 'round', round });
        throw new Error('the device was lost');
      },
      stack: () => new Promise(() => undefined),
      cancel: () => undefined,
    };
    const el = await mount({ config: MOONS, settings: SMALL, runner });
    find(el, 'boost-start').click();
    await until(() => findAll(el, 'boost-failure').length > 0, 'the failure');
    expect(text(find(el, 'boost-failure'))).to.equal('Boosting stopped: the device was lost The 1 rounds finished are kept.');
    expect(findAll(el, 'boost-round')).to.have.length(1);
    expect(text(find(el, 'boost-test-accuracy'))).to.equal('70.0%');
    el.config = { ...MOONS, task: 'regression', dataset: { ...MOONS.dataset, name: 'plane' } } as ExperimentConfig;
    await settle(el);
    expect(findAll(el, 'boost-off')).to.have.length(1);
    expect(find<HTMLButtonElement>(el, 'boost-start').disabled).to.equal(true);
  });

  it('reads its config and boost attributes; a bad field gives a message and the default stays', async () => {
    const el = document.createElement('sp-boosting');
    el.setAttribute('config', 'dataset=spiral&seed=3');
    el.setAttribute('boost', 'rounds:0;layers:12;epochs:5');
    document.body.append(el);
    await until(() => el.config.dataset.name === 'spiral', 'the attributes');
    await settle(el);
    expect(el.settings).to.deep.equal({ ...DEFAULT_BOOST, layers: [12], epochs: 5 });
    expect(text(find(el, 'boost-messages'))).to.contain('"rounds:0" was not used');
  });
});
