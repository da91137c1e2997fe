import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import { decodeHash, encodeHash, MAX_HASH_LENGTH } from '../../src/config/url.ts';

describe('experiment ⇄ URL hash', () => {
  it('reads the documented example', () => {
    const { config, messages } = decodeHash('#dataset=iris&layers=64,64&activation=relu&optimizer=adam&lr=0.001&batch=32&epochs=200&seed=1');
    expect(messages).to.deep.equal([]);
    expect(config.dataset.name).to.equal('iris');
    expect(config.hidden).to.deep.equal([
      { units: 64, activation: 'relu' },
      { units: 64, activation: 'relu' },
    ]);
    expect(config.optimizer.kind).to.equal('adam');
    expect(config.optimizer.learningRate).to.equal(0.001);
    expect([config.batchSize, config.epochs, config.seed]).to.deep.equal([32, 200, 1]);
  });

  it('round-trips every field', () => {
    const c: ExperimentConfig = {
      dataset: { name: 'spiral', size: 750, noise: 0.25, imbalance: 0.5, classes: 3 },
      hidden: [
        { units: 16, activation: 'tanh' },
        { units: 8, activation: 'leaky_relu' },
        { units: 3, activation: 'sigmoid' },
      ],
      optimizer: {
        kind: 'momentum',
        learningRate: 0.03,
        momentum: 0.8,
        nesterov: true,
        beta1: 0.5,
        beta2: 0.99,
        epsilon: 1e-7,
        weightDecay: 0.01,
        l1: 0.001,
        l2: 0.002,
      },
      batchSize: 'full',
      epochs: 321,
      validationSplit: 0.3,
      testSplit: 0.1,
      seed: 4000000000,
      backend: 'cpu',
    };
    const hash = encodeHash(c);
    expect(hash).to.contain('layers=16,8,3');
    expect(hash).to.contain('activation=tanh,leaky_relu,sigmoid');
    const back = decodeHash(`#${hash}`);
    expect(back.messages).to.deep.equal([]);
    expect(back.config).to.deep.equal(c);
    expect(decodeHash(encodeHash(DEFAULT_EXPERIMENT)).config).to.deep.equal(DEFAULT_EXPERIMENT);
  });

  it('cpuworkers: a count round-trips, auto or absent is no field, a bad one keeps the default with a message', () => {
    const two: ExperimentConfig = { ...DEFAULT_EXPERIMENT, backend: 'cpu', cpuWorkers: 2 };
    expect(encodeHash(two)).to.contain('&cpuworkers=2');
    expect(decodeHash(encodeHash(two)).config).to.deep.equal(two);
    expect(encodeHash(DEFAULT_EXPERIMENT)).to.not.contain('cpuworkers');
    expect('cpuWorkers' in decodeHash('cpuworkers=auto').config).to.equal(false);
    const bad = decodeHash('cpuworkers=0');
    expect('cpuWorkers' in bad.config).to.equal(false);
    expect(bad.messages[0]).to.contain('"cpuworkers=0" was not used');
  });

  it('falls back field by field with a visible message', () => {
    const { config, messages } = decodeHash('#dataset=cifar&layers=8,0&lr=-1&batch=big&epochs=20&seed=7&bogus=1');
    expect(config.dataset.name).to.equal('iris');
    expect(config.hidden).to.deep.equal(DEFAULT_EXPERIMENT.hidden);
    expect(config.optimizer.learningRate).to.equal(DEFAULT_EXPERIMENT.optimizer.learningRate);
    expect(config.batchSize).to.equal(DEFAULT_EXPERIMENT.batchSize);
    expect([config.epochs, config.seed]).to.deep.equal([20, 7]);
    expect(messages).to.have.length(5);
    expect(messages.join('\n')).to.contain('dataset=cifar').and.contain('layers=8,0').and.contain('lr=-1').and.contain('batch=big').and.contain('"bogus"');
  });

  it('ignores prototype keys and oversized hashes', () => {
    const { config, messages } = decodeHash('#__proto__=x&constructor=y&seed=3');
    expect(config.seed).to.equal(3);
    expect(({} as Record<string, unknown>)['x']).to.equal(undefined);
    expect(messages).to.have.length(2);
    const huge = decodeHash(`#seed=1&pad=${'a'.repeat(MAX_HASH_LENGTH)}`);
    expect(huge.config).to.equal(DEFAULT_EXPERIMENT);
    expect(huge.messages[0]).to.contain('longer than');
    expect(huge.page, 'nothing of an oversized hash is read, page keys included').to.deep.equal({});
  });

  it("returns the page's own keys (the playground's sweep) raw, without calling them unknown", () => {
    const { config, messages, page } = decodeHash('#seed=4&sweep=grid%3Bbudget%3A8');
    expect(config.seed).to.equal(4);
    expect(messages).to.deep.equal([]);
    expect(page).to.deep.equal({ sweep: 'grid;budget:8' });
    expect(decodeHash('#seed=4').page).to.deep.equal({});
  });

  it('rejects an activation list that does not match the layers', () => {
    const { config, messages } = decodeHash('#layers=4,4&activation=relu,tanh,sigmoid');
    expect(config.hidden.map((l) => l.units)).to.deep.equal([4, 4]);
    expect(messages[0]).to.contain('3 activations for 2 layers');
  });
});

