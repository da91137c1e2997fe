// The framework-neutral parts of an exported classifier script (settings, remedies, the run to
// compare with, the command line, the NumPy sections) and the helpers that write Python literals,
// shared by export-pytorch.ts and export-keras.ts, which bring only their framework's code. Data never reaches Python source unescaped: strings go
// through pyString, numbers through pyFloat/pyInt (which refuse non-finite values), enums are
// validated before use, and comments only ever contain validated enum names and numbers.
import { remediesOf, taskOf, validateExperiment, type ExperimentConfig, type RemediesConfig } from '../config/experiment.ts';
import type { LabeledTable } from '../data/dataset.ts';
import { encodeHash } from '../config/url.ts';
import { validateModelSpec, type ModelSpec } from '../nn/spec.ts';
import { dataFingerprint } from './export-data.ts';
import { pythonDataSection } from './export-py-data.ts';
import { PY_REGRESSION_SCORES } from './export-py-regression.ts';
import { PY_HASH, PY_RNG } from './export-py-random.ts';
import { PY_BATCH_ORDER, PY_TRAINING } from './export-py-training.ts';
import { PY_START, PY_WEIGHTS } from './export-py-weights.ts';
import { exactnessNotes, pythonScript, type FrameworkParts } from './export-script-parts.ts';

/** Extra facts for a script beyond the experiment itself. */
export interface ExportOptions {
  /** The CSV columns used, baked in as argument defaults. */
  csvColumns?: { label: string; features: string[] };
  /** The user's CSV table, to fingerprint its rows (the other built-in sets are rebuilt here). */
  table?: LabeledTable | null;
  /**
   * The playground's training loss per epoch for this experiment from its initial weights, for
   * `--check`; empty or absent when there is no such run (nothing trained, or weights loaded).
   */
  curve?: number[];
  /** Where the curve was recorded (the backend), or why there is none. */
  curveNote?: string;
  /**
   * An ensemble script's `--check`: it takes the page's result file (this is its help) instead of
   * comparing a curve.
   */
  checkResult?: string;
}

/** Epochs `--check` compares. */
export const CHECK_EPOCHS = 20;
/**
 * `--check`'s float32 tolerance on each epoch's mean training loss: the script's float64 twin
 * run must be within ATOL + max(RTOL·|loss|, BAND·|float32 run − float64 run|) of the
 * playground's value. Float32 runs of the test experiments stay within about 4e-6 of the
 * float64 reference and of the GPU over 20 epochs, and RTOL covers that; a long run (thousands
 * of steps) can drift much further once rounding flips a ReLU, which the measured band covers,
 * since the playground's float32 GPU run is rounded as much as the script's. Any real difference
 * (another row, step, weight or mask) moves the loss far more than either.
 */
export const CHECK_TOLERANCE = { rtol: 1e-4, atol: 1e-6, band: 10 } as const;

/**
 * A Python string literal for any JS string: ASCII only (everything else as \x, \u or \U
 * escapes), so no quote, backslash, newline or odd code point can end the literal early.
 */
