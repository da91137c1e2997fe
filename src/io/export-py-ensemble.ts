// Python source the boosting and stacking scripts share: training one member as the engine's
// BatchJob trains it, its head's outputs and classes as the engine reads them, the scores, and
// reading the page's result file for --check. Built on the classifier script's sections (the
// network, the training loop, the data), which read the module's settings: a member's settings
// are set (SEED, the network, the optimizer) before it trains.

/** Members, their outputs, scores and the result file. */
export const PY_ENSEMBLE_COMMON = String.raw`

# A class decided by less than this (top two probabilities, or the distance of p from 0.5 with
# two classes) is a near tie: float32 rounding in another order may decide it the other way (a
# probability drifted by up to 8e-4 over 200 epochs in the runs measured).
TIE_MARGIN = 1e-3


def train_member(data, seed, run, epochs):
    """A fresh network from the playground's initial weights for seed, trained for epochs as the
    engine trains one member of a batch: the batch order, masks and draws of that seed, the
    module's network, optimizer and remedies. Returns it and whether its loss stayed finite."""
    global SEED
    SEED = seed
    net = Net().to(run.device, run.dtype)
    start = playground_init(layer_sizes(), seed)
    net.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in start.items()})
    curve = train(net, run.wrap(net), make_optimizer(net), data, epochs, run)
    return net, all(math.isfinite(c) for c in curve)


def probabilities(net, X, run):
    """The head's outputs as the engine evaluates them (softmax probabilities; a sigmoid's p for
    one output), float32 [rows, outputs]."""
    net.eval()
    with torch.no_grad():
        logits = net(torch.from_numpy(np.ascontiguousarray(X)).to(run.device, run.dtype))
        p = torch.sigmoid(logits) if LOSS == "sigmoid_bce" else torch.softmax(logits, dim=1) if LOSS == "softmax_ce" else logits
    return p.cpu().numpy().astype(np.float32)


def predicted_classes(p):
    """predictedClasses of src/metrics/confusion.ts: with one or two columns class 1 when the last
    is >= 0.5, else the first largest."""
    if p.shape[1] <= 2:
        return (p[:, -1] >= np.float32(0.5)).astype(np.int64)
    return p.argmax(axis=1)


def margins(p):
    """How far each row's class is from a tie (see TIE_MARGIN)."""
    if p.shape[1] <= 2:
        return np.abs(p[:, -1].astype(np.float64) - 0.5)
    top = np.sort(p.astype(np.float64), axis=1)
    return top[:, -1] - top[:, -2]


def scores(labels, predicted, classes):
    """Accuracy and macro F1 as classificationReport (src/metrics/report.ts) gives them: every
    class counts in the macro average, a class never predicted or absent scores 0."""
    f1s = []
    for c in range(classes):
        tp = int(((predicted == c) & (labels == c)).sum())
        guessed, support = int((predicted == c).sum()), int((labels == c).sum())
        precision = tp / guessed if guessed else 0.0
        recall = tp / support if support else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0)
    total = 0.0
    for f in f1s:
        total += f
    return {"accuracy": int((predicted == labels).sum()) / len(labels) if len(labels) else None, "macroF1": total / classes}


def read_result(path, kind, args):
    """The page's result file (Download result), refused unless it is of this very run."""
    try:
        with open(path, encoding="utf-8") as f:
            result = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"--check: cannot read {path}: {e}")
    if not isinstance(result, dict) or result.get("format") != kind:
        sys.exit(f"--check: {path} is not a {kind} result file of the page")
    if result.get("config") != CONFIG_HASH or result.get("options") != ENSEMBLE_OPTIONS:
        sys.exit(f"--check: {path} is the result of other settings than this script's; export both from the same run")
    if args.epochs != EPOCHS:
        sys.exit("--check trains the page's epochs: leave out --epochs")
    return result


def refuse_weight_files(args):
    """An ensemble's members start from the playground's initial weights for their seeds."""
    if args.init or args.weights or args.save:
        sys.exit("an ensemble trains every member from the playground's initial weights: --init, --weights and --save do not apply")


class Mismatches:
    """The check's differences beyond their tolerance; the worst is the one most over it."""

    def __init__(self):
        self.items = []

    def compare(self, what, got, want, tolerance):
        if got is None or want is None:
            if got is not None or want is not None:
                self.items.append((math.inf, f"{what}: script {got}, page {want}"))
            return 0.0
        diff = abs(got - want)
        if not diff <= tolerance:
            self.items.append((diff / tolerance if tolerance else math.inf, f"{what}: script {got!r}, page {want!r} (difference {diff:.3g}, tolerance {tolerance:g})"))
        return diff

    def add(self, text):
        self.items.append((math.inf, text))

    def verdict(self):
        """Prints PASSED or the worst mismatch (and a few more); True when none."""
        if not self.items:
            say("check PASSED: the run matches the page's result")
            return True
        ranked = sorted(self.items, key=lambda item: -item[0])
        say(f"check FAILED: worst mismatch: {ranked[0][1]}")
        for _, text in ranked[1:5]:
            say(f"  also: {text}")
        return False
`;
