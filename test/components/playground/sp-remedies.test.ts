import { expect } from '@esm-bundle/chai';
import { waitFor } from '../../helpers/async.ts';
import { enter, field, mountConfigElement } from '../../helpers/config-element.ts';
import '../../../components/playground/sp-remedies.ts';
import '../../../components/runs/sp-multi-run.ts';
import { overfitPreset, type SpRemedies } from '../../../components/playground/sp-remedies.ts';
import type { SpMultiRun } from '../../../components/runs/sp-multi-run.ts';
import { PREVIEW_IMAGES, PREVIEW_STEPS } from '../../../components/playground/sp-augment-preview.ts';
import { augmentBatch, IMAGE_PIXELS } from '../../../src/data/augment.ts';
import { DEFAULT_EXPERIMENT, validateExperiment, type ExperimentConfig } from '../../../src/config/experiment.ts';

/** The element plus every change it emitted, each fed back in. */
function remedies(config: ExperimentConfig = DEFAULT_EXPERIMENT) {
  return mountConfigElement<SpRemedies>('sp-remedies', config);
}

describe('<sp-remedies>', () => {
  it('starts with every remedy off, and each control emits a validated config that rebuilds', async () => {
    const { el, seen } = await remedies();
    expect(field<HTMLSelectElement>(el, 'class-weights').value).to.equal('none');
    await enter(el, 'class-weights', 'balanced');
    await enter(el, 'resample', 'oversample');
    field<HTMLInputElement>(el, 'early-stopping').click();
    await el.updateComplete;
    await enter(el, 'es-patience', '7');
    await enter(el, 'es-monitor', 'validation_accuracy');
    await enter(el, 'lr-schedule', 'step');
    await enter(el, 'lr-factor', '0.25');
    await enter(el, 'jitter', '0.05');
    await enter(el, 'dropout-1', '0.3');
    expect(seen.every((c) => c.live === false)).to.equal(true);
    const r = seen.at(-1)!.config.remedies!;
    expect(r).to.deep.equal({
      classWeights: 'balanced',
      resample: 'oversample',
      earlyStopping: { monitor: 'validation_accuracy', patience: 7, minDelta: 0, restoreBest: true },
      lrSchedule: { kind: 'step', every: 50, factor: 0.25 },
      jitter: 0.05,
      imageAugment: null,
      ganOversample: null,
      dropout: [0, 0.3],
    });
    expect(() => validateExperiment(seen.at(-1)!.config)).to.not.throw();
    expect(field(el, 'lr-curve').getAttribute('aria-label')).to.contain('0.001').and.contain('epoch 200');
    el.remove();
  });

  it('L1 and L2 strengths sit in a Regularization group with help text and change live, without a rebuild', async () => {
    const { el, seen } = await remedies();
    const group = field(el, 'regularization');
    expect(group.querySelector('legend')!.textContent).to.equal('Regularization');
    expect(field<HTMLInputElement>(el, 'l1').value).to.equal('0');
    await enter(el, 'l1', '0.001');
    await enter(el, 'l2', '0.01');
    expect(seen.map((c) => c.live)).to.deep.equal([true, true]);
    expect(seen.at(-1)!.config.optimizer).to.deep.equal({ ...DEFAULT_EXPERIMENT.optimizer, l1: 0.001, l2: 0.01 });
    expect(seen.at(-1)!.config.remedies ?? null).to.equal(DEFAULT_EXPERIMENT.remedies ?? null);
    expect(field<HTMLInputElement>(el, 'l2').value).to.equal('0.01');
    const help = el.shadowRoot!.getElementById(field(el, 'l1').getAttribute('aria-describedby')!)!;
    expect(help.textContent).to.match(/L1 .*zero.*L2 .*small/);
    await enter(el, 'l2', '20');
    expect(seen).to.have.length(2);
    expect(field(el, 'remedies-error').textContent).to.contain('L2 strength').and.contain('between 0 and 10');
    await enter(el, 'l2', '');
    expect(seen).to.have.length(2);
    el.remove();
  });

  it('refuses an invalid value with a message and emits nothing', async () => {
    const { el, seen } = await remedies();
    await enter(el, 'jitter', '5');
    expect(seen).to.have.length(0);
    expect(field(el, 'remedies-error').textContent).to.contain('remedies.jitter');
    await enter(el, 'class-weights', 'manual');
    await enter(el, 'class-weights-manual', '0,0');
    expect(seen).to.have.length(1);
    expect(field(el, 'remedies-error').textContent).to.contain('positive');
    el.remove();
  });

  it('every control has a label and the preset makes a small training set with a big network', async () => {
    const { el, seen } = await remedies();
    for (const input of el.shadowRoot!.querySelectorAll('input, select')) {
      const id = input.id;
      const labelled = (id && el.shadowRoot!.querySelector(`label[for="${id}"]`)) || input.closest('label') || input.getAttribute('aria-label');
      expect(Boolean(labelled), input.outerHTML).to.equal(true);
    }
    field<HTMLButtonElement>(el, 'overfit-preset').click();
    const c = seen.at(-1)!.config;
    expect(c).to.deep.equal(overfitPreset(DEFAULT_EXPERIMENT));
    expect(c.validationSplit).to.be.at.least(0.5);
    expect(c.hidden.every((l) => l.units >= 128)).to.equal(true);
    expect(() => validateExperiment(c)).to.not.throw();
    el.remove();
  });
});

