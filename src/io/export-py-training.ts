// Python source of the framework-neutral parts of training, shared by the PyTorch and Keras
// classifier scripts: class weights, the seeded batch order (with resampling), the learning-rate
// schedule, early stopping and the --check comparison. NumPy and the standard library only.

/** Printing once per run, and the seeded batch order of the playground (also the GAN's real batches). */
export const PY_BATCH_ORDER = String.raw`

def say(*parts, everywhere=False):
    """Prints once per run: on the first process only when several train together. Every process
    prints, after its rank, when everywhere is set or SHADERPROP_LOG_ALL_RANKS=1 (to see which
    process a multi-process run waits for)."""
    rank, world = int(os.environ.get("RANK", "0")), int(os.environ.get("WORLD_SIZE", "1"))
    if world > 1 and (everywhere or os.environ.get("SHADERPROP_LOG_ALL_RANKS") == "1"):
        print(f"rank {rank}:", *parts, flush=True)
    elif rank == 0:
        print(*parts, flush=True)


class BatchOrder:
    """BatchSchedule of src/train/schedule.ts: the training rows reshuffled at every epoch by
    Rng(seed ^ 0x5BD1E995) (the previous epoch's order shuffled again), or with resampling a
    fresh over/undersampled draw each epoch, cut into batches; the last batch may be smaller."""

    def __init__(self, rows, labels, batch, seed, resample="none", classes=0):
        self.rows, self.labels, self.resample, self.classes = [int(r) for r in rows], labels, resample, classes
        self.rng = Rng(seed ^ 0x5BD1E995)
        self.epoch_rows = self.resampled_length()
        self.batch = self.epoch_rows if batch is None else min(batch, self.epoch_rows)
        self.steps = -(-self.epoch_rows // self.batch)
        self.order = self.next_order(self.rows[:])

    def groups(self):
        """Training rows by class (ascending), classes with no rows left out."""
        groups = [[] for _ in range(self.classes)]
        for r in self.rows:
            groups[int(self.labels[r])].append(r)
        return [g for g in groups if g]

    def resampled_length(self):
        if self.resample == "none":
            return len(self.rows)
        sizes = [len(g) for g in self.groups()]
        return len(sizes) * (max(sizes) if self.resample == "oversample" else min(sizes))

    def next_order(self, previous):
        """resampleIndices then a shuffle (epochOrder), or the previous order shuffled again."""
        if self.resample == "none":
            return self.rng.shuffle(previous)
        groups = self.groups()
        sizes = [len(g) for g in groups]
        target = max(sizes) if self.resample == "oversample" else min(sizes)
        drawn = []
        for g in groups:
            if self.resample == "undersample":
                drawn += self.rng.shuffle(g[:])[:target]
            else:
                drawn += g + [g[self.rng.below(len(g))] for _ in range(len(g), target)]
        return self.rng.shuffle(drawn)

    def next_epoch(self):
        """The batches of the next epoch, as lists of row numbers."""
        order = self.order
        batches = [order[s * self.batch:(s + 1) * self.batch] for s in range(self.steps)]
        self.order = self.next_order(order)
        return batches

`;

