// Python source of the boosting script: SAMME with the conventions of src/train/samme.ts (float64,
// sums in the same order), each round's member trained as boost() of src/train/boosting.ts trains
// it, and --check against the page's result file.

/** SAMME, the rounds and the check. */
export const PY_BOOSTING = String.raw`

SAMME_ERROR_FLOOR = 1e-6  # a perfect member's error in its vote, so the vote is finite
# --check: a round's weighted error and vote may differ by this (both are float64 sums of the same
# weights once the members agree; only the last bits of log and exp may differ).
CHECK_SAMME_ATOL = 1e-6


def samme_round(weights, predictions, labels, classes, shrinkage):
    """sammeRound of src/train/samme.ts: (outcome, error, alpha, next weights). A member no better
    than chance (error >= 1 - 1/K) is discarded and boosting stops; a perfect one is kept with its
    vote capped (error floored at SAMME_ERROR_FLOOR) and boosting stops; otherwise the missed rows'
    weights are multiplied by exp(alpha) and all renormalized to sum 1."""
    total, missed = 0.0, 0.0
    for w, p, y in zip(weights, predictions, labels):
        total += w
        if p != y:
            missed += w
    error = missed / total
    same = [w / total for w in weights]
    if error >= 1 - 1 / classes - 1e-12:
        return "chance", error, 0.0, same
    e = max(error, SAMME_ERROR_FLOOR)
    alpha = shrinkage * (math.log((1 - e) / e) + math.log(classes - 1))
    if error == 0:
        return "perfect", error, alpha, same
    boost = math.exp(alpha)
    out = [w * boost if p != y else w for w, p, y in zip(same, predictions, labels)]
    total = 0.0
    for w in out:
        total += w
    return "kept", error, alpha, [w / total for w in out]


def row_weight_table(weights, train, rows):
    """rowWeightTable: each training row's loss weight n * w / sum(w) (mean 1), 0 elsewhere, float32."""
    total = 0.0
    for w in weights:
        total += w
    out = np.zeros(rows, dtype=np.float32)
    for w, r in zip(weights, train):
        out[r] = len(train) * w / total
    return out


def samme_predict(members, alphas, classes):
    """sammePredict: each row's class with the largest sum of votes, the first class on ties."""
    votes = np.zeros((len(members[0]), classes))
    for predicted, alpha in zip(members, alphas):
        votes[np.arange(len(predicted)), predicted] += alpha
    return votes.argmax(axis=1)


def follow_ties(predicted, p, page_member, round_no, check):
    """--check: where this member's class differs from the page's member on a near tie, take the
    page's, so the later rounds see the same weights; a difference that is no tie is a mismatch."""
    differ = np.nonzero(predicted != np.asarray(page_member))[0]
    if len(differ) == 0:
        return predicted, 0
    close = margins(p)[differ] < TIE_MARGIN
    for r in differ[~close][:5]:
        check.add(f"round {round_no + 1}: row {r} is class {predicted[r]} here, {page_member[r]} on the page, and no near tie")
    predicted = predicted.copy()
    predicted[differ[close]] = np.asarray(page_member)[differ[close]]
    return predicted, int(close.sum())


def accuracy_on(votes, y, rows):
    return None if votes is None or len(rows) == 0 else int((votes[rows] == y[rows]).sum()) / len(rows)


def boosting(data, run, epochs, page, check):
    """boost() of src/train/boosting.ts: round m trains a fresh network (seed SEED + m) on the
    training rows weighted by the rounds before it, then SAMME takes its vote. Prints each round."""
    global ROW_WEIGHTS
    base, classes = SEED, 2 if LOSS == "sigmoid_bce" else OUTPUT_SIZE
    train_labels = [int(data.y[r]) for r in data.train]
    weights = [1 / len(data.train)] * len(data.train)
    alphas, members, rounds, ties = [], [], [], 0
    for m in range(ROUNDS):
        ROW_WEIGHTS = row_weight_table(weights, data.train, len(data.y))
        net, finite = train_member(data, (base + m) & MASK32, run, epochs)
        ROW_WEIGHTS = None
        if not finite:
            rounds.append({"outcome": "diverged", "error": None, "alpha": 0.0, "accuracy": rounds[-1]["accuracy"] if rounds else {}})
            say(f"round {m + 1}: the network diverged, so it is left out and boosting stops here")
            break
        p = probabilities(net, data.X, run)
        predicted = predicted_classes(p)
        if page and len(members) < len(page["members"]) and m < len(page["rounds"]) and page["rounds"][m]["outcome"] != "chance":
            predicted, tied = follow_ties(predicted, p, page["members"][len(members)], m, check)
            ties += tied
        outcome, error, alpha, weights = samme_round(weights, [int(predicted[r]) for r in data.train], train_labels, classes, SHRINKAGE)
        if outcome != "chance":
            alphas.append(alpha)
            members.append(predicted)
        votes = samme_predict(members, alphas, classes) if members else None
        accuracy = {name: accuracy_on(votes, data.y, rows) for name, rows in (("train", data.train), ("validation", data.val), ("test", data.test))}
        rounds.append({"outcome": outcome, "error": error, "alpha": alpha if outcome != "chance" else 0.0, "accuracy": accuracy})
        say(f"round {m + 1:2d}: {outcome:7s} weighted error {error:.6f}  alpha {rounds[-1]['alpha']:.6f}  ensemble accuracy "
            f"train {fmt(accuracy['train'], 3)}  validation {fmt(accuracy['validation'], 3)}  test {fmt(accuracy['test'], 3)}")
        if outcome != "kept":
            say("boosting stops: " + ("no better than chance" if outcome == "chance" else "no mistakes left to reweight"))
            break
    return rounds, ties


def check_boosting(rounds, page, ties, check):
    """Each round's outcome, error and vote within CHECK_SAMME_ATOL, the ensemble's accuracies equal."""
    want = page["rounds"]
    if len(rounds) != len(want) and not (page.get("cancelled") and len(rounds) > len(want)):
        check.add(f"the script trained {len(rounds)} rounds, the page {len(want)}")
    worst = {"error": 0.0, "alpha": 0.0}
    for m, (got, exp) in enumerate(zip(rounds, want)):
        if got["outcome"] != exp["outcome"]:
            check.add(f"round {m + 1}: {got['outcome']} here, {exp['outcome']} on the page")
        for key in ("error", "alpha"):
            worst[key] = max(worst[key], check.compare(f"round {m + 1} {key}", got[key], exp[key], CHECK_SAMME_ATOL))
        for split in ("train", "validation", "test"):
            check.compare(f"round {m + 1} {split} accuracy", got["accuracy"].get(split), exp["accuracy"].get(split), 1e-12)
    say(f"check: {min(len(rounds), len(want))} rounds compared; largest difference of a weighted error {worst['error']:.3g}, "
        f"of a vote {worst['alpha']:.3g} (tolerance {CHECK_SAMME_ATOL:g}); accuracies must be equal; "
        f"{ties} near-tie prediction(s) followed the page (TIE_MARGIN {TIE_MARGIN:g})")


def main(argv=None):
    args = parse_args(argv)
    refuse_weight_files(args)
    run = Run()
    run.verbose = False
    for item in LEFT_OUT:
        say(f"LEFT OUT: {item}")
    page = read_result(args.check, "shaderprop-boosting", args) if args.check else None
    data = prepare_data(args)
    say(f"{DATASET}: {len(data.train)} training, {len(data.val)} validation, {len(data.test)} test rows; "
        f"boosting up to {ROUNDS} rounds of {args.epochs} epochs, shrinkage {SHRINKAGE:g}")
    check = Mismatches()
    rounds, ties = boosting(data, run, args.epochs, page, check)
    ok = True
    if page:
        check_boosting(rounds, page, ties, check)
        ok = check.verdict() and data.fingerprint_ok
    run.close()
    return 0 if ok else 1


if __name__ == "__main__":
    run_main(main)
`;