describe('image augmentation controls and preview', () => {
  const MNIST: ExperimentConfig = { ...DEFAULT_EXPERIMENT, dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'mnist' } };

  it('MNIST shows shift/rotate/zoom instead of jitter and GAN oversampling; each field emits a validated config; out of range is refused', async () => {
    const { el, seen } = await remedies(MNIST);
    expect(el.shadowRoot!.querySelector('[data-testid="jitter"]')).to.equal(null);
    field<HTMLInputElement>(el, 'image-augment').click();
    await el.updateComplete;
    expect(seen.at(-1)!.config.remedies!.imageAugment).to.deep.equal({ maxShift: 2, maxAngleDeg: 10, maxZoom: 0.1 });
    await enter(el, 'augment-maxAngleDeg', '15');
    await enter(el, 'augment-maxShift', '3');
    expect(seen.at(-1)!.config.remedies!.imageAugment).to.deep.equal({ maxShift: 3, maxAngleDeg: 15, maxZoom: 0.1 });
    expect(() => validateExperiment(seen.at(-1)!.config)).to.not.throw();
    await enter(el, 'augment-maxZoom', '2');
    expect(seen).to.have.length(3);
    expect(field(el, 'remedies-error').textContent).to.contain('remedies.imageAugment.maxZoom');
    field<HTMLInputElement>(el, 'gan-oversample').click();
    await el.updateComplete;
    await enter(el, 'gan-iterations', '300');
    expect(seen.at(-1)!.config.remedies!.ganOversample).to.deep.equal({ iterations: 300 });
    await enter(el, 'gan-iterations', '2.5');
    expect(field(el, 'remedies-error').textContent).to.contain('remedies.ganOversample.iterations');
    el.remove();
  });

  it('the preview shows the originals and three augmented rows that equal the reference draws, and moves on to later steps', async () => {
    const el = document.createElement('sp-augment-preview');
    const originals = new Float32Array(PREVIEW_IMAGES * IMAGE_PIXELS);
    for (let n = 0; n < PREVIEW_IMAGES; n++) for (let k = 0; k < 40; k++) originals[n * IMAGE_PIXELS + 300 + n * 3 + k * 7] = 1;
    const asked: number[] = [];
    el.source = async (count) => (asked.push(count), originals);
    el.ranges = { maxShift: 3, maxAngleDeg: 20, maxZoom: 0.1 };
    el.seed = 42;
    document.body.append(el);
    const grid = () => el.shadowRoot!.querySelector<HTMLElement & { images: Float32Array | null }>('[data-testid="augment-preview"]');
    await waitFor('the preview of the draws', () => grid()?.images?.length === (PREVIEW_STEPS + 1) * originals.length);
    const shown = grid()!.images!;
    expect(asked).to.deep.equal([PREVIEW_IMAGES]);
    const augmented = (step: number) =>
      augmentBatch(Float64Array.from(originals), PREVIEW_IMAGES, IMAGE_PIXELS, { kind: 'image', ranges: el.ranges!, seed: 42 }, step);
    const row = (images: Float32Array, r: number) => [...images.subarray(r * originals.length, (r + 1) * originals.length)];
    expect(row(shown, 0)).to.deep.equal([...originals].map((v) => v * 2 - 1));
    expect(row(shown, 2)).to.deep.equal([...augmented(1)].map((v) => Math.fround(Math.fround(v) * 2 - 1)));
    expect(row(shown, 1)).to.not.deep.equal(row(shown, 0));
    el.shadowRoot!.querySelector<HTMLButtonElement>('[data-testid="augment-next"]')!.click();
    await el.updateComplete;
    const next = el.shadowRoot!.querySelector<HTMLElement & { images: Float32Array }>('[data-testid="augment-preview"]')!;
    expect(row(next.images, 1)).to.deep.equal([...augmented(PREVIEW_STEPS)].map((v) => Math.fround(Math.fround(v) * 2 - 1)));
    el.remove();
  });
});