/** Class weights, the learning-rate schedule, early stopping and the curve check. */
export const PY_TRAINING = String.raw`

def class_weights(train_labels, classes):
    """classWeights of src/train/sampling.ts from the training rows' labels only: "balanced" is
    scikit-learn's n / (classes present * count), 0 for an absent class; a list is used as given.
    Each row's loss is multiplied by its class's weight and the sum divided by the ROW COUNT, as
    the playground's loss kernel does (not by the sum of the weights, as PyTorch's
    CrossEntropyLoss(weight=...) would)."""
    if CLASS_WEIGHTS is None:
        return None
    if CLASS_WEIGHTS != "balanced":
        return np.array(CLASS_WEIGHTS, dtype=np.float32)
    counts = np.bincount(train_labels, minlength=classes)
    present = int((counts > 0).sum())
    return np.array([0.0 if n == 0 else len(train_labels) / (present * n) for n in counts], dtype=np.float32)


def learning_rate_at(epoch):
    """learningRateAt of src/train/lr-schedule.ts for the 0-based epoch."""
    s = LR_SCHEDULE
    if s["kind"] == "step":
        return LEARNING_RATE * s["factor"] ** (epoch // s["every"])
    if s["kind"] == "cosine":
        progress = min(epoch, s["epochs"]) / s["epochs"]
        return LEARNING_RATE * (s["floor"] + (1 - s["floor"]) * (1 + math.cos(math.pi * progress)) / 2)
    return LEARNING_RATE


class EarlyStopping:
    """EarlyStopping of src/train/early-stopping.ts (Keras' rule): an epoch improves when it beats
    the best by more than min_delta; after 'patience' epochs without one, stop (never on the
    first epoch). The best epoch starts as epoch 0, the initial weights."""

    def __init__(self, monitor, patience, min_delta):
        self.monitor, self.patience, self.min_delta = monitor, patience, min_delta
        self.best = math.inf if monitor == "validation_loss" else -math.inf
        self.best_epoch, self.wait, self.seen = 0, 0, 0

    def update(self, epoch, loss, accuracy):
        """Returns (improved, stop) for a finished epoch (1-based)."""
        self.seen += 1
        if self.monitor == "validation_loss":
            improved = loss + self.min_delta < self.best
            value = loss
        else:
            improved = accuracy - self.min_delta > self.best
            value = accuracy
        if improved:
            self.best, self.best_epoch, self.wait = value, epoch, 0
            return True, False
        self.wait += 1
        return False, self.wait >= self.patience and self.seen > 1


def check_refused(args):
    """Why --check cannot compare this run with the playground's, or None."""
    if GAN_OVERSAMPLE:
        return "GAN oversampling adds rows this script cannot make (see LEFT_OUT)"
    if not PLAYGROUND_CURVE:
        return f"there is no playground curve to compare with ({CURVE_NOTE})"
    if args.weights:
        return "--check starts from the initial weights: give --init (or nothing), not --weights"
    return None


def check_curve(curve, twin):
    """--check: each of the first epochs' training loss against the playground's. The tolerance is
    float32's: CHECK_RTOL of the loss, or CHECK_BAND times how far float32 rounding alone moved
    this run, measured as the distance between this run and its float64 twin (a long run can
    drift once rounding flips a ReLU; a wrong row, step, weight or mask moves the loss by far
    more). The float64 twin is compared, as it is the run without rounding noise."""
    want = PLAYGROUND_CURVE[:CHECK_EPOCHS]
    got, exact = curve[:len(want)], twin[:len(want)]
    bad = [e + 1 for e, (g, x, w) in enumerate(zip(got, exact, want))
           if not abs(x - w) <= CHECK_ATOL + max(CHECK_RTOL * abs(w), CHECK_BAND * abs(g - x))]
    if min(len(got), len(exact)) < len(want):
        bad.append(min(len(got), len(exact)) + 1)
    worst = max((abs(g - w) for g, w in zip(got, want)), default=0.0)
    worst64 = max((abs(x - w) for x, w in zip(exact, want)), default=0.0)
    noise = max((abs(g - x) for g, x in zip(got, exact)), default=0.0)
    say(f"check: {len(got)} of {len(want)} epochs compared, largest difference {worst:.3g} (float64 twin: {worst64:.3g}); "
        f"float32 rounding moved this run by up to {noise:.3g}; tolerance {CHECK_ATOL:g} + max({CHECK_RTOL:g} * |loss|, {CHECK_BAND:g} * rounding)")
    for epoch in bad[:5]:
        g = f"{got[epoch - 1]:.9g} (float64 {exact[epoch - 1]:.9g})" if epoch <= min(len(got), len(exact)) else "missing"
        say(f"  epoch {epoch}: script {g}, playground {want[epoch - 1]:.9g}")
    say("check PASSED: the run matches the playground's curve" if not bad else "check FAILED")
    return not bad
`;