export function pyString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c < 0x100) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += `\\U${c.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** A Python float literal; throws for NaN and infinities, which have no literal. */
export function pyFloat(x: number): string {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new RangeError(`cannot write ${String(x)} into Python code`);
  const s = String(x);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** A Python int literal; throws for anything but a safe integer. */
export function pyInt(x: number): string {
  if (!Number.isSafeInteger(x)) throw new RangeError(`cannot write ${String(x)} into Python code as an integer`);
  return String(x);
}

/** A Python list literal. */
export const pyList = (items: string[]): string => `[${items.join(', ')}]`;

/** A long list of floats wrapped over several lines. */
function floatLines(values: number[]): string {
  const lines: string[] = [];
  for (let i = 0; i < values.length; i += 6)
    lines.push(
      `    ${values
        .slice(i, i + 6)
        .map(pyFloat)
        .join(', ')},`,
    );
  return values.length ? `[\n${lines.join('\n')}\n]` : '[]';
}

/** Checks both inputs so every enum that reaches the script is one of the known names. */
function checkExportInputs(config: ExperimentConfig, spec: ModelSpec): void {
  validateExperiment(config);
  validateModelSpec(spec);
}

/** What a script cannot reproduce, each with why (the Keras scripts train in one process). */
function leftOut(c: ExperimentConfig, framework: 'pytorch' | 'keras'): string[] {
  const out: string[] = [];
  const gan = remediesOf(c).ganOversample;
  if (gan) {
    out.push(
      `GAN oversampling (${gan.iterations} GAN iterations): the playground adds images drawn from a GAN it trains in the browser; ` +
        'this script trains on the real images only, so its run is not the playground run and --check is refused',
    );
  }
  if (framework === 'keras') out.push('training on several processes or machines: use the PyTorch script with torchrun for that');
  return out;
}

function remedySettings(r: RemediesConfig, hidden: number): string {
  const cw = r.classWeights === 'none' ? 'None' : r.classWeights === 'balanced' ? '"balanced"' : pyList(r.classWeights.map(pyFloat));
  const es = r.earlyStopping;
  const s = r.lrSchedule;
  const schedule =
    s.kind === 'step'
      ? `{"kind": "step", "every": ${pyInt(s.every)}, "factor": ${pyFloat(s.factor)}}`
      : s.kind === 'cosine'
        ? `{"kind": "cosine", "epochs": ${pyInt(s.epochs)}, "floor": ${pyFloat(s.floor)}}`
        : '{"kind": "constant"}';
  const a = r.imageAugment;
  const dropout = Array.from({ length: hidden }, (_, i) => r.dropout[i] ?? 0);
  return `CLASS_WEIGHTS = ${cw}  # None, "balanced" (from the training rows' labels) or one weight per class
RESAMPLE = ${pyString(r.resample)}  # "none", "oversample" or "undersample" the training rows, redrawn every epoch
EARLY_STOPPING = ${es ? `{"monitor": ${pyString(es.monitor)}, "patience": ${pyInt(es.patience)}, "min_delta": ${pyFloat(es.minDelta)}}` : 'None'}  # restores the best epoch's weights
LR_SCHEDULE = ${schedule}  # multiplies LEARNING_RATE per epoch
JITTER = ${pyFloat(r.jitter)}  # std of Gaussian noise added to the standardized training inputs, fresh every step
IMAGE_AUGMENT = ${a ? `{"max_shift": ${pyFloat(a.maxShift)}, "max_angle_deg": ${pyFloat(a.maxAngleDeg)}, "max_zoom": ${pyFloat(a.maxZoom)}}` : 'None'}  # random shift (px), rotation, zoom of training images
DROPOUT = ${pyList(dropout.map(pyFloat))}  # inverted dropout rate after each hidden layer, training only
GAN_OVERSAMPLE = ${r.ganOversample ? pyInt(r.ganOversample.iterations) : 'None'}  # GAN iterations (see LEFT_OUT)`;
}