describe('task ⇄ URL hash', () => {
  it('task=regression round-trips; a classifier writes no task key', () => {
    const config: ExperimentConfig = { ...DEFAULT_EXPERIMENT, task: 'regression', dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'gaussmix', noise: 0.2 } };
    const hash = encodeHash(config);
    expect(hash).to.match(/^task=regression&dataset=gaussmix/);
    expect(decodeHash(hash)).to.deep.equal({ config, messages: [], page: {} });
    expect(encodeHash(DEFAULT_EXPERIMENT)).not.to.contain('task=');
  });

  it('a regression-only set implies the task; a set that does not fit it is refused with a message', () => {
    expect(decodeHash('dataset=plane').config.task).to.equal('regression');
    const mixed = decodeHash('task=regression&dataset=iris');
    expect(mixed.config.dataset.name).to.equal('plane');
    expect(mixed.messages.join(' ')).to.match(/iris is a classification data set/);
    const cw = decodeHash('task=regression&cw=balanced');
    expect(cw.config.remedies?.classWeights ?? 'none').to.equal('none');
    expect(cw.messages.join(' ')).to.match(/Class weights balance classes/);
    expect(decodeHash('task=guess').messages.join(' ')).to.match(/task=guess/);
  });
});

describe('remedies ⇄ URL hash', () => {
  it('round-trips every remedy with short keys; all-off writes nothing', () => {
    const c: ExperimentConfig = {
      ...DEFAULT_EXPERIMENT,
      remedies: {
        classWeights: [1, 2.5, 0],
        resample: 'oversample',
        earlyStopping: { monitor: 'validation_accuracy', patience: 7, minDelta: 0.001, restoreBest: true },
        lrSchedule: { kind: 'cosine', epochs: 150, floor: 0.1 },
        jitter: 0.05,
        imageAugment: { maxShift: 2, maxAngleDeg: 12.5, maxZoom: 0.1 },
        ganOversample: { iterations: 500 },
        dropout: [0.2, 0],
      },
    };
    const hash = encodeHash(c);
    expect(hash).to.contain('cw=1,2.5,0').and.contain('rs=oversample').and.contain('es=accuracy,7,0.001');
    expect(hash).to.contain('lrs=cosine,150,0.1').and.contain('jit=0.05').and.contain('drop=0.2,0').and.contain('aug=2,12.5,0.1').and.contain('gan=500');
    const back = decodeHash(`#${hash}`);
    expect(back.messages).to.deep.equal([]);
    expect(back.config).to.deep.equal(c);
    const step = decodeHash('#cw=balanced&rs=undersample&es=loss,3&lrs=step,10,0.5');
    expect(step.config.remedies).to.deep.include({ classWeights: 'balanced', resample: 'undersample', lrSchedule: { kind: 'step', every: 10, factor: 0.5 } });
    expect(step.config.remedies!.earlyStopping).to.deep.equal({ monitor: 'validation_loss', patience: 3, minDelta: 0, restoreBest: true });
    expect(
      encodeHash({
        ...DEFAULT_EXPERIMENT,
        remedies: {
          classWeights: 'none',
          resample: 'none',
          earlyStopping: null,
          lrSchedule: { kind: 'constant' },
          jitter: 0,
          imageAugment: null,
          ganOversample: null,
          dropout: [],
        },
      }),
    ).to.equal(encodeHash(DEFAULT_EXPERIMENT));
  });

  it('falls back per remedy field with a message', () => {
    const { config, messages } = decodeHash('#seed=5&cw=-1,2&rs=smote&es=val,3&lrs=step,0,0.5&jit=2&drop=0.5&aug=1,2&gan=0.5&lrs2=x');
    expect(config.seed).to.equal(5);
    expect(config.remedies).to.equal(undefined);
    expect(messages).to.have.length(9);
    for (const key of ['cw=', 'rs=', 'es=', 'lrs=', 'jit=', 'drop=', 'aug=', 'gan=', '"lrs2"']) expect(messages.join('\n')).to.contain(key);
    const ok = decodeHash('#layers=8&drop=0.5&jit=0.1&rs=bogus');
    expect(ok.config.remedies).to.deep.include({ dropout: [0.5], jitter: 0.1, resample: 'none' });
    expect(ok.messages).to.have.length(1);
  });
});

