// Python source of MNIST for the exported scripts: its IDX files read and checked (the
// classifier's data and the GAN's images), and the classifier's rows of it, as the playground
// samples them (src/data/mnist-table.ts).

/** MNIST's IDX files, read and checked (the classifier's MNIST data and the GAN's images). */
export const PY_MNIST_FILES = String.raw`

MNIST_FILES = {"train_images": "train-images-idx3-ubyte", "train_labels": "train-labels-idx1-ubyte",
               "test_images": "t10k-images-idx3-ubyte", "test_labels": "t10k-labels-idx1-ubyte"}
MNIST_SERVED = {"train_images": "mnist-train-images.gz", "train_labels": "mnist-train-labels.gz",
                "test_images": "mnist-test-images.gz", "test_labels": "mnist-test-labels.gz"}


def read_idx(folder, key):
    """One MNIST IDX file (plain or .gz, the original names or the playground's data/ names),
    checked: magic number, counts and size."""
    names = [MNIST_FILES[key], MNIST_FILES[key] + ".gz", MNIST_SERVED[key]]
    path = next((os.path.join(folder, n) for n in names if os.path.exists(os.path.join(folder, n))), None)
    if path is None:
        sys.exit(f"{folder} has none of {names}: download MNIST's four IDX files there")
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    if magic >> 8 != 8 or len(data) != 4 + 4 * dims + int(np.prod(shape)) or shape[1:] not in ((), (28, 28)):
        sys.exit(f"{path} is not an MNIST IDX file of unsigned bytes")
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(count, -1)

`;

/** The classifier's MNIST table: DATASET_SIZE training images (stratified, imbalanced), then the test images. */
export const PY_MNIST = String.raw`

def mnist_rows(labels, limit, seed):
    """sampleRows of src/data/mnist-table.ts: limit rows split over the digits by largest
    remainder of each digit's share, each digit's rows shuffled by one Rng(seed), sorted."""
    n = len(labels)
    if limit >= n:
        return list(range(n))
    groups = [[] for _ in range(10)]
    for i, label in enumerate(labels.tolist()):
        groups[label].append(i)
    exact = [len(g) * limit / n for g in groups]
    quota = [math.floor(e) for e in exact]
    missing = limit - sum(quota)
    for c in sorted(range(10), key=lambda c: (-(exact[c] - math.floor(exact[c])), c))[:max(0, missing)]:
        quota[c] += 1
    rng = Rng(seed)
    return sorted(r for c, g in enumerate(groups) for r in rng.shuffle(g)[:quota[c]])


def load_table(args):
    """MNIST as the playground loads it: DATASET_SIZE of the 60,000 training images (stratified,
    from SEED), class imbalance, then all 10,000 test images; pixels / 255, not standardized."""
    scale = (np.arange(256) / 255).astype(np.float32)
    train_x, train_y = read_idx(args.mnist, "train_images"), read_idx(args.mnist, "train_labels")[:, 0]
    rows = mnist_rows(train_y, DATASET_SIZE, SEED)
    X, y = apply_imbalance(scale[train_x[rows]], train_y[rows].astype(np.int64), 10, IMBALANCE, SEED)
    test_x, test_y = read_idx(args.mnist, "test_images"), read_idx(args.mnist, "test_labels")[:, 0]
    return np.concatenate([X, scale[test_x]]), np.concatenate([y, test_y.astype(np.int64)])
`;
