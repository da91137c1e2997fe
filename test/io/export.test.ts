import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import { encodeHash } from '../../src/config/url.ts';
import { kerasScript } from '../../src/io/export-keras.ts';
import { pyFloat, pyInt, pyString } from '../../src/io/export-python.ts';
import { pytorchScript } from '../../src/io/export-pytorch.ts';
import type { ModelSpec } from '../../src/nn/spec.ts';

const IRIS_SPEC: ModelSpec = { inputSize: 4, hidden: DEFAULT_EXPERIMENT.hidden, outputSize: 3, loss: 'softmax_ce' };

const SPIRAL: ExperimentConfig = {
  ...DEFAULT_EXPERIMENT,
  dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'spiral', classes: 3, noise: 0.25, size: 600 },
  hidden: [
    { units: 16, activation: 'tanh' },
    { units: 8, activation: 'leaky_relu' },
  ],
  optimizer: { ...DEFAULT_EXPERIMENT.optimizer, kind: 'momentum', learningRate: 0.03, momentum: 0.8, nesterov: true, l1: 0.0001, l2: 0.002 },
  batchSize: 'full',
  epochs: 75,
  validationSplit: 0.1,
  testSplit: 0.3,
  seed: 7,
};
const SPIRAL_SPEC: ModelSpec = { inputSize: 2, hidden: SPIRAL.hidden, outputSize: 3, loss: 'softmax_ce' };

/** The value a script assigns to a top-level setting, without its comment. */
function setting(py: string, name: string): string | undefined {
  return new RegExp(`^${name} = (.*?)(?:  #.*)?$`, 'm').exec(py)?.[1];
}

/** Checks several settings of a script at once. */
function expectSettings(py: string, want: Record<string, string>): void {
  const got = Object.fromEntries(Object.keys(want).map((k) => [k, setting(py, k)]));
  expect(got).to.deep.equal(want);
}

const both = (config: ExperimentConfig, spec: ModelSpec, options = {}) => [pytorchScript(config, spec, options), kerasScript(config, spec, options)];

describe('Python literals', () => {
  it('pyString writes ASCII-only literals that cannot end early', () => {
    expect(pyString('plain')).to.equal('"plain"');
    expect(pyString('a"b\\c')).to.equal('"a\\"b\\\\c"');
    expect(pyString('line\nbreak\r\u0000')).to.equal('"line\\x0abreak\\x0d\\x00"');
    expect(pyString('é\u2028😀')).to.equal('"\\xe9\\u2028\\U0001f600"');
    expect(pyString('"""')).to.equal('"\\"\\"\\""');
  });

  it('numbers refuse non-finite values and floats stay floats', () => {
    expect(pyFloat(0.001)).to.equal('0.001');
    expect(pyFloat(1e-7)).to.equal('1e-7');
    expect(pyFloat(2)).to.equal('2.0');
    expect(pyInt(42)).to.equal('42');
    expect(() => pyFloat(NaN)).to.throw(RangeError);
    expect(() => pyFloat(Infinity)).to.throw(RangeError);
    expect(() => pyInt(1.5)).to.throw(RangeError);
  });
});