/** The experiment's data, network, optimizer and schedule as named constants. */
function experimentSettings(c: ExperimentConfig, spec: ModelSpec): string {
  const o = c.optimizer;
  const d = c.dataset;
  const specJson = JSON.stringify({ inputSize: spec.inputSize, hidden: spec.hidden, outputSize: spec.outputSize, loss: spec.loss });
  return `# ---------------------------------------------------------------------------
# 1. The experiment, as it was set in the playground
# ---------------------------------------------------------------------------
# The playground link for these settings is index.html#<CONFIG_HASH>.
CONFIG_HASH = ${pyString(encodeHash(c))}
# The network as the playground describes it; saved with the weights so it can load them.
SPEC_JSON = ${pyString(specJson)}
SEED = ${pyInt(c.seed)}
# "classification": a class per row; "regression": a number per row, learned standardized by one linear output with MSE.
TASK = ${pyString(taskOf(c))}

DATASET = ${pyString(d.name)}
DATASET_SIZE = ${pyInt(d.size)}  # rows of a generated 2-D set, or MNIST training images used
NOISE = ${pyFloat(d.noise)}  # jitter of a generated 2-D set, 0 to 1
CLASSES = ${pyInt(d.classes)}  # arms of the spiral or number of Gaussian blobs
IMBALANCE = ${pyFloat(d.imbalance)}  # smallest class size relative to the largest (1 = balanced)
# Input features of a 2-D set, computed from its x1, x2 before standardization (x1sq = x1^2, ...).
FEATURES = ${pyList((c.features ?? ['x1', 'x2']).map(pyString))}

INPUT_SIZE = ${pyInt(spec.inputSize)}
HIDDEN = ${pyList(spec.hidden.map((l) => pyInt(l.units)))}  # units of each hidden layer
ACTIVATIONS = ${pyList(spec.hidden.map((l) => pyString(l.activation)))}  # one per hidden layer
OUTPUT_SIZE = ${pyInt(spec.outputSize)}  # the output layer is linear: it gives logits (regression: the standardized target)
LOSS = ${pyString(spec.loss)}

OPTIMIZER = ${pyString(o.kind)}
LEARNING_RATE = ${pyFloat(o.learningRate)}
MOMENTUM = ${pyFloat(o.momentum)}
NESTEROV = ${o.nesterov ? 'True' : 'False'}
BETA1 = ${pyFloat(o.beta1)}
BETA2 = ${pyFloat(o.beta2)}
EPSILON = ${pyFloat(o.epsilon)}  # Keras' default 1e-7 (PyTorch's own default is 1e-8)
L1 = ${pyFloat(o.l1)}  # adds L1 * sign(w) to each weight's gradient (biases are never regularized)
L2 = ${pyFloat(o.l2)}  # adds L2 * w to each weight's gradient: the gradient of L2/2 * sum(w^2)
WEIGHT_DECAY = ${pyFloat(o.weightDecay)}  # AdamW's decoupled decay: w -= lr * WEIGHT_DECAY * w

BATCH_SIZE = ${c.batchSize === 'full' ? 'None  # None: full batch, every training row in each step' : pyInt(c.batchSize)}
EPOCHS = ${pyInt(c.epochs)}
TEST_SPLIT = ${pyFloat(c.testSplit)}  # fraction of all rows held out for the final test
VALIDATION_SPLIT = ${pyFloat(c.validationSplit)}  # fraction of the remaining rows for validation
`;
}

/** Section 1 of every classifier script: the experiment, its remedies and the run to compare with. */
function pythonSettings(c: ExperimentConfig, spec: ModelSpec, framework: 'pytorch' | 'keras', options: ExportOptions): string {
  const fp = c.dataset.name === 'csv' && !options.table ? null : dataFingerprint(c, options.table ?? null);
  const curve = options.curve ?? [];
  return `${experimentSettings(c, spec)}
# Remedies (each one off is None, 0 or "none")
${remedySettings(remediesOf(c), spec.hidden.length)}

# What this script does not reproduce, and why (also printed when it runs).
LEFT_OUT = ${pyList(leftOut(c, framework).map(pyString))}

# The playground's run, for --check: mean training loss of each epoch from the initial weights.
PLAYGROUND_CURVE = ${floatLines(curve)}
CURVE_NOTE = ${pyString(options.curveNote ?? (curve.length ? 'recorded in the playground' : 'no run was recorded in the playground before this export'))}
CHECK_EPOCHS = ${pyInt(CHECK_EPOCHS)}  # --check compares this many first epochs
# float32 tolerance of each epoch: ATOL + max(RTOL * |loss|, BAND * what float32 rounding moved this run)
CHECK_RTOL, CHECK_ATOL, CHECK_BAND = ${pyFloat(CHECK_TOLERANCE.rtol)}, ${pyFloat(CHECK_TOLERANCE.atol)}, ${pyFloat(CHECK_TOLERANCE.band)}
# CRC-32 of the playground's table and split rows (None: not known to the exporter).
DATA_FINGERPRINT = ${fp ? `{"table": ${pyInt(fp.table)}, "splits": ${pyInt(fp.splits)}}` : 'None'}
`;
}

