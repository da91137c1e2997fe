import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, validateExperiment, type ExperimentConfig } from '../../src/config/experiment.ts';
import { DEFAULT_OPTIMIZER, validateOptimizer } from '../../src/nn/optimizer.ts';
import { MODEL_LIMITS, validateModelSpec, type ModelSpec } from '../../src/nn/spec.ts';
import { ConfigError } from '../../src/config/errors.ts';

const SPEC: ModelSpec = { inputSize: 4, hidden: [{ units: 8, activation: 'relu' }], outputSize: 3, loss: 'softmax_ce' };

function rejects(run: () => unknown, field: string, text?: string): void {
  try {
    run();
  } catch (e) {
    expect(e).to.be.instanceOf(ConfigError);
    expect((e as ConfigError).field).to.equal(field);
    if (text) expect((e as Error).message).to.contain(text);
    return;
  }
  expect.fail(`expected a ConfigError for ${field}`);
}

describe('rejected inputs name the field and the limit', () => {
  it('accepts the defaults', () => {
    expect(validateModelSpec(SPEC)).to.equal(SPEC);
    expect(validateExperiment(DEFAULT_EXPERIMENT)).to.equal(DEFAULT_EXPERIMENT);
  });

  it('zero, negative and fractional units', () => {
    rejects(() => validateModelSpec({ ...SPEC, hidden: [{ units: 0, activation: 'relu' }] }), 'model.hidden[0].units', 'at least 1');
    rejects(
      () =>
        validateModelSpec({
          ...SPEC,
          hidden: [
            { units: 8, activation: 'relu' },
            { units: -3, activation: 'relu' },
          ],
        }),
      'model.hidden[1].units',
    );
    rejects(() => validateModelSpec({ ...SPEC, hidden: [{ units: 2.5, activation: 'relu' }] }), 'model.hidden[0].units', 'whole number');
  });

  it('unknown activation', () => {
    rejects(() => validateModelSpec({ ...SPEC, hidden: [{ units: 8, activation: 'swish' as never }] }), 'model.hidden[0].activation', 'relu');
  });

  it('more layers or units than the documented limits', () => {
    const deep = Array.from({ length: MODEL_LIMITS.maxHiddenLayers + 1 }, () => ({ units: 2, activation: 'relu' as const }));
    rejects(() => validateModelSpec({ ...SPEC, hidden: deep }), 'model.hidden', `at most ${MODEL_LIMITS.maxHiddenLayers}`);
    rejects(
      () => validateModelSpec({ ...SPEC, hidden: [{ units: MODEL_LIMITS.maxUnits + 1, activation: 'relu' }] }),
      'model.hidden[0].units',
      String(MODEL_LIMITS.maxUnits),
    );
    rejects(() => validateModelSpec({ ...SPEC, inputSize: MODEL_LIMITS.maxInputSize + 1 }), 'model.inputSize');
  });

  it('heads that do not fit their loss', () => {
    rejects(() => validateModelSpec({ ...SPEC, outputSize: 1 }), 'model.outputSize', '2 classes');
    rejects(() => validateModelSpec({ ...SPEC, loss: 'sigmoid_bce' }), 'model.outputSize', 'exactly 1');
  });

  it('non-finite or out-of-range hyperparameters', () => {
    rejects(() => validateOptimizer({ ...DEFAULT_OPTIMIZER, learningRate: NaN }), 'optimizer.learningRate', 'finite');
    rejects(() => validateOptimizer({ ...DEFAULT_OPTIMIZER, learningRate: Infinity }), 'optimizer.learningRate');
    rejects(() => validateOptimizer({ ...DEFAULT_OPTIMIZER, beta1: 1 }), 'optimizer.beta1', 'between');
    rejects(() => validateOptimizer({ ...DEFAULT_OPTIMIZER, l2: -1 }), 'optimizer.l2');
    rejects(() => validateOptimizer({ ...DEFAULT_OPTIMIZER, kind: 'rmsprop' as never }), 'optimizer.kind');
  });

  it('bad schedule fields', () => {
    const bad = (patch: Partial<ExperimentConfig>) => () => validateExperiment({ ...DEFAULT_EXPERIMENT, ...patch });
    rejects(bad({ batchSize: 0 }), 'batchSize');
    rejects(bad({ batchSize: 'half' as never }), 'batchSize');
    rejects(bad({ epochs: 1e9 }), 'epochs');
    rejects(bad({ validationSplit: -0.1 }), 'validationSplit');
    rejects(bad({ validationSplit: 0.5, testSplit: 0.5 }), 'validationSplit', 'leave rows');
    rejects(bad({ seed: 1.5 }), 'seed');
    rejects(bad({ dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'cifar' as never } }), 'dataset.name');
    rejects(bad({ dataset: { ...DEFAULT_EXPERIMENT.dataset, noise: 2 } }), 'dataset.noise');
    rejects(bad({ dataset: { ...DEFAULT_EXPERIMENT.dataset, imbalance: 0 } }), 'dataset.imbalance');
    expect(validateExperiment({ ...DEFAULT_EXPERIMENT, batchSize: 'full' }).batchSize).to.equal('full');
  });
});
