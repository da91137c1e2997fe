// Code export: a Keras (TensorFlow 2) script for an experiment. The shared parts (settings, data,
// command line) come from export-python.ts; this file adds the model, loss, optimizer and fit.
import type { ExperimentConfig } from '../config/experiment.ts';
import type { ModelSpec } from '../nn/spec.ts';
import { checkExportInputs, pythonArgs, pythonData, pythonDataImports, pythonSettings, type ExportOptions } from './export-python.ts';

const KERAS_OPTIMIZERS: Record<string, string> = {
  sgd: `    # Plain SGD: w -= lr * g.
    return keras.optimizers.SGD(learning_rate=LEARNING_RATE)`,
  momentum: `    # SGD with momentum (and Nesterov if set). Keras writes the velocity as v = MOMENTUM * v - lr * g,
    # which with a fixed learning rate is the same update as the playground's (and PyTorch's).
    return keras.optimizers.SGD(learning_rate=LEARNING_RATE, momentum=MOMENTUM, nesterov=NESTEROV)`,
  adam: `    # Adam with bias correction and Keras' own epsilon placement (a difference of order 1e-7).
    return keras.optimizers.Adam(learning_rate=LEARNING_RATE, beta_1=BETA1, beta_2=BETA2, epsilon=EPSILON)`,
  adamw: `    # AdamW: decoupled weight decay, w -= lr * WEIGHT_DECAY * w, on kernels only, never biases.
    optimizer = keras.optimizers.AdamW(learning_rate=LEARNING_RATE, weight_decay=WEIGHT_DECAY,
                                       beta_1=BETA1, beta_2=BETA2, epsilon=EPSILON)
    optimizer.exclude_from_weight_decay(var_names=["bias"])
    return optimizer`,
};

const KERAS_LOSSES: Record<string, { make: string; metric: string; targets: string; predict: string }> = {
  softmax_ce: {
    make: 'keras.losses.SparseCategoricalCrossentropy(from_logits=True)',
    metric: 'keras.metrics.SparseCategoricalAccuracy(name="accuracy")',
    targets: 'y',
    predict: 'logits.argmax(axis=1)',
  },
  sigmoid_bce: {
    make: 'keras.losses.BinaryCrossentropy(from_logits=True)',
    metric: 'keras.metrics.BinaryAccuracy(name="accuracy", threshold=0.0)  # a logit > 0 means class 1',
    targets: 'y.astype(np.float32)[:, None]',
    predict: '(logits[:, 0] > 0).astype(np.int64)',
  },
  mse: {
    make: 'keras.losses.MeanSquaredError()  # against one-hot targets',
    metric: 'keras.metrics.CategoricalAccuracy(name="accuracy")',
    targets: 'np.eye(OUTPUT_SIZE, dtype=np.float32)[y]',
    predict: 'logits.argmax(axis=1)',
  },
};

function kerasModel(spec: ModelSpec): string {
  const loss = KERAS_LOSSES[spec.loss]!;
  return `

# ---------------------------------------------------------------------------
# 3. The network: dense layers, the same sizes, activations and initialization
# ---------------------------------------------------------------------------
def build_model():
    """INPUT_SIZE -> HIDDEN... -> OUTPUT_SIZE logits. Returns the model and its Dense layers in
    order; Dense layer N holds the playground's layers.N.weight (transposed) and layers.N.bias."""
    # L1 adds L1 * |w| to the loss; Keras' L2 adds l2 * w^2, so l2 = L2 / 2 gives the playground's
    # gradient L2 * w. Kernels only: biases are never regularized.
    regularizer = keras.regularizers.L1L2(l1=L1, l2=L2 / 2) if L1 > 0 or L2 > 0 else None
    inputs = keras.Input(shape=(INPUT_SIZE,))
    x = inputs
    dense_layers = []
    for units, name in zip(HIDDEN + [OUTPUT_SIZE], ACTIVATIONS + ["linear"]):
        dense = keras.layers.Dense(
            units,
            # He-uniform before (leaky) ReLU, Glorot-uniform otherwise, zero biases: the playground's init.
            kernel_initializer="he_uniform" if name in ("relu", "leaky_relu") else "glorot_uniform",
            bias_initializer="zeros",
            kernel_regularizer=regularizer,
        )
        dense_layers.append(dense)
        x = dense(x)
        if name == "leaky_relu":
            x = keras.layers.LeakyReLU(0.2)(x)  # slope 0.2 on the negative side
        elif name != "linear":
            x = keras.layers.Activation(name)(x)
    return keras.Model(inputs, x), dense_layers  # the output is logits: the loss applies softmax/sigmoid


loss_fn = ${loss.make}


def accuracy_metric():
    return ${loss.metric}


def targets(y):
    """Class ids in the form the loss wants."""
    return ${loss.targets}


def predict(logits):
    """The predicted class of each row."""
    return ${loss.predict}
`;
}

