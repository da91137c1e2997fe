// Code export: a Keras (TensorFlow 2) script for a classifier or regression experiment that
// reproduces the playground's run. The NumPy sections (settings, random numbers, data, batch order, remedies,
// weights) are the PyTorch script's, from classifierScript of export-python.ts; this file adds the
// Keras model and a training loop that applies the playground's own update rule. TensorFlow is
// imported inside main(), so everything above it runs (and can be tested) without TensorFlow.
import type { ExperimentConfig } from '../config/experiment.ts';
import type { ModelSpec } from '../nn/spec.ts';
import { classifierScript, type ExportOptions } from './export-python.ts';

const KERAS_MODEL = String.raw`

tf = keras = None


def import_tensorflow():
    """TensorFlow is imported here, not at the top, so the NumPy sections above work without it."""
    global tf, keras
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TensorFlow's start-up logs short
    import tensorflow

    tf, keras = tensorflow, tensorflow.keras


def activate(x, name):
    if name == "relu":
        return tf.nn.relu(x)
    if name == "leaky_relu":
        return tf.nn.leaky_relu(x, alpha=LEAKY_SLOPE)
    if name in ("tanh", "sigmoid"):
        return getattr(tf.math, name)(x)
    return x


def build_model(tensors, dtype="float32"):
    """Dense layers holding the given weights (a Keras kernel is [in, out], the file's [out, in]
    transposed) and a keras.Model of them for predict(). Returns (model, dense layers)."""
    inputs = keras.Input(shape=(INPUT_SIZE,), dtype=dtype)
    x, dense_layers = inputs, []
    for n, (_, units, name) in enumerate(layer_sizes()):
        dense = keras.layers.Dense(units, name=f"dense_{n}", dtype=dtype)
        x = dense(x)
        dense.set_weights([tensors[f"layers.{n}.weight"].T, tensors[f"layers.{n}.bias"]])
        dense_layers.append(dense)
        if name == "leaky_relu":
            x = keras.layers.LeakyReLU(LEAKY_SLOPE, dtype=dtype)(x)
        elif name != "linear":
            x = keras.layers.Activation(name, dtype=dtype)(x)
    return keras.Model(inputs, x), dense_layers  # the output is logits: the loss applies softmax/sigmoid


def forward(dense_layers, x, masks=None):
    """The network on a batch; with masks, each hidden output is multiplied by its dropout mask."""
    for n, dense in enumerate(dense_layers[:-1]):
        x = activate(dense(x), ACTIVATIONS[n])
        if masks is not None and masks[n] is not None:
            x = x * masks[n]
    return dense_layers[-1](x)


def row_losses(logits, y, weights):
    """Each row's loss times its class weight. The playground sums these and divides by the ROW
    COUNT (Keras' class_weight would normalize differently)."""
    if TASK == "regression":  # squared error of the one output against the standardized target
        return tf.square(logits[:, 0] - tf.cast(y, logits.dtype))
    if LOSS == "mse":
        return tf.reduce_mean(tf.square(logits - tf.one_hot(y, OUTPUT_SIZE, dtype=logits.dtype)), axis=1)
    if LOSS == "sigmoid_bce":
        loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.cast(y, logits.dtype), logits=logits[:, 0])
    else:
        loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
    return loss if weights is None else loss * tf.gather(weights, y)


def correct(logits, y):
    predicted = tf.cast(logits[:, 0] > 0, tf.int64) if LOSS == "sigmoid_bce" else tf.argmax(logits, axis=1)
    return int(tf.reduce_sum(tf.cast(predicted == y, tf.int32)))


class PlaygroundOptimizer:
    """The playground's update rule (src/reference/optimizer.ts) on Keras variables. Written out
    because Keras' Adam puts epsilon inside the bias correction and Keras' SGD folds the learning
    rate into the momentum, which differ from the playground once the schedule moves the rate.
    L2 * w + L1 * sign(w) join each weight's gradient; AdamW's decay touches weights only."""

    def __init__(self, variables, is_weight):
        self.variables, self.is_weight, self.t = variables, is_weight, 0
        self.m = [tf.zeros_like(tf.convert_to_tensor(v)) for v in variables]
        self.v = [tf.zeros_like(tf.convert_to_tensor(v)) for v in variables]

    def apply(self, grads, lr):
        self.t += 1
        bc1, bc2 = 1 - BETA1 ** self.t, 1 - BETA2 ** self.t
        for k, (var, g) in enumerate(zip(self.variables, grads)):
            w = tf.convert_to_tensor(var)
            if self.is_weight[k]:
                g = g + (L2 * w + L1 * tf.sign(w))
            if OPTIMIZER == "sgd":
                step = g
            elif OPTIMIZER == "momentum":
                self.m[k] = MOMENTUM * self.m[k] + g
                step = g + MOMENTUM * self.m[k] if NESTEROV else self.m[k]
            else:
                self.m[k] = BETA1 * self.m[k] + (1 - BETA1) * g
                self.v[k] = BETA2 * self.v[k] + (1 - BETA2) * g * g
                step = (self.m[k] / bc1) / (tf.sqrt(self.v[k] / bc2) + EPSILON)
                if OPTIMIZER == "adamw" and self.is_weight[k]:
                    step = step + WEIGHT_DECAY * w
            var.assign(w - lr * step)
`;