describe('code export', () => {
  it('the PyTorch script builds the Iris network with Adam and the article settings', () => {
    const py = pytorchScript(DEFAULT_EXPERIMENT, IRIS_SPEC);
    expectSettings(py, {
      INPUT_SIZE: '4', HIDDEN: '[64, 64]', ACTIVATIONS: '["relu", "relu"]', OUTPUT_SIZE: '3', LOSS: '"softmax_ce"',
      OPTIMIZER: '"adam"', LEARNING_RATE: '0.001', BETA1: '0.9', BETA2: '0.999', EPSILON: '1e-7', L1: '0.0', L2: '0.0',
      BATCH_SIZE: '32', EPOCHS: '200', SEED: '42', TEST_SPLIT: '0.2', VALIDATION_SPLIT: '0.2', DATASET: '"iris"',
      CONFIG_HASH: `"${encodeHash(DEFAULT_EXPERIMENT)}"`,
    });
    expect(py).to.contain('torch.optim.Adam(').and.contain('eps=EPSILON').and.contain('nn.CrossEntropyLoss()');
    expect(py).to.contain('self.layers = nn.ModuleList(').and.contain('load_state_dict(load_file(args.weights))');
    expect(py).to.contain('load_iris(return_X_y=True)').and.contain('stratify=y');
  });

  it('the Keras script builds the same network with Dense layers and sparse cross-entropy on logits', () => {
    const py = kerasScript(DEFAULT_EXPERIMENT, IRIS_SPEC);
    expectSettings(py, { INPUT_SIZE: '4', HIDDEN: '[64, 64]', OUTPUT_SIZE: '3', OPTIMIZER: '"adam"', LEARNING_RATE: '0.001', BATCH_SIZE: '32', EPOCHS: '200' });
    expect(py).to.contain('keras.layers.Dense(').and.contain('SparseCategoricalCrossentropy(from_logits=True)');
    expect(py).to.contain('keras.optimizers.Adam(learning_rate=LEARNING_RATE, beta_1=BETA1, beta_2=BETA2, epsilon=EPSILON)');
    expect(py).to.contain('safetensors.numpy import load_file').and.contain('.T, tensors[f"layers.{n}.bias"]');
  });

  it('momentum with Nesterov, L1, L2 and full batch reach both scripts', () => {
    for (const py of both(SPIRAL, SPIRAL_SPEC)) {
      expectSettings(py, {
        INPUT_SIZE: '2', HIDDEN: '[16, 8]', ACTIVATIONS: '["tanh", "leaky_relu"]', OUTPUT_SIZE: '3',
        OPTIMIZER: '"momentum"', LEARNING_RATE: '0.03', MOMENTUM: '0.8', NESTEROV: 'True', L1: '0.0001', L2: '0.002',
        BATCH_SIZE: 'None', EPOCHS: '75', SEED: '7', TEST_SPLIT: '0.3', VALIDATION_SPLIT: '0.1',
        DATASET: '"spiral"', CLASSES: '3', NOISE: '0.25', DATASET_SIZE: '600',
      });
      expect(py).to.contain('LeakyReLU(0.2)');
    }
    const [torch, keras] = both(SPIRAL, SPIRAL_SPEC);
    expect(torch).to.contain('torch.optim.SGD(').and.contain('momentum=MOMENTUM, nesterov=NESTEROV').and.contain('"weight_decay": L2');
    expect(torch).to.contain('L1 * layer.weight.abs().sum()');
    expect(keras).to.contain('keras.optimizers.SGD(learning_rate=LEARNING_RATE, momentum=MOMENTUM, nesterov=NESTEROV)');
    expect(keras).to.contain('keras.regularizers.L1L2(l1=L1, l2=L2 / 2)');
  });

  it('AdamW decays weights only, decoupled', () => {
    const cfg = { ...SPIRAL, optimizer: { ...SPIRAL.optimizer, kind: 'adamw' as const, weightDecay: 0.01 } };
    const [torch, keras] = both(cfg, SPIRAL_SPEC);
    expect(torch).to.contain('[{"params": weights, "weight_decay": WEIGHT_DECAY}, {"params": biases, "weight_decay": 0.0}]');
    expect(torch).to.contain('torch.optim.AdamW(groups, lr=LEARNING_RATE, betas=(BETA1, BETA2), eps=EPSILON)');
    expect(setting(torch, 'WEIGHT_DECAY')).to.equal('0.01');
    expect(keras).to.contain('keras.optimizers.AdamW(').and.contain('exclude_from_weight_decay(var_names=["bias"])');
  });

  it('each dataset has its loader, and a CSV experiment takes the file on the command line', () => {
    for (const name of ['circles', 'xor', 'gaussians', 'moons'] as const) {
      for (const py of both({ ...SPIRAL, dataset: { ...SPIRAL.dataset, name } }, SPIRAL_SPEC)) expect(py).to.contain(`The ${name} set`);
    }
    const csv = { ...DEFAULT_EXPERIMENT, dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'csv' as const } };
    for (const py of both(csv, IRIS_SPEC)) {
      expect(py).to.contain('parser.add_argument("--csv", required=True').and.contain('parser.add_argument("--label", required=True');
      expect(py).not.to.contain('load_iris');
    }
  });

  it('a malicious CSV column name becomes one escaped string literal', () => {
    const evil = 'y"]\nimport os; os.system("rm -rf ~")  # \u2028"""';
    const csv = { ...DEFAULT_EXPERIMENT, dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'csv' as const } };
    for (const py of both(csv, IRIS_SPEC, { csvColumns: { label: evil, features: ['a\\', "b'"] } })) {
      expect(py).not.to.contain('\nimport os; os.system');
      expect(py).not.to.contain('\u2028');
      expect(py).to.contain(`default=${pyString(evil)}`);
      expect(py).to.contain(`default=[${pyString('a\\')}, ${pyString("b'")}]`);
      expect(/[^\x09\x0a\x20-\x7e]/.test(py), 'the script is printable ASCII').to.equal(false);
    }
  });

  it('refuses configs that would write non-finite numbers or unknown names', () => {
    const nan = { ...DEFAULT_EXPERIMENT, optimizer: { ...DEFAULT_EXPERIMENT.optimizer, learningRate: NaN } };
    expect(() => pytorchScript(nan, IRIS_SPEC)).to.throw();
    const badAct = { ...IRIS_SPEC, hidden: [{ units: 4, activation: 'relu"); import os #' as 'relu' }] };
    expect(() => kerasScript(DEFAULT_EXPERIMENT, badAct)).to.throw();
  });
});
