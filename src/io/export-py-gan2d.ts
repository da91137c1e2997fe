// Python source of the framework-neutral parts of the exported 2-D GAN script: the lab's data
// sets on its seeded Rng (src/gan2d/datasets.ts), the real pool and the measuring sample, the
// batches and latent vectors of GanTrainer replayed chunk by chunk, the samples CSV
// (src/gan2d/samples-csv.ts) and the curve file's check (src/io/gan2d-curve.ts). NumPy only.
import { CSV_DIGITS } from '../gan2d/samples-csv.ts';
import { CURVE_NOISE, GRID, RING, TWO_GAUSSIANS } from '../gan2d/datasets.ts';
import { GAN2D_CURVE_FORMAT } from './gan2d-curve.ts';

/** The data sets, the real pool, the lab's batches and latent vectors, the CSV. */
export const PY_GAN2D_DATA = String.raw`

RING_MODES, RING_RADIUS, RING_SIGMA = ${RING.modes}, ${RING.radius}, ${RING.sigma}
GRID_SIDE, GRID_SPACING, GRID_SIGMA = ${GRID.side}, ${GRID.spacing}, ${GRID.sigma}
GAUSSIANS_OFFSET, GAUSSIANS_SIGMA = ${TWO_GAUSSIANS.offset}, ${TWO_GAUSSIANS.sigma}
CURVE_NOISE = ${CURVE_NOISE}  # noise of the curve-like sets and of drawn points
CSV_DIGITS = ${CSV_DIGITS}  # significant digits of the samples CSV: a float32 reads back exactly


def mixture_of(name):
    """(mode centres, sigma) of the mixture sets (mixtureOf of src/gan2d/datasets.ts), else None."""
    if name == "ring":
        centres = []
        for k in range(RING_MODES):
            a = 2 * math.pi * k / RING_MODES
            centres.append((RING_RADIUS * math.cos(a), RING_RADIUS * math.sin(a)))
        return centres, RING_SIGMA
    if name == "grid":
        half = (GRID_SIDE - 1) / 2
        return [((i - half) * GRID_SPACING, (j - half) * GRID_SPACING) for j in range(GRID_SIDE) for i in range(GRID_SIDE)], GRID_SIGMA
    if name == "gaussians":
        return [(-GAUSSIANS_OFFSET, 0.0), (GAUSSIANS_OFFSET, 0.0)], GAUSSIANS_SIGMA
    return None


def sample2d(name, n, rng, drawn):
    """n points of data set 'name' drawn from rng, as [n, 2] float64: sample2d of
    src/gan2d/datasets.ts call for call, so the same seed gives the same points."""
    mixture = mixture_of(name)
    out = np.zeros((n, 2))
    for i in range(n):
        if mixture:
            centres, sigma = mixture
            cx, cy = centres[rng.below(len(centres))]
            x = cx + sigma * rng.normal()
            y = cy + sigma * rng.normal()
        elif name == "drawn":
            px, py = drawn[rng.below(len(drawn))]
            x = px + CURVE_NOISE * rng.normal()
            y = py + CURVE_NOISE * rng.normal()
        elif name == "line":
            t = 2 * rng.uniform() - 1
            x = 0.8 * t + CURVE_NOISE * rng.normal()
            y = 0.4 * t + CURVE_NOISE * rng.normal()
        elif name == "circle":
            a = 2 * math.pi * rng.uniform()
            r = 0.6 + CURVE_NOISE * rng.normal()
            x, y = r * math.cos(a), r * math.sin(a)
        else:  # spiral: one and a half turns from radius 0.1 to 0.8
            t = rng.uniform()
            r = 0.1 + 0.7 * t
            a = 3 * math.pi * t
            x = r * math.cos(a) + CURVE_NOISE * rng.normal()
            y = r * math.sin(a) + CURVE_NOISE * rng.normal()
        out[i] = x, y
    return out


def real_pool():
    """The REAL_POOL points D trains on (realPool of src/gan2d/setup.ts), float32 as the lab keeps them."""
    return sample2d(DATASET, REAL_POOL, Rng(SEED ^ 0x5CA1AB1E), DRAWN).astype(np.float32)


def measure_real():
    """The lab's fixed real sample of its measures (not the training pool), float64."""
    return sample2d(DATASET, MEASURE_SAMPLES, Rng(SEED ^ 0x3C6EF372), DRAWN)


class LabStreams:
    """GanTrainer of src/train/gan-trainer.ts over the pool: real rows in batches of a BatchOrder
    (a short last batch of an epoch is filled from its own start), latent coordinates from
    Rng(SEED ^ 0x2545F491) as float32, U(-1, 1) or N(0, 1). Each chunk of n iterations draws every
    D step's batch, then every D step's latents, then every G step's: so the chunk sizes matter."""

    def __init__(self):
        self.order = BatchOrder(range(REAL_POOL), None, BATCH, SEED)
        self.queue = []
        self.rng = Rng(SEED ^ 0x2545F491)

    def latent(self):
        return self.rng.normal() if LATENT_DISTRIBUTION == "gaussian" else 2 * self.rng.uniform() - 1

    def real_batch(self):
        if not self.queue:
            self.queue = self.order.next_epoch()[::-1]
        batch = self.queue.pop()
        return batch + (batch + [0] * BATCH)[:BATCH - len(batch)]

    def chunk(self, n):
        """(real rows [n, D_STEPS, BATCH], D latents [n, D_STEPS, BATCH, LATENT], G latents [n, BATCH, LATENT])."""
        real = np.array([self.real_batch() for _ in range(n * D_STEPS)], dtype=np.int64)
        z_d = np.array([self.latent() for _ in range(n * D_STEPS * BATCH * LATENT)], dtype=np.float32)
        z_g = np.array([self.latent() for _ in range(n * BATCH * LATENT)], dtype=np.float32)
        return real.reshape(n, D_STEPS, BATCH), z_d.reshape(n, D_STEPS, BATCH, LATENT), z_g.reshape(n, BATCH, LATENT)


def whole_chunks(iterations):
    """The draws of one press of Train: chunks of CHUNK iterations, the last one shorter."""
    return [min(CHUNK, iterations - done) for done in range(0, iterations, CHUNK)]


def measure_latents(n):
    """n latent vectors from the lab's measuring stream Rng(SEED ^ 0x7F4A7C15), as its first measure draws them."""
    rng, uniform = Rng(SEED ^ 0x7F4A7C15), LATENT_DISTRIBUTION == "uniform"
    return np.array([2 * rng.uniform() - 1 if uniform else rng.normal() for _ in range(n * LATENT)], dtype=np.float32).reshape(n, LATENT)


def js_number(v):
    """String(v) of JavaScript for a finite float: its shortest digits, positional from 1e-6 up
    to 1e21, as the lab's CSV writes them."""
    if v == 0:
        return "0"
    _, digits, exponent = decimal.Decimal(repr(abs(v))).as_tuple()
    d = "".join(map(str, digits)).lstrip("0")
    exponent += len(d) - len(d.rstrip("0"))
    d = d.rstrip("0")
    n = len(d) + exponent  # v = 0.d * 10**n
    k, minus = len(d), "-" if v < 0 else ""
    if k <= n <= 21:
        return minus + d + "0" * (n - k)
    if 0 < n <= 21:
        return minus + d[:n] + "." + d[n:]
    if -6 < n <= 0:
        return minus + "0." + "0" * -n + d
    e = n - 1
    return minus + d[0] + ("." + d[1:] if k > 1 else "") + "e" + ("+" if e > 0 else "-") + str(abs(e))


def samples_csv(path, real, fake):
    """samplesCsv of src/gan2d/samples-csv.ts: x,y,kind, the real points then the fakes, CSV_DIGITS significant digits."""
    lines = ["x,y,kind"]
    for points, kind in ((real, "real"), (fake, "fake")):
        lines += [f"{js_number(float(f'{x:.{CSV_DIGITS}g}'))},{js_number(float(f'{y:.{CSV_DIGITS}g}'))},{kind}" for x, y in points.tolist()]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    say(f"wrote {len(real)} real and {len(fake)} fake points to {path}")
`;

