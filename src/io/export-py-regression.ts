// Python source of the playground's regression data and metrics for the exported scripts: the
// plane and gaussmix sets regenerated from the seed, a CSV file's numeric target, the target's
// quantile bins the split is stratified by, the standardized target, and MSE, MAE and R² in the
// target's units. Each function transcribes the TypeScript original its docstring names; the
// constants come from those files, so the two cannot drift apart.
import { BUMP_RADIUS, BUMPS, NOISE_REACH } from '../data/regression-sets.ts';
import { TARGET_BINS } from '../data/regression-table.ts';

const bumps = BUMPS.map(([x, y, sign]) => `(${x}, ${y}, ${sign})`).join(',\n         ');

/** The plane and gaussmix sets: load_table for DATASET "plane" or "gaussmix". */
export const PY_REGRESSION_SETS = String.raw`

NOISE_REACH = ${NOISE_REACH}  # at noise 1, how far the point a target is read at moves in each coordinate
# Centre (x1, x2) and sign of gaussmix's six bumps; each falls linearly from its sign to 0 at BUMP_RADIUS.
BUMPS = [${bumps}]
BUMP_RADIUS = ${BUMP_RADIUS}


def js_hypot(x, y):
    """Math.hypot as V8 computes it: both scaled by the larger magnitude, the square root of the
    sum of their squares, scaled back. Python's math.hypot rounds differently in the last bit, and
    that can round a target to another float32 than the playground's."""
    a, b = abs(x), abs(y)
    m = max(a, b)
    if m == 0:
        return 0.0
    a, b = a / m, b / m
    return math.sqrt(a * a + b * b) * m


def plane_target(x1, x2):
    """planeTarget of src/data/regression-sets.ts: a tilted plane."""
    return (x1 + x2) / 2


def gaussmix_target(x1, x2):
    """gaussmixTarget of src/data/regression-sets.ts: the signed bump largest in absolute value."""
    best = 0.0
    for cx, cy, sign in BUMPS:
        v = sign * max(0.0, 1 - js_hypot(x1 - cx, x2 - cy) / BUMP_RADIUS)
        if abs(v) > abs(best):
            best = v
    return best


def load_table(args):
    """makeRegressionTable of src/data/regression-sets.ts, draw for draw from Rng(SEED):
    DATASET_SIZE points uniform on [-1, 1]^2, each with its target read at the point moved by up
    to NOISE * NOISE_REACH in each coordinate (the point itself stays). Float32 points and targets."""
    target = plane_target if DATASET == "plane" else gaussmix_target
    rng = Rng(SEED)
    reach = NOISE * NOISE_REACH
    X = np.zeros((DATASET_SIZE, 2), dtype=np.float32)
    values = np.zeros(DATASET_SIZE, dtype=np.float32)
    for r in range(DATASET_SIZE):
        x1 = 2 * rng.uniform() - 1
        x2 = 2 * rng.uniform() - 1
        X[r] = (x1, x2)
        values[r] = target(x1 + reach * (2 * rng.uniform() - 1), x2 + reach * (2 * rng.uniform() - 1))
    return X, values
`;

/** load_table for a CSV file whose label column is the numeric target (after read_csv). */
export const PY_REGRESSION_CSV = String.raw`

def load_table(args):
    """Your CSV file (read_csv) with the label column as the target, checked as targetsOf of
    src/data/csv-table.ts checks it: a number in every row, within float32, not all the same."""
    X, cells = read_csv(args)
    text = next((v for v in cells if not is_number(v)), None)
    if text is not None:
        sys.exit(f"the target column {args.label!r} has text ({text!r}); regression needs a number in every row")
    with np.errstate(over="ignore"):
        values = np.array([float(v) for v in cells], dtype=np.float64).astype(np.float32)
    if not np.isfinite(values).all():
        sys.exit(f"the target column {args.label!r} has a number too large for 32-bit floats")
    if (values == values[0]).all():
        sys.exit(f"the target column {args.label!r} has a single value ({values[0]:g}) in every row: there is nothing to predict")
    return X, values
`;

