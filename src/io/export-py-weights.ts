// Python source shared by every exported script for weights: the playground's initialization
// (src/nn/init.ts, from the seed, bit for bit) and .safetensors reading and writing, with the
// `safetensors` package when it is installed and a small reader and writer of the format
// otherwise, so the scripts run with NumPy (and the framework) alone.

/** The playground's initial weights (initParams), alone: for scripts that read and write no weight files. */
export const PY_INIT = String.raw`

def playground_init(layers, seed):
    """initParams of src/nn/init.ts: one Rng(seed) draws every weight, layer by layer, row-major
    over the playground's [inputs, units] layout: U(-limit, limit) with limit sqrt(6 / inputs)
    before (leaky) ReLU (He-uniform) and sqrt(6 / (inputs + units)) otherwise (Glorot-uniform);
    biases 0. Returns {name: array} in PyTorch's orientation ([out, in]), float32."""
    rng = Rng(seed)
    tensors = {}
    for n, (inputs, units, activation) in enumerate(layers):
        limit = math.sqrt(6 / inputs) if activation in ("relu", "leaky_relu") else math.sqrt(6 / (inputs + units))
        w = np.array([(rng.uniform() * 2 - 1) * limit for _ in range(inputs * units)], dtype=np.float32)
        tensors[f"layers.{n}.weight"] = np.ascontiguousarray(w.reshape(inputs, units).T)
        tensors[f"layers.{n}.bias"] = np.zeros(units, dtype=np.float32)
    return tensors
`;

/** Initial weights and .safetensors files. */
export const PY_WEIGHTS =
  PY_INIT +
  String.raw`

def read_safetensors(path):
    """({name: float32 array}, metadata) of a .safetensors file: with the safetensors package if
    it is installed, else read here (8-byte header length, JSON header, raw little-endian data)."""
    try:
        from safetensors import safe_open
    except ImportError:
        safe_open = None
    if safe_open is not None:
        with safe_open(path, framework="numpy") as f:
            return {k: f.get_tensor(k) for k in f.keys()}, dict(f.metadata() or {})
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    metadata = header.pop("__metadata__", None) or {}
    tensors = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            sys.exit(f"{path}: tensor {name} is {info['dtype']}; only F32 tensors are read")
        begin, end = info["data_offsets"]
        tensors[name] = np.frombuffer(data, dtype="<f4", count=(end - begin) // 4, offset=8 + n + begin).reshape(info["shape"]).astype(np.float32)
    return tensors, metadata


def write_safetensors(path, tensors, metadata):
    """Writes {name: array} as float32 with string metadata, in the given order."""
    tensors = {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in tensors.items()}
    try:
        from safetensors.numpy import save_file
    except ImportError:
        save_file = None
    if save_file is not None:
        save_file(tensors, path, metadata=metadata)
        return
    header, offset = {"__metadata__": metadata}, 0
    for name, a in tensors.items():
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + a.nbytes]}
        offset += a.nbytes
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(a.astype("<f4").tobytes() for a in tensors.values()))


def check_tensors(tensors, expected, path):
    """Exits with a clear message unless the file holds exactly the expected names and shapes."""
    for name, shape in expected.items():
        if name not in tensors:
            sys.exit(f"{path} has no tensor {name}; it was saved from another network")
        if tuple(tensors[name].shape) != tuple(shape):
            sys.exit(f"{path}: {name} has shape {list(tensors[name].shape)}, this network needs {list(shape)}")
    extra = sorted(set(tensors) - set(expected))
    if extra:
        sys.exit(f"{path} has tensors this network does not have: {extra[:5]}")
`;

/** The classifier's layers and the weights its training starts from. */
export const PY_START = String.raw`

def layer_sizes():
    """(inputs, units, activation) of each dense layer; the output layer is last and linear."""
    sizes = [INPUT_SIZE] + HIDDEN + [OUTPUT_SIZE]
    return list(zip(sizes[:-1], sizes[1:], ACTIVATIONS + ["linear"]))


def start_weights(args):
    """--weights or --init if given (checked against this network), else the playground's own
    initial weights computed from SEED: the same values init.safetensors holds."""
    if args.weights and args.init:
        sys.exit("give --weights or --init, not both")
    expected = {}
    for n, (inputs, units, _) in enumerate(layer_sizes()):
        expected[f"layers.{n}.weight"], expected[f"layers.{n}.bias"] = (units, inputs), (units,)
    path = args.weights or args.init
    if not path:
        return playground_init(layer_sizes(), SEED)
    tensors, _ = read_safetensors(path)
    check_tensors(tensors, expected, path)
    say(f"loaded weights from {path}")
    return tensors
`;