const KERAS_TRAINING = String.raw`

def fmt(x, digits=4):
    return "n/a" if x is None else f"{x:.{digits}f}"


def evaluate(dense_layers, data, rows, weights, dtype="float32"):
    """Loss (sum of weighted row losses / rows, as the playground reports it) and accuracy."""
    if len(rows) == 0:
        return None, None
    logits = forward(dense_layers, tf.constant(data.X[rows], dtype=dtype))
    y = tf.constant(data.y[rows])
    accuracy = None if TASK == "regression" else correct(logits, y) / len(rows)
    return float(tf.reduce_sum(row_losses(logits, y, weights))) / len(rows), accuracy


def train(dense_layers, data, epochs, dtype="float32", verbose=True):
    """The playground's training loop: the seeded batch order, augmentation and dropout masks of
    each step, per-epoch learning rate, validation, and early stopping that restores the best
    epoch's weights. Returns the per-epoch mean training loss."""
    variables = [v for dense in dense_layers for v in (dense.kernel, dense.bias)]
    optimizer = PlaygroundOptimizer(variables, [True, False] * len(dense_layers))
    classes = 2 if LOSS == "sigmoid_bce" else OUTPUT_SIZE
    weights = class_weights(data.y[data.train], classes)
    weights = None if weights is None else tf.constant(weights, dtype=dtype)
    order = BatchOrder(data.train, data.y, BATCH_SIZE, SEED, RESAMPLE, classes)
    stopper = EarlyStopping(**EARLY_STOPPING) if EARLY_STOPPING and epochs > 0 else None
    if stopper and len(data.val) == 0:
        sys.exit("early stopping needs validation rows: VALIDATION_SPLIT is 0")
    best = [tf.convert_to_tensor(v).numpy() for v in variables] if stopper else None
    curve, step, every = [], 0, max(1, epochs // 20)
    for epoch in range(epochs):
        lr, loss_sum = learning_rate_at(epoch), 0.0
        for rows in order.next_epoch():
            x = data.X[rows]
            if JITTER > 0:
                x = jitter(x, JITTER, SEED, step, 0)
            if IMAGE_AUGMENT:
                x = augment_images(x, IMAGE_AUGMENT, SEED, step, 0)
            masks = [tf.constant(dropout_mask(SEED, n, step, 0, len(rows), HIDDEN[n], rate), dtype=dtype) if rate > 0 else None
                     for n, rate in enumerate(DROPOUT)]
            with tf.GradientTape() as tape:
                losses = row_losses(forward(dense_layers, tf.constant(x, dtype=dtype), masks), tf.constant(data.y[rows]), weights)
                loss = tf.reduce_sum(losses) / len(rows)
            optimizer.apply(tape.gradient(loss, variables), lr)
            loss_sum += float(tf.reduce_sum(losses))
            step += 1
        curve.append(loss_sum / order.epoch_rows)
        val_loss, val_accuracy = evaluate(dense_layers, data, data.val, weights, dtype)
        if verbose and ((epoch + 1) % every == 0 or epoch + 1 == epochs):
            accuracy = "" if TASK == "regression" else f"  accuracy {fmt(val_accuracy)}"
            say(f"epoch {epoch + 1:5d}  train loss {curve[-1]:.6f}  validation loss {fmt(val_loss)}{accuracy}")
        if stopper:
            improved, stop = stopper.update(epoch + 1, val_loss, val_accuracy)
            if improved:
                best = [tf.convert_to_tensor(v).numpy() for v in variables]
            if stop:
                for var, value in zip(variables, best):
                    var.assign(value)
                say(f"early stopping after epoch {epoch + 1}: restored the weights of epoch {stopper.best_epoch}")
                break
    return curve


def main(argv=None):
    args = parse_args(argv)
    for item in LEFT_OUT:
        say(f"LEFT OUT: {item}")
    epochs = args.epochs
    if args.check:
        why = check_refused(args)
        if why:
            say(f"check refused: {why}")
            return 2
        epochs = min(CHECK_EPOCHS, len(PLAYGROUND_CURVE))
    data = prepare_data(args)
    say(f"{DATASET}: {len(data.train)} training, {len(data.val)} validation, {len(data.test)} test rows")
    import_tensorflow()
    start = start_weights(args)
    model, dense_layers = build_model(start)
    curve = train(dense_layers, data, epochs)
    test_loss, test_accuracy = evaluate(dense_layers, data, data.test, None)
    if TASK == "regression":
        outputs = forward(dense_layers, tf.constant(data.X[data.test], dtype="float32")).numpy()[:, 0]
        say_regression_scores(data, outputs, test_loss)
    else:
        say(f"test accuracy: {fmt(test_accuracy, 3)}  test loss: {fmt(test_loss)}")
    if args.save:
        tensors = {}
        for n, dense in enumerate(dense_layers):
            kernel, bias = dense.get_weights()
            tensors[f"layers.{n}.weight"], tensors[f"layers.{n}.bias"] = kernel.T, bias
        metadata = {"format": "shaderprop", "framework_orientation": "pytorch", "spec": SPEC_JSON, "config": CONFIG_HASH}
        write_safetensors(args.save, tensors, metadata)
        say(f"saved weights to {args.save}; the playground can load them")
    if not args.check:
        return 0
    say("check: training the same epochs in float64, to measure what float32 rounding does to this run")
    twin = train(build_model(start, "float64")[1], data, epochs, "float64", verbose=False)
    return 0 if check_curve(curve, twin) and data.fingerprint_ok else 1


if __name__ == "__main__":
    sys.exit(main())
`;

/**
 * A complete, commented Keras (TensorFlow 2) script for the experiment that reproduces the
 * playground's run like the PyTorch script does (same rows, initial weights, batch order, loss,
 * update rule, schedule and remedies, `--check`), in one process.
 */
export function kerasScript(config: ExperimentConfig, spec: ModelSpec, options: ExportOptions = {}): string {
  return classifierScript(config, spec, options, {
    id: 'keras',
    name: 'Keras',
    summary: `Train the shaderprop playground's experiment with Keras (TensorFlow 2): the same rows, the same
initial weights, the same batches in the same order, and every remedy set in the playground.`,
    requires: 'tensorflow',
    usage: (dataArg) => `    python shaderprop_keras.py${dataArg}
    python shaderprop_keras.py${dataArg} --init init.safetensors --check   # compare with the playground
    python shaderprop_keras.py${dataArg} --weights model.safetensors --epochs 0   # evaluate saved weights
`,
    stdlib: [],
    imports: [],
    sections: [
      ["6. The network, its loss and the playground's update rule in Keras", KERAS_MODEL],
      ['7. Training and putting it together', KERAS_TRAINING],
    ],
  });
}
