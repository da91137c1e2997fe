// Python source of the stacking script: the same stratified folds (stratifiedKFold of
// src/train/crossval.ts as stackingPlan calls it), each base learner's fold models and full-data
// model standardized on their own training rows, the meta-learner on the out-of-fold
// probabilities (src/train/stacking.ts), and --check against the page's result file.

/** The folds, the models, the meta-learner and the check. */
export const PY_STACKING = String.raw`

# --check: the out-of-fold probabilities may differ by CHECK_PROBABILITY_MEAN on average and by
# CHECK_PROBABILITY_ATOL at most. Float32 rounding in another order drifts over many epochs (up to
# 8e-4 measured on one value after 200 epochs, 6e-6 on average); another fold, row or column order
# moves the values by far more, on average too.
CHECK_PROBABILITY_ATOL = 1e-2
CHECK_PROBABILITY_MEAN = 1e-4


def stratified_k_fold(labels, k, seed):
    """stratifiedKFold: each class's positions (ascending class) shuffled by one Rng(seed) and
    dealt round-robin to the folds, the deal going on where the previous class stopped. Returns
    (training positions, predicted positions) of each fold, ascending."""
    groups = {}
    for i, label in enumerate(labels.tolist()):
        groups.setdefault(label, []).append(i)
    for label, rows in groups.items():
        if len(rows) < k:
            sys.exit(f"{k} folds need at least {k} rows in every class, but class {label} has {len(rows)}")
    rng, dealt, at = Rng(seed), [[] for _ in range(k)], 0
    for label in sorted(groups):
        for row in rng.shuffle(groups[label][:]):
            dealt[at].append(row)
            at = (at + 1) % k
    return [(np.array(sorted(r for g, rows in enumerate(dealt) if g != f for r in rows), dtype=np.int64), np.array(sorted(held), dtype=np.int64))
            for f, held in enumerate(dealt)]


def raw_data(args):
    """prepare_data's table, input features and split, before standardization: each model is
    standardized on its own training rows (restandardized of src/train/multi-run.ts)."""
    table, y = load_table(args)
    X = table if FEATURES == ["x1", "x2"] else expand_features(table, FEATURES)
    if DATASET == "mnist":
        n = len(y) - 10000
        train, val, _ = stratified_split(y[:n], VALIDATION_SPLIT, 0, SEED)
        splits = [train, val, np.arange(n, len(y))]
    else:
        splits = stratified_split(y, VALIDATION_SPLIT, TEST_SPLIT, SEED)
    return X, y, splits, check_fingerprint(fingerprint(table, y, splits))


def scaled(X, rows):
    return X if DATASET == "mnist" else standardize(X, rows)


def use(settings):
    """Sets the module's network and optimizer settings, which the model and training sections read."""
    globals().update(settings)


def base_learners(X, y, pool, test, run, classes):
    """Per learner (LEARNERS, in order) its K_FOLDS fold models, each trained on the other folds'
    rows and predicting its own, then its model on every pool row, predicting the test rows.
    Returns the out-of-fold matrix [pool rows, learners * classes] and each full-data model's test
    probabilities."""
    folds = stratified_k_fold(y[pool], K_FOLDS, SEED)
    position = {int(r): i for i, r in enumerate(pool)}
    out_of_fold = np.zeros((len(pool), len(LEARNERS) * classes), dtype=np.float32)
    full_test, empty = [], np.zeros(0, dtype=np.int64)
    for m, learner in enumerate(LEARNERS):
        use(BASE)
        use(learner)
        for trained, held in folds:
            rows, predict = pool[trained], pool[held]
            data = Data(scaled(X, rows), y, rows, empty, test, None)
            net, finite = train_member(data, SEED, run, EPOCHS)
            if not finite:
                sys.exit(f"Base learner {m + 1} diverged (its loss became NaN or infinite), as on the page it would be refused")
            p = probabilities(net, data.X[predict], run)
            for i, r in enumerate(predict):
                out_of_fold[position[int(r)], m * classes:(m + 1) * classes] = p[i]
        data = Data(scaled(X, pool), y, pool, empty, test, None)
        net, finite = train_member(data, SEED, run, EPOCHS)
        if not finite:
            sys.exit(f"Base learner {m + 1} diverged (its loss became NaN or infinite)")
        full_test.append(probabilities(net, data.X[test], run))
        say(f"base learner {m + 1}: {K_FOLDS} fold models and the full-data model trained")
    return out_of_fold, full_test


def stacking(args, run):
    """stack() of src/train/stacking.ts. Returns the scores, the out-of-fold matrix, the meta-learner's
    inputs per row and each scored model's test probabilities (for the ties)."""
    X, y, (train, val, test), _ = raw_data(args)
    say(f"{DATASET}: {len(train)} training, {len(val)} validation, {len(test)} test rows; "
        f"{len(LEARNERS)} base learners, {K_FOLDS} folds")
    classes = 2 if LOSS == "sigmoid_bce" else OUTPUT_SIZE
    pool = np.sort(np.concatenate([train, val]))
    out_of_fold, full_test = base_learners(X, y, pool, test, run, classes)
    probs = len(LEARNERS) * classes
    width = probs + (X.shape[1] if PASS_FEATURES else 0)
    features = np.zeros((len(y), width), dtype=np.float32)
    features[pool, :probs] = out_of_fold
    features[test, :probs] = np.concatenate(full_test, axis=1)
    if PASS_FEATURES:  # the original inputs, standardized on the training split, after the probabilities
        features[:, probs:] = scaled(X, train)
    use(BASE)
    use(META)
    use({"INPUT_SIZE": width})
    net, finite = train_member(Data(features, y, train, val, test, None), SEED, run, EPOCHS)
    if not finite:
        sys.exit("The meta-learner diverged (its loss became NaN or infinite)")
    meta = probabilities(net, features[test], run)
    total = np.zeros(full_test[0].shape)
    for p in full_test:
        total += p
    average = (total / len(full_test)).astype(np.float32)
    labels = y[test]
    models = full_test + [average, meta]
    found = [scores(labels, predicted_classes(p), classes) for p in models]
    result = {"learners": found[:-2], "average": found[-2], "stack": found[-1], "metaInputs": width}
    for i, s in enumerate(found):
        name = f"base learner {i + 1}" if i < len(found) - 2 else ("soft vote" if i == len(found) - 2 else "stack")
        say(f"{name:15s} test accuracy {fmt(s['accuracy'], 4)}  macro F1 {fmt(s['macroF1'], 4)}")
    return result, out_of_fold, models


def check_stacking(result, out_of_fold, models, page, check):
    """The out-of-fold matrix within CHECK_PROBABILITY_ATOL; each score equal, except that a model
    whose accuracy differs by no more rows than it has near ties is said, not failed."""
    want = page.get("outOfFold")
    worst, mean = 0.0, 0.0
    if want is None:
        say("check: the page's file holds no out-of-fold matrix (too large to download); only the scores are compared")
    elif len(want) != out_of_fold.size:
        check.add(f"the out-of-fold matrix has {out_of_fold.size} values here, {len(want)} on the page")
    else:
        diff = np.abs(out_of_fold.reshape(-1).astype(np.float64) - np.array(want, dtype=np.float64))
        if diff.size:
            i = int(diff.argmax())
            worst, mean = float(diff[i]), float(diff.mean())
            check.compare(f"out-of-fold value {i} (row {i // out_of_fold.shape[1]}, column {i % out_of_fold.shape[1]})",
                          float(out_of_fold.reshape(-1)[i]), want[i], CHECK_PROBABILITY_ATOL)
            check.compare("mean out-of-fold difference", mean, 0.0, CHECK_PROBABILITY_MEAN)
    check.compare("meta-learner inputs", result["metaInputs"], page["metaInputs"], 0)
    if len(result["learners"]) != len(page["learners"]):
        check.add(f"{len(result['learners'])} base learners here, {len(page['learners'])} on the page")
    named = [(f"base learner {i + 1}", s, w) for i, (s, w) in enumerate(zip(result["learners"], page["learners"]))]
    named += [("soft vote", result["average"], page["average"]), ("stack", result["stack"], page["stack"])]
    ties = 0
    for (name, got, exp), p in zip(named, models[:len(named) - 2] + models[-2:]):
        n, tied = len(p), int((margins(p) < TIE_MARGIN).sum())
        ties += tied
        rows = abs(got["accuracy"] - exp["accuracy"]) * n if got["accuracy"] is not None and exp["accuracy"] is not None else math.inf
        same_f1 = got["macroF1"] is not None and exp["macroF1"] is not None and abs(got["macroF1"] - exp["macroF1"]) <= 1e-12
        if rows <= 1e-9 and same_f1:
            continue
        if tied and rows <= tied + 1e-9:
            say(f"check: {name}'s scores differ (accuracy by {round(rows)} test row(s)) within its {tied} near tie(s): not a mismatch")
            continue
        check.compare(f"{name} test accuracy", got["accuracy"], exp["accuracy"], 1e-12)
        check.compare(f"{name} macro F1", got["macroF1"], exp["macroF1"], 1e-12)
    say(f"check: largest out-of-fold difference {worst:.3g} (tolerance {CHECK_PROBABILITY_ATOL:g}), mean {mean:.3g} (tolerance {CHECK_PROBABILITY_MEAN:g}); "
        f"accuracies and macro F1 must be equal; {ties} near-tie test prediction(s) (TIE_MARGIN {TIE_MARGIN:g})")


def main(argv=None):
    args = parse_args(argv)
    refuse_weight_files(args)
    run = Run()
    run.verbose = False
    for item in LEFT_OUT:
        say(f"LEFT OUT: {item}")
    page = read_result(args.check, "shaderprop-stacking", args) if args.check else None
    result, out_of_fold, models = stacking(args, run)
    ok = True
    if page:
        check = Mismatches()
        check_stacking(result, out_of_fold, models, page, check)
        ok = check.verdict()
    run.close()
    return 0 if ok else 1


if __name__ == "__main__":
    run_main(main)
`;