/** Reading and writing the curve file, and `--check`. */
export const PY_GAN2D_CHECK = String.raw`

CURVE_FORMAT = "${GAN2D_CURVE_FORMAT}"
METRICS = ["dLoss", "gLoss", "dReal", "dFake", "dAccuracy"]
CHECKED = ["dLoss", "gLoss", "dReal", "dFake"]  # accuracy is a count: a score on the threshold may flip it


def read_curve(path):
    """The lab's curve file (gan2dCurveJson of src/io/gan2d-curve.ts), or exits with status 2
    saying why this script cannot compare itself with it."""
    try:
        with open(path, encoding="utf-8") as f:
            curve = json.load(f)
    except (OSError, ValueError) as exc:
        say(f"check refused: cannot read {path}: {exc}")
        sys.exit(2)
    if not isinstance(curve, dict) or curve.get("format") != CURVE_FORMAT:
        say(f"check refused: {path} is not a 2-D GAN curve file (format {CURVE_FORMAT})")
        sys.exit(2)
    config = json.loads(CONFIG_JSON)
    differ = sorted(k for k in set(config) | set(curve.get("config") or {}) if config.get(k) != (curve.get("config") or {}).get(k))
    if differ:
        say(f"check refused: the curve was trained with other settings ({', '.join(differ)}); export the script of that run")
        sys.exit(2)
    if curve.get("draws") is None:
        say(f"check refused: {curve.get('note', 'the curve does not say how its run drew its batches')}")
        sys.exit(2)
    draws, metrics = curve["draws"], curve.get("metrics") or {}
    if not isinstance(draws, list) or not all(d in ("discriminator", "generator") or (type(d) is int and d > 0) for d in draws):
        say(f"check refused: {path} has draws that are not chunk sizes or D-only / G-only parts")
        sys.exit(2)
    if not curve.get("iterations") or any(len(metrics.get(k) or []) != curve["iterations"] for k in CHECKED):
        say(f"check refused: {path} holds no iterations, or not one value of each metric per iteration")
        sys.exit(2)
    return curve


def write_curve(path, history, draws):
    """This run's curve in the lab's format (null for a value that is not finite)."""
    value = lambda v: v if math.isfinite(v) else None  # noqa: E731
    curve = {"format": CURVE_FORMAT, "version": 1, "config": json.loads(CONFIG_JSON), "backend": f"PyTorch {torch.__version__} float32 (exported script)",
             "iterations": len(history), "draws": draws, "metrics": {k: [value(m[k]) for m in history] for k in METRICS}}
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(curve) + "\n")
    say(f"wrote this run's curve ({len(history)} iterations) to {path}")


def check_window(curve):
    """Iterations --check judges by default: all of a curve from the lab's float64 reference (this
    script's float64 twin repeats its arithmetic to about 1e-15), CHECK_ITERATIONS of a float32 one."""
    return curve["iterations"] if "(float64)" in (curve.get("backend") or "") else CHECK_ITERATIONS


def check_curve(curve, got, twin, window):
    """--check: the D and G losses, D(x) and D(G(z)) of the first 'window' iterations against the
    lab's, one by one. The float64 twin must be within CHECK_ATOL + max(CHECK_RTOL * |value|,
    CHECK_BAND * |float32 - float64|) of the lab's value. Later iterations are reported, not
    judged: a GAN amplifies rounding, so two float32 runs (this one and the lab's GPU or CPU run)
    part once one of them happens to round across an edge, at an iteration no run can foresee."""
    want = curve["metrics"]
    trained = min(len(got), len(twin), len(want["dLoss"]))
    n = min(trained, window)
    bad, worst, worst64, noise, later = [], (0.0, None), 0.0, 0.0, 0.0
    for i in range(trained):
        for k in CHECKED:
            w, g, x = want[k][i], got[i][k], twin[i][k]
            w = math.nan if w is None else w
            if i >= n:
                later = max(later, abs(g - w)) if math.isfinite(later) and math.isfinite(w) else math.nan
                continue
            if not abs(x - w) <= CHECK_ATOL + max(CHECK_RTOL * abs(w), CHECK_BAND * abs(g - x)):
                bad.append((i + 1, k, g, x, w))
            if not abs(g - w) <= worst[0]:
                worst = (abs(g - w), f"{k} at iteration {i + 1}")
            worst64, noise = max(worst64, abs(x - w)), max(noise, abs(g - x))
    say(f"check: {n} of {len(want['dLoss'])} iterations compared ({', '.join(CHECKED)}), largest difference {worst[0]:.3g}"
        f"{f' ({worst[1]})' if worst[1] else ''} (float64 twin: {worst64:.3g}); float32 rounding moved this run by up to {noise:.3g}; "
        f"tolerance {CHECK_ATOL:g} + max({CHECK_RTOL:g} * |value|, {CHECK_BAND:g} * rounding)")
    for i, k, g, x, w in bad[:5]:
        say(f"  iteration {i} {k}: script {g:.9g} (float64 {x:.9g}), lab {w:.9g}")
    if trained > n:
        say(f"  iterations {n + 1} to {trained} not judged (--check-iterations {window}): largest difference {later:.3g}; "
            "rounding that two float32 runs do not share, amplified by the GAN, parts them after some dozens of iterations")
    if n < min(window, len(want["dLoss"])):
        say(f"  only {n} of the curve's {len(want['dLoss'])} iterations were trained (--iterations)")
    say("check PASSED: the run matches the lab's curve" if not bad else f"check FAILED at {len(bad)} value(s)")
    return not bad
`;