function kerasTraining(c: ExperimentConfig): string {
  return `

# ---------------------------------------------------------------------------
# 4. Training: optimizer and mini-batches
# ---------------------------------------------------------------------------
def make_optimizer():
${KERAS_OPTIMIZERS[c.optimizer.kind]}


def fmt(x):
    return "n/a" if x is None else f"{x:.3f}"


def accuracy(model, X, y):
    """Share of rows whose predicted class is right (None for an empty split)."""
    if len(X) == 0:
        return None
    return float((predict(model.predict(X, verbose=0)) == y).mean())


def load_weights(dense_layers, path):
    """Reads a playground .safetensors file. Its weights are in PyTorch's [out, in] orientation;
    a Keras kernel is [in, out], so each one is transposed."""
    from safetensors.numpy import load_file  # pip install safetensors

    tensors = load_file(path)
    for n, dense in enumerate(dense_layers):
        dense.set_weights([tensors[f"layers.{n}.weight"].T, tensors[f"layers.{n}.bias"]])


def save_weights(dense_layers, path):
    """Writes the weights as the playground saves them: layers.N.weight as [out, in]."""
    from safetensors.numpy import save_file

    tensors = {}
    for n, dense in enumerate(dense_layers):
        kernel, bias = dense.get_weights()
        tensors[f"layers.{n}.weight"] = np.ascontiguousarray(kernel.T)
        tensors[f"layers.{n}.bias"] = bias
    metadata = {"format": "shaderprop", "framework_orientation": "pytorch", "spec": SPEC_JSON, "config": CONFIG_HASH}
    save_file(tensors, path, metadata=metadata)
`;
}

const KERAS_MAIN = `

# ---------------------------------------------------------------------------
# 5. Putting it together
# ---------------------------------------------------------------------------
def main():
    args = parse_args()
    keras.utils.set_random_seed(SEED)  # seeds Python, NumPy and TensorFlow
    (X_train, y_train), (X_val, y_val), (X_test, y_test) = prepare_data(args)
    model, dense_layers = build_model()
    if args.weights:
        load_weights(dense_layers, args.weights)
        print(f"loaded weights from {args.weights}")
    model.compile(optimizer=make_optimizer(), loss=loss_fn, metrics=[accuracy_metric()])
    if args.epochs > 0:
        every = max(1, args.epochs // 20)
        report = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: (
            print(f"epoch {epoch + 1:5d}  train loss {logs['loss']:.4f}  "
                  f"validation accuracy {fmt(logs.get('val_accuracy'))}")
            if (epoch + 1) % every == 0 or epoch + 1 == args.epochs else None))
        # shuffle=True reshuffles the training rows every epoch; the last batch may be smaller.
        model.fit(X_train, targets(y_train),
                  batch_size=len(X_train) if BATCH_SIZE is None else BATCH_SIZE,
                  epochs=args.epochs, shuffle=True, verbose=0, callbacks=[report],
                  validation_data=(X_val, targets(y_val)) if len(X_val) else None)
    print(f"test accuracy: {fmt(accuracy(model, X_test, y_test))}")
    if args.save:
        save_weights(dense_layers, args.save)
        print(f"saved weights to {args.save}; the playground can load them")


if __name__ == "__main__":
    main()
`;

/**
 * A complete, commented Keras (TensorFlow 2) script for the experiment: the same data recipe,
 * splits, standardization, network, initialization, loss, optimizer and schedule. It can start
 * from a playground `.safetensors` file (`--weights`, kernels transposed to Keras' [in, out]) and
 * save one the playground loads (`--save`).
 */
export function kerasScript(config: ExperimentConfig, spec: ModelSpec, options: ExportOptions = {}): string {
  checkExportInputs(config, spec);
  const imports = pythonDataImports(config);
  const run = config.dataset.name === 'csv' ? 'shaderprop_keras.py --csv FILE.csv --label COLUMN' : 'shaderprop_keras.py';
  return `#!/usr/bin/env python3
"""Train the shaderprop playground's experiment with Keras (TensorFlow 2).

Exported from shaderprop. Requirements:
    pip install tensorflow numpy scikit-learn safetensors
Run:
    python ${run}
    python shaderprop_keras.py --weights model.safetensors --epochs 0   # evaluate saved weights
"""
${[...imports.stdlib.split('\n'), 'import os'].sort().join('\n')}

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TensorFlow's start-up logs short

import numpy as np  # noqa: E402 (after the environment variable on purpose)
${imports.sklearn.split('\n').map((line) => `${line}  # noqa: E402`).join('\n')}
from tensorflow import keras  # noqa: E402

${pythonSettings(config, spec)}${pythonArgs(config, 'Keras', options)}${pythonData(config)}${kerasModel(spec)}${kerasTraining(config)}${KERAS_MAIN}`;
}