/** The target's quantile bins and scale, and prepare_data for a regression table. */
export const PY_REGRESSION_PREPARE = String.raw`

TARGET_BINS = ${TARGET_BINS}  # at most this many quantile bins of the target stratify the split


def quantile_bins(values):
    """quantileBins of src/data/regression-table.ts: each row's quantile bin of the target,
    0..bins-1 with bins of at least 5 rows, over the rows ranked by a stable sort of their values.
    Equal values share a bin: a bin only ends where the value changes."""
    rows = len(values)
    bins = max(1, min(TARGET_BINS, rows // 5))
    order = np.argsort(values, kind="stable").tolist()
    out = np.zeros(rows, dtype=np.int64)
    b = 0
    for rank, row in enumerate(order):
        wanted = rank * bins // rows
        if wanted > b and values[row] != values[order[rank - 1]]:
            b = wanted
        out[row] = b
    return out


def fit_target_scale(values, train):
    """fitTargetScale of src/data/prepare.ts: mean and population std of the training rows'
    targets, summed in row order in float64; std 1 for a constant target."""
    v = values[train].astype(np.float64)
    if len(v) == 0:
        return 0.0, 1.0
    mean = float(np.cumsum(v)[-1] / len(v))
    std = math.sqrt(np.cumsum((v - mean) * (v - mean))[-1] / len(v))
    return mean, std if std > 0 else 1.0


def prepare_data(args):
    """The playground's rows for regression: the table, the split from SEED stratified by the
    target's quantile bins, the input FEATURES of a 2-D set, and standardization on the training
    rows only, of the features and of the target: the network learns (value - mean) / std, rounded
    to float32, and its outputs * std + mean are predictions in the target's units."""
    table, values = load_table(args)
    bins = quantile_bins(values)
    X = table if FEATURES == ["x1", "x2"] else expand_features(table, FEATURES)
    if X.shape[1] != INPUT_SIZE or OUTPUT_SIZE != 1:
        sys.exit(f"the data has {X.shape[1]} inputs and one target; the network expects {INPUT_SIZE} inputs and {OUTPUT_SIZE} outputs")
    splits = stratified_split(bins, VALIDATION_SPLIT, TEST_SPLIT, SEED)
    found = check_fingerprint(fingerprint(table, bins, splits, values))
    mean, std = fit_target_scale(values, splits[0])
    target = ((values.astype(np.float64) - mean) / std).astype(np.float32)
    return Data(standardize(X, splits[0]), target, *splits, found, values, (mean, std))
`;

/** Regression metrics and the test report (in every script: the training code calls it when TASK is regression). */
export const PY_REGRESSION_SCORES = String.raw`

def regression_scores(actual, predicted):
    """regressionScores of src/metrics/regression.ts: scikit-learn's mean_squared_error,
    mean_absolute_error and r2_score, in float64 summed in row order. A constant target makes R^2
    1 for an exact prediction and 0 otherwise, as scikit-learn's force_finite does."""
    a, p = np.asarray(actual, dtype=np.float64), np.asarray(predicted, dtype=np.float64)
    n = len(a)
    if n == 0:
        return math.nan, math.nan, math.nan
    d = a - p
    sq, total = np.cumsum(d * d)[-1], np.cumsum((a - np.cumsum(a)[-1] / n) ** 2)[-1]
    r2 = (1.0 if sq == 0 else 0.0) if total == 0 else 1 - sq / total
    return float(sq / n), float(np.cumsum(np.abs(d))[-1] / n), float(r2)


def say_regression_scores(data, outputs, loss):
    """The test rows' MSE, MAE and R^2 in the target's units: the network's outputs (on the
    standardized scale) times std plus mean, rounded to float32 as the playground's unscale does."""
    if len(data.test) == 0:
        say("test: no rows (TEST_SPLIT is 0)")
        return
    mean, std = data.scale
    predicted = (np.asarray(outputs, dtype=np.float64) * std + mean).astype(np.float32)
    mse, mae, r2 = regression_scores(data.values[data.test], predicted)
    say(f"test MSE: {mse:.6g}  MAE: {mae:.6g}  R^2: {r2:.4f}  (in the target's units; "
        f"loss on the standardized target {loss:.4f})")
`;