describe('a drawing ⇄ URL hash', () => {
  const points = (n: number, value: (i: number) => number) =>
    Array.from({ length: n }, (_, i) => ({ x1: (((i * 37) % 301) - 150) / 100, x2: (((i * 91) % 301) - 150) / 100, y: value(i) }));
  const drawn = (p: ReturnType<typeof points>): ExperimentConfig => ({
    ...DEFAULT_EXPERIMENT,
    dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'drawn', drawn: p },
  });

  it('writes drawn= right after the dataset, only for a drawing, and reads it back', () => {
    const c = drawn(points(12, (i) => i % 3));
    const hash = encodeHash(c);
    expect(hash).to.match(/^dataset=drawn&drawn=c[A-Za-z0-9_-]+&layers=/);
    const back = decodeHash(`#${hash}`);
    expect(back.messages).to.deep.equal([]);
    expect(back.config).to.deep.equal(c);
    expect(encodeHash(DEFAULT_EXPERIMENT)).to.not.contain('drawn');
  });

  it('keeps a full drawing of 500 points with values, the rest of a long experiment and a sweep under the hash limit', () => {
    const c: ExperimentConfig = {
      ...drawn(points(500, (i) => ((i % 201) - 100) / 100)),
      hidden: Array.from({ length: 8 }, (_, i) => ({ units: 128, activation: i % 2 ? 'tanh' : 'leaky_relu' }) as const),
      features: ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'],
      remedies: {
        classWeights: 'balanced',
        resample: 'oversample',
        earlyStopping: { monitor: 'validation_accuracy', patience: 7, minDelta: 0.001, restoreBest: true },
        lrSchedule: { kind: 'cosine', epochs: 150, floor: 0.1 },
        jitter: 0.05,
        imageAugment: null,
        ganOversample: null,
        dropout: [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2],
      },
    };
    const hash = encodeHash(c);
    expect(hash.length + 400, 'room for a sweep').to.be.below(MAX_HASH_LENGTH);
    const back = decodeHash(`#${hash}`);
    expect(back.messages).to.deep.equal([]);
    expect(back.config).to.deep.equal(c);
  });

  it('falls back with a message for a damaged drawing, a drawing without points, or points without a drawing', () => {
    const damaged = decodeHash('#dataset=drawn&drawn=c!!&seed=3');
    expect(damaged.config.dataset).to.deep.equal(DEFAULT_EXPERIMENT.dataset);
    expect(damaged.config.seed).to.equal(3);
    expect(damaged.messages.join('\n')).to.contain('"drawn=c!!" was not used (drawn: has "!"').and.contain('without its points');
    const missing = decodeHash('#dataset=drawn&layers=4');
    expect(missing.config.dataset.name).to.equal('iris');
    expect(missing.messages).to.have.length(1);
    const stray = decodeHash(
      `#dataset=spiral&drawn=${encodeHash(drawn(points(12, (i) => i % 2)))
        .split('&')[1]!
        .slice(6)}`,
    );
    expect(stray.config.dataset.name).to.equal('spiral');
    expect(stray.config.dataset.drawn).to.equal(undefined);
    expect(stray.messages[0]).to.contain('only the drawn data set');
  });
});
