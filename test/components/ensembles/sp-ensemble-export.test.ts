import { expect } from '@esm-bundle/chai';
import '../../../components/ensembles/sp-boosting.ts';
import '../../../components/ensembles/sp-stacking.ts';
import type { EnsembleRunner } from '../../../components/ensembles/ensemble-runner.ts';
import { boostingRun, DEFAULT_BOOST, DEFAULT_STACK, stackingRun, type BoostSettings, type StackSettings } from '../../../src/config/ensembles.ts';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../../src/config/experiment.ts';
import { encodeHash } from '../../../src/config/url.ts';
import type { BoostingResult, StackingResult } from '../../../src/worker/api.ts';
import { find, findAll, settle, until } from '../../helpers/sweep.ts';

const IRIS: ExperimentConfig = { ...DEFAULT_EXPERIMENT, dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'iris' }, epochs: 6, seed: 4, backend: 'cpu' };
const BOOST: BoostSettings = { ...DEFAULT_BOOST, rounds: 3, layers: [4], epochs: 6, shrinkage: 0.5 };
const STACK: StackSettings = { ...DEFAULT_STACK, k: 3, learners: DEFAULT_STACK.learners.slice(0, 2), pass: true };

/** A runner that answers with the given results at once. */
function answering(boosting: BoostingResult | null, stacking: StackingResult | null): EnsembleRunner {
  return {
    boost: () => (boosting ? Promise.resolve(boosting) : new Promise(() => undefined)),
    stack: () => (stacking ? Promise.resolve(stacking) : new Promise(() => undefined)),
    cancel: () => undefined,
  };
}

/** The next download started on the page: its file name and text, taken before the browser saves it. */
function nextDownload(): Promise<{ name: string; text: string }> {
  return new Promise((resolve) => {
    const onClick = (e: MouseEvent) => {
      const a = e.target as HTMLAnchorElement;
      if (!(a instanceof HTMLAnchorElement) || !a.download) return;
      e.preventDefault();
      document.removeEventListener('click', onClick, true);
      void fetch(a.href).then(async (r) => resolve({ name: a.download, text: await r.text() }));
    };
    document.addEventListener('click', onClick, true);
  });
}

async function downloaded(el: HTMLElement, testid: string): Promise<{ name: string; text: string }> {
  const file = nextDownload();
  find(el, testid).click();
  return file;
}

const round = (r: number, error: number, alpha: number) => ({
  round: r,
  outcome: 'kept' as const,
  error,
  alpha,
  message: '',
  accuracy: { train: 0.9, validation: NaN, test: 0.8 + r / 100 },
});

describe('<sp-ensemble-export> in boosting and stacking', () => {
  afterEach(() => document.body.replaceChildren());

  it('boosting: after a result, Export PyTorch downloads the script and Download result its --check file', async () => {
    const result: BoostingResult = {
      rounds: [round(0, 0.2, 0.69), round(1, 0.3, 0.42)],
      alphas: [0.69, 0.42],
      predictions: [new Uint32Array(150).fill(1), new Uint32Array(150).fill(2)],
      weights: new Float64Array(96).fill(1 / 96),
      message: '',
      cancelled: false,
      inputs: 4,
      classes: 3,
    };
    const el = document.createElement('sp-boosting');
    Object.assign(el, { config: IRIS, settings: BOOST, runner: answering(result, null) });
    document.body.append(el);
    await settle(el);
    expect(findAll(el, 'boost-export-pytorch')).to.have.length(0);
    find(el, 'boost-start').click();
    await until(() => findAll(el, 'boost-export-pytorch').length > 0, 'the export buttons');
    const script = await downloaded(el, 'boost-export-pytorch');
    expect(script.name).to.equal('shaderprop_boosting.py');
    expect(script.text).to.contain('ROUNDS = 3').and.contain('SHRINKAGE = 0.5').and.contain('def samme_round(').and.contain('INPUT_SIZE = 4');
    const file = await downloaded(el, 'boost-result-json');
    expect(file.name).to.equal('shaderprop_boosting_result.json');
    const json = JSON.parse(file.text);
    const { config, options } = boostingRun(IRIS, BOOST);
    expect(json).to.deep.include({ format: 'shaderprop-boosting', config: encodeHash(config), options, cancelled: false });
    expect(json.rounds.map((r: { alpha: number }) => r.alpha)).to.deep.equal([0.69, 0.42]);
    expect(json.rounds[0].accuracy).to.deep.equal({ train: 0.9, validation: null, test: 0.8 });
    expect(json.members[1]).to.have.length(150);
  });

  it('stacking: after a result, Export PyTorch downloads the script and Download result its --check file', async () => {
    const score = { accuracy: 0.9, macroF1: 0.88 };
    const result: StackingResult = {
      learners: [score, score],
      average: score,
      stack: { accuracy: 0.95, macroF1: 0.94 },
      outOfFold: new Float32Array([0.25, 0.75]),
      metaInputs: 10,
      inputs: 4,
      classes: 3,
    };
    const el = document.createElement('sp-stacking');
    Object.assign(el, { config: IRIS, settings: STACK, runner: answering(null, result) });
    document.body.append(el);
    await settle(el);
    expect(findAll(el, 'stack-export-pytorch')).to.have.length(0);
    find(el, 'stack-start').click();
    await until(() => findAll(el, 'stack-export-pytorch').length > 0, 'the export buttons');
    const script = await downloaded(el, 'stack-export-pytorch');
    expect(script.name).to.equal('shaderprop_stacking.py');
    expect(script.text).to.contain('K_FOLDS = 3').and.contain('PASS_FEATURES = True').and.contain('def stratified_k_fold(');
    const file = await downloaded(el, 'stack-result-json');
    const json = JSON.parse(file.text);
    const { config, options } = stackingRun(IRIS, STACK);
    expect(json).to.deep.include({ format: 'shaderprop-stacking', config: encodeHash(config), metaInputs: 10 });
    expect(json.options).to.deep.equal(JSON.parse(JSON.stringify(options)));
    expect(json.stack).to.deep.equal({ accuracy: 0.95, macroF1: 0.94 });
    expect(json.outOfFold).to.deep.equal([0.25, 0.75]);
  });
});