describe('<sp-multi-run>', () => {
  it('emits its jobs and shows the results', async () => {
    const el = document.createElement('sp-multi-run') as SpMultiRun;
    el.ready = true;
    document.body.append(el);
    await el.updateComplete;
    const events: string[] = [];
    for (const name of ['sp-cross-validate', 'sp-ensemble', 'sp-race'])
      el.addEventListener(name, (e) => events.push(`${name}:${JSON.stringify((e as CustomEvent).detail)}`));
    field<HTMLButtonElement>(el, 'cross-validate').click();
    field<HTMLButtonElement>(el, 'train-ensemble').click();
    field<HTMLButtonElement>(el, 'optimizer-race').click();
    expect(events).to.deep.equal([
      'sp-cross-validate:{"k":5,"balanced":false}',
      'sp-ensemble:{"members":5,"mode":"seeds"}',
      'sp-race:{"kinds":["sgd","momentum","adam","adamw"]}',
    ]);
    const s = { mean: 0.9, std: 0.01, min: 0.89, max: 0.91 };
    el.crossValidation = {
      k: 2,
      balanced: true,
      folds: [
        { fold: 0, loss: 0.2, accuracy: 0.89, macroF1: 0.88, epochs: 10 },
        { fold: 1, loss: 0.3, accuracy: 0.91, macroF1: 0.9, epochs: 10 },
      ],
      summary: { loss: s, accuracy: s, macroF1: s },
    };
    el.running = { job: 'ensemble', done: 1, total: 3 };
    await el.updateComplete;
    expect(field(el, 'cv-table').querySelectorAll('tbody tr')).to.have.length(3);
    expect(field(el, 'cv-table').textContent).to.contain('90.0% ± 1.0%');
    expect(field<HTMLButtonElement>(el, 'cross-validate').disabled).to.equal(true);
    expect(field(el, 'multi-run-status').textContent).to.contain('member 2 of 3');
    el.remove();
  });

  it("shows each ensemble member's decision boundary beside the ensemble's on 2-D data", async () => {
    const el = document.createElement('sp-multi-run') as SpMultiRun;
    const bounds = { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
    const grid = (c: number) => ({ resolution: 2, bounds, classes: new Uint8Array(4).fill(c), confidence: new Float32Array(4).fill(0.9) });
    el.ensemble = {
      mode: 'seeds',
      split: 'test',
      classes: 2,
      labels: new Uint32Array(0),
      outputs: [],
      averaged: new Float32Array(0),
      accuracy: 0.9,
      voteAccuracy: 0.9,
      members: [
        { member: 0, seed: 1, accuracy: 0.8, loss: 0.4 },
        { member: 1, seed: 2, accuracy: 0.85, loss: 0.3 },
      ],
      boundaries: { members: [grid(0), grid(1)], ensemble: grid(1) },
    };
    document.body.append(el);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[data-testid="ensemble-boundaries"]')).to.equal(null);
    el.points = { features: Float32Array.of(0, 0), labels: Uint32Array.of(1), split: Uint8Array.of(0), bounds };
    el.classNames = ['a', 'b'];
    await el.updateComplete;
    const tiles = field(el, 'ensemble-boundaries').querySelectorAll('sp-decision-boundary');
    expect(tiles).to.have.length(3);
    expect([...tiles].map((t) => t.caption)).to.deep.equal(['Member 1: 80.0%', 'Member 2: 85.0%', 'Ensemble: 90.0%']);
    expect(tiles[2]!.grid).to.equal(el.ensemble.boundaries!.ensemble);
    el.remove();
  });
});
