// The framework-neutral parts of an exported Python script (settings, command line, data) and
// the helpers that write Python literals, shared by export-pytorch.ts and export-keras.ts.
// Data never reaches Python source unescaped: strings go through pyString, numbers through
// pyFloat/pyInt (which refuse non-finite values), enums are validated before use, and comments
// only ever contain validated enum names and formatted numbers.
import { validateExperiment, type ExperimentConfig } from '../config/experiment.ts';
import { encodeHash } from '../config/url.ts';
import { validateModelSpec, type ModelSpec } from '../nn/spec.ts';

/** Extra, optional facts for a script: the CSV columns used, baked in as argument defaults. */
export interface ExportOptions {
  csvColumns?: { label: string; features: string[] };
}

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

const list = (items: string[]): string => `[${items.join(', ')}]`;

/** Checks both inputs so every enum that reaches the script is one of the known names. */
export function checkExportInputs(config: ExperimentConfig, spec: ModelSpec): void {
  validateExperiment(config);
  validateModelSpec(spec);
}

/** Section 1 of every script: the experiment's settings as named constants. */
export function pythonSettings(c: ExperimentConfig, spec: ModelSpec): string {
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

DATASET = ${pyString(d.name)}
DATASET_SIZE = ${pyInt(d.size)}  # rows of a generated 2-D set
NOISE = ${pyFloat(d.noise)}  # jitter of a generated 2-D set, 0 to 1
CLASSES = ${pyInt(d.classes)}  # arms of the spiral or number of Gaussian blobs
IMBALANCE = ${pyFloat(d.imbalance)}  # smallest class size relative to the largest (1 = balanced)

INPUT_SIZE = ${pyInt(spec.inputSize)}
HIDDEN = ${list(spec.hidden.map((l) => pyInt(l.units)))}  # units of each hidden layer
ACTIVATIONS = ${list(spec.hidden.map((l) => pyString(l.activation)))}  # one per hidden layer
OUTPUT_SIZE = ${pyInt(spec.outputSize)}  # the output layer is linear: it gives logits
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

/** The command line: epochs, weights in and out, and for CSV data the file and its columns. */
export function pythonArgs(c: ExperimentConfig, framework: string, options: ExportOptions): string {
  const cols = options.csvColumns;
  const csvArgs =
    c.dataset.name !== 'csv'
      ? ''
      : `    parser.add_argument("--csv", required=True, help="your CSV file (it never left your computer)")
    parser.add_argument("--label", ${cols ? `default=${pyString(cols.label)}` : 'required=True'}, help="the label column")
    parser.add_argument("--features", nargs="+", default=${cols ? list(cols.features.map(pyString)) : 'None'},
                        help="feature columns (default: every column except the label)")
`;
  return `

def parse_args():
    """The command line; run with --help to see it."""
    parser = argparse.ArgumentParser(description=${pyString(`Train the shaderprop experiment with ${framework}.`)})
    parser.add_argument("--epochs", type=int, default=EPOCHS, help="epochs to train (0: only evaluate)")
    parser.add_argument("--weights", help="start from weights saved in the playground (.safetensors)")
    parser.add_argument("--save", help="write the trained weights to this .safetensors file")
${csvArgs}    return parser.parse_args()
`;
}

/** The 2-D toy sets: one point of class k at position t in [0, 1), as the playground draws it. */
const TOY_SHAPES: Record<string, { jitter: string; code: string }> = {
  spiral: { jitter: '0.2', code: `    r = 0.05 + 0.95 * t  # one full turn per arm
    angle = 2 * np.pi * k / classes + 2 * np.pi * t
    return r * np.cos(angle), r * np.sin(angle)` },
  circles: { jitter: '0.2', code: `    # class 0: a disc (sqrt spreads points evenly by area); class 1: a ring around it
    r = 0.45 * np.sqrt(t) if k == 0 else 0.75 + 0.25 * t
    angle = 2 * np.pi * rng.uniform(size=t.shape)
    return r * np.cos(angle), r * np.sin(angle)` },
  xor: { jitter: '0.25', code: `    # class 0 owns the (+,+) and (-,-) quadrants, class 1 the other two
    sx = np.where(t < 0.5, 1.0, -1.0)
    sy = sx if k == 0 else -sx
    return (sx * (0.5 + 0.8 * (rng.uniform(size=t.shape) - 0.5)),
            sy * (0.5 + 0.8 * (rng.uniform(size=t.shape) - 0.5)))` },
  gaussians: { jitter: '0.25', code: `    # blobs on a circle of radius 0.7, spread 0.08 even at noise 0
    angle = 2 * np.pi * k / classes
    return (0.7 * np.cos(angle) + 0.08 * rng.normal(size=t.shape),
            0.7 * np.sin(angle) + 0.08 * rng.normal(size=t.shape))` },
  moons: { jitter: '0.2', code: `    # scikit-learn's make_moons, scaled by 1/1.5 and centred on the origin
    a = np.pi * t
    x, y = (np.cos(a), np.sin(a)) if k == 0 else (1 - np.cos(a), 0.5 - np.sin(a))
    return (x - 0.5) / 1.5, (y - 0.25) / 1.5` },
};

const IMBALANCE_CODE = `

def apply_imbalance(X, y, rng):
    """Keeps round(n * IMBALANCE ** (k / (K - 1))) rows of class k (at least 2): class 0 stays
    whole and the last class shrinks the most, the playground's rule for class imbalance."""
    if IMBALANCE >= 1:
        return X, y
    K = int(y.max()) + 1
    keep = []
    for k in range(K):
        rows = np.flatnonzero(y == k)
        n = min(len(rows), max(2, int(np.floor(len(rows) * IMBALANCE ** (k / (K - 1)) + 0.5))))
        keep.extend(rng.permutation(rows)[:n])
    keep = np.sort(np.array(keep))
    return X[keep], y[keep]
`;

function toyLoader(name: string): string {
  const shape = TOY_SHAPES[name]!;
  const classes = name === 'spiral' || name === 'gaussians' ? 'CLASSES' : '2';
  return `
def point(k, classes, t, rng):
    """Clean positions of class k's points; t in [0, 1) spreads them along the shape."""
${shape.code}


def load_data(args):
    """The ${name} set, made with the playground's recipe. NumPy draws other random numbers than
    the playground, so the points are not the same ones, only the same kind of data."""
    rng = np.random.default_rng(SEED)
    classes = ${classes}
    X, y = [], []
    for k in range(classes):
        n = DATASET_SIZE // classes + (1 if k < DATASET_SIZE % classes else 0)
        px, py = point(k, classes, rng.uniform(size=n), rng)
        X.append(np.stack([px, py], axis=1) + ${shape.jitter} * NOISE * rng.normal(size=(n, 2)))
        y.append(np.full(n, k))
    return apply_imbalance(np.concatenate(X), np.concatenate(y), rng)
`;
}

const IRIS_LOADER = `
def load_data(args):
    """Iris: 150 flowers, 4 measurements in cm, 3 species. scikit-learn numbers the species
    setosa 0, versicolor 1, virginica 2, the same order as the playground."""
    X, y = load_iris(return_X_y=True)
    return apply_imbalance(X, y, np.random.default_rng(SEED))
`;

const CSV_LOADER = `
def is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def sort_values(values):
    """Numeric order when every value is a number, else text order, as the playground sorts."""
    return sorted(values, key=float) if all(is_number(v) for v in values) else sorted(values)


def load_data(args):
    """Your CSV file, read like the playground reads it: numeric columns as they are, a text
    column one-hot encoded (one input per sorted value), the label's sorted values as classes."""
    with open(args.csv, newline="", encoding="utf-8-sig") as f:
        text = f.read()
    try:
        dialect = csv.Sniffer().sniff(text[:65536], delimiters=",;\\t")
    except csv.Error:
        dialect = csv.excel
    rows = [row for row in csv.reader(io.StringIO(text), dialect) if any(cell.strip() for cell in row)]
    header, rows = rows[0], rows[1:]
    column = {name: i for i, name in enumerate(header)}
    features = args.features or [name for name in header if name != args.label]
    for name in features + [args.label]:
        if name not in column:
            sys.exit(f"column {name!r} is not in {args.csv}; its columns are {header}")
    inputs = []
    for name in features:
        cells = [row[column[name]].strip() for row in rows]
        if all(is_number(v) for v in cells):
            inputs.append(np.array(cells, dtype=np.float64)[:, None])
        else:
            values = sort_values(set(cells))
            inputs.append(np.array([[float(v == value) for value in values] for v in cells]))
    labels = [row[column[args.label]].strip() for row in rows]
    if all(is_number(v) for v in labels):
        labels = [float(v) for v in labels]  # "1" and "1.0" are one class
    classes = sorted(set(labels))
    class_id = {value: i for i, value in enumerate(classes)}
    return np.concatenate(inputs, axis=1), np.array([class_id[v] for v in labels])
`;

/** Section 2: load the data, split it, standardize it on the training split. */
export function pythonData(c: ExperimentConfig): string {
  const name = c.dataset.name;
  const parts = name === 'csv' ? [CSV_LOADER] : [IMBALANCE_CODE, name === 'iris' ? IRIS_LOADER : toyLoader(name)];
  const loader = parts.map((p) => p.trim()).join('\n\n\n');
  return `

# ---------------------------------------------------------------------------
# 2. The data: load, split, standardize
# ---------------------------------------------------------------------------
${loader}


def split(X, y, fraction):
    """Holds out \`fraction\` of the rows, stratified: every class keeps its share in both parts."""
    if fraction <= 0:
        return X, X[:0], y, y[:0]
    return train_test_split(X, y, test_size=fraction, stratify=y, random_state=SEED)


def prepare_data(args):
    """Test rows first, then validation rows from the rest (like the playground and Keras'
    validation_split). Every split is standardized with the mean and standard deviation of the
    training split only, so nothing about held-out rows leaks into training."""
    X, y = load_data(args)
    classes = 2 if LOSS == "sigmoid_bce" else OUTPUT_SIZE
    if X.shape[1] != INPUT_SIZE or int(y.max()) + 1 != classes:
        sys.exit(f"the data has {X.shape[1]} inputs and {int(y.max()) + 1} classes; "
                 f"the network expects {INPUT_SIZE} and {classes}")
    X_rest, X_test, y_rest, y_test = split(X, y, TEST_SPLIT)
    X_train, X_val, y_train, y_val = split(X_rest, y_rest, VALIDATION_SPLIT)
    mean = X_train.mean(axis=0)
    std = X_train.std(axis=0)  # population std (ddof=0), as in the playground
    std[std <= 1e-12 * np.maximum(1, np.abs(mean))] = 1.0  # a constant column becomes 0, not NaN

    def scale(A):
        return ((A - mean) / std).astype(np.float32)

    return (scale(X_train), y_train), (scale(X_val), y_val), (scale(X_test), y_test)
`;
}

/** The imports the data section needs for this dataset, and nothing unused. */
export function pythonDataImports(c: ExperimentConfig): { stdlib: string; sklearn: string } {
  const csvData = c.dataset.name === 'csv';
  return {
    stdlib: ['import argparse', ...(csvData ? ['import csv', 'import io'] : []), 'import sys'].join('\n'),
    sklearn: [...(c.dataset.name === 'iris' ? ['from sklearn.datasets import load_iris'] : []), 'from sklearn.model_selection import train_test_split'].join('\n'),
  };
}