/** The command line: epochs, weights in and out, --check, and the data files it needs. */
function pythonArgs(c: ExperimentConfig, framework: string, options: ExportOptions): string {
  const cols = options.csvColumns;
  const dataArgs =
    c.dataset.name === 'csv'
      ? `    parser.add_argument("--csv", required=True, help="your CSV file (it never left your computer)")
    parser.add_argument("--label", ${cols ? `default=${pyString(cols.label)}` : 'required=True'}, help=${pyString(taskOf(c) === 'regression' ? 'the target column (a number in every row)' : 'the label column')})
    parser.add_argument("--features", nargs="+", default=${cols ? pyList(cols.features.map(pyString)) : 'None'},
                        help="feature columns (default: every column except the label)")
`
      : c.dataset.name === 'mnist'
        ? `    parser.add_argument("--mnist", required=True, help="folder with MNIST's four IDX files (train-images-idx3-ubyte[.gz], ...)")
`
        : '';
  return `

def parse_args(argv=None):
    """The command line; run with --help to see it."""
    parser = argparse.ArgumentParser(description=${pyString(`Train the shaderprop experiment with ${framework}.`)})
    parser.add_argument("--epochs", type=int, default=EPOCHS, help="epochs to train (0: only evaluate)")
    parser.add_argument("--init", help="the playground's initial weights (init.safetensors); "
                        "without it the same weights are computed here from SEED")
    parser.add_argument("--weights", help="start from weights saved in the playground (.safetensors)")
    parser.add_argument("--save", help="write the trained weights to this .safetensors file")
${
  options.checkResult
    ? `    parser.add_argument("--check", metavar="RESULT_JSON", help=${pyString(options.checkResult)})
`
    : `    parser.add_argument("--check", action="store_true",
                        help=f"train the first {CHECK_EPOCHS} epochs from the initial weights and exit 1 unless "
                             "their training loss matches the playground's curve")
`
}${dataArgs}    return parser.parse_args(argv)
`;
}

/** What a framework brings to a classifier script; its usage lines are written for the data's command-line arguments. */
export interface ClassifierFramework extends Omit<FrameworkParts, 'usage'> {
  /** The docstring's command lines, given the data arguments every run needs (e.g. " --mnist MNIST_DIR"). */
  usage: (dataArg: string) => string;
  /** The docstring's paragraph on what stays exact, when not the single run's (exactnessNotes). */
  exactness?: string;
}

/**
 * A classifier (or regression) script in `framework`: the settings, command line and NumPy
 * sections (random numbers, data, batch order and remedies, weights) every framework shares,
 * then its own. A regression script learns the standardized target with MSE and reports test
 * MSE, MAE and R².
 */
export function classifierScript(config: ExperimentConfig, spec: ModelSpec, options: ExportOptions, framework: ClassifierFramework): string {
  checkExportInputs(config, spec);
  const data = pythonDataSection(config.dataset.name, taskOf(config), config.dataset.drawn);
  const dataArg = config.dataset.name === 'csv' ? ' --csv FILE.csv --label COLUMN' : config.dataset.name === 'mnist' ? ' --mnist MNIST_DIR' : '';
  return pythonScript({
    summary: framework.summary,
    requires: framework.requires,
    usage: framework.usage(dataArg) + (framework.exactness ?? exactnessNotes(framework.id === 'pytorch')),
    leftOut: leftOut(config, framework.id),
    stdlib: ['import argparse', 'import json', 'import struct', ...data.imports, ...framework.stdlib],
    imports: framework.imports,
    settings: pythonSettings(config, spec, framework.id, options) + pythonArgs(config, framework.name, options),
    sections: [
      ["2. The playground's random numbers: its seeded generator and its hash", PY_RNG + PY_HASH],
      ['3. The data: the same table, split and standardization', data.code],
      ['4. Class weights, batch order, learning-rate schedule, early stopping, regression scores', PY_BATCH_ORDER + PY_TRAINING + PY_REGRESSION_SCORES],
      ["5. Weights: the playground's initialization and .safetensors files", PY_WEIGHTS + PY_START],
      ...framework.sections,
    ],
  });
}
