// Code export: a PyTorch script for an experiment. The shared parts (settings, data, command
// line) come from export-python.ts; this file adds the network, loss, optimizer and loop.
import type { ExperimentConfig } from '../config/experiment.ts';
import type { ModelSpec } from '../nn/spec.ts';
import { checkExportInputs, pythonArgs, pythonData, pythonDataImports, pythonSettings, type ExportOptions } from './export-python.ts';

export type { ExportOptions } from './export-python.ts';

const TORCH_OPTIMIZERS: Record<string, string> = {
  sgd: `    # Plain SGD: w -= lr * g. L2 is PyTorch's (coupled) weight_decay, on weights only.
    return torch.optim.SGD([{"params": weights, "weight_decay": L2}, {"params": biases, "weight_decay": 0.0}],
                           lr=LEARNING_RATE)`,
  momentum: `    # SGD with momentum: v = MOMENTUM * v + g, then w -= lr * v (Nesterov: w -= lr * (g + MOMENTUM * v)).
    # L2 is PyTorch's (coupled) weight_decay, on weights only.
    return torch.optim.SGD([{"params": weights, "weight_decay": L2}, {"params": biases, "weight_decay": 0.0}],
                           lr=LEARNING_RATE, momentum=MOMENTUM, nesterov=NESTEROV)`,
  adam: `    # Adam with bias correction. L2 is PyTorch's (coupled) weight_decay, on weights only.
    return torch.optim.Adam([{"params": weights, "weight_decay": L2}, {"params": biases, "weight_decay": 0.0}],
                            lr=LEARNING_RATE, betas=(BETA1, BETA2), eps=EPSILON)`,
  adamw: `    # AdamW: decoupled weight decay on weights only (L2, if any, is an explicit loss term instead).
    groups = [{"params": weights, "weight_decay": WEIGHT_DECAY}, {"params": biases, "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=LEARNING_RATE, betas=(BETA1, BETA2), eps=EPSILON)`,
};

const TORCH_LOSSES: Record<string, { make: string; targets: string; predict: string }> = {
  softmax_ce: {
    make: 'nn.CrossEntropyLoss()  # softmax + cross-entropy on the logits, averaged over the batch',
    targets: 'y',
    predict: 'logits.argmax(dim=1)',
  },
  sigmoid_bce: {
    make: 'nn.BCEWithLogitsLoss()  # sigmoid + binary cross-entropy on the single logit',
    targets: 'y.float().unsqueeze(1)',
    predict: '(logits[:, 0] > 0).long()',
  },
  mse: {
    make: 'nn.MSELoss()  # mean squared error against one-hot targets',
    targets: 'nn.functional.one_hot(y, OUTPUT_SIZE).float()',
    predict: 'logits.argmax(dim=1)',
  },
};

function torchModel(spec: ModelSpec): string {
  const loss = TORCH_LOSSES[spec.loss]!;
  return `

# ---------------------------------------------------------------------------
# 3. The network: dense layers, the same sizes, activations and initialization
# ---------------------------------------------------------------------------
def make_activation(name):
    """The playground's activations as PyTorch modules (leaky ReLU's slope is 0.2)."""
    return {"linear": nn.Identity(), "relu": nn.ReLU(), "leaky_relu": nn.LeakyReLU(0.2),
            "tanh": nn.Tanh(), "sigmoid": nn.Sigmoid()}[name]


class Net(nn.Module):
    """INPUT_SIZE -> HIDDEN... -> OUTPUT_SIZE logits. The linear layers live in \`self.layers\`, so
    the state-dict keys are layers.N.weight / layers.N.bias, the names in the playground's
    .safetensors files; activations have no parameters and add no keys."""

    def __init__(self):
        super().__init__()
        sizes = [INPUT_SIZE] + HIDDEN + [OUTPUT_SIZE]
        self.layers = nn.ModuleList([nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:])])
        self.activations = nn.ModuleList([make_activation(name) for name in ACTIVATIONS])
        for layer, name in zip(self.layers, ACTIVATIONS + ["linear"]):
            # Keras' defaults, which the playground uses: He-uniform before (leaky) ReLU,
            # Glorot-uniform otherwise, zero biases.
            if name in ("relu", "leaky_relu"):
                nn.init.kaiming_uniform_(layer.weight, nonlinearity="relu")  # U(+-sqrt(6 / fan_in))
            else:
                nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)

    def forward(self, x):
        for layer, activation in zip(self.layers[:-1], self.activations):
            x = activation(layer(x))
        return self.layers[-1](x)  # logits: the loss applies softmax or sigmoid itself


loss_fn = ${loss.make}


def targets(y):
    """Class ids in the form the loss wants."""
    return ${loss.targets}


def predict(logits):
    """The predicted class of each row."""
    return ${loss.predict}
`;
}

function torchTraining(c: ExperimentConfig): string {
  return `

# ---------------------------------------------------------------------------
# 4. Training: optimizer, regularization, mini-batches
# ---------------------------------------------------------------------------
def make_optimizer(model):
    """Weights and biases in two groups, because regularization never touches biases."""
    weights = [layer.weight for layer in model.layers]
    biases = [layer.bias for layer in model.layers]
${TORCH_OPTIMIZERS[c.optimizer.kind]}


def penalty(model):
    """Regularization that is not weight_decay, as explicit loss terms on the weights: L1 (its
    gradient is L1 * sign(w)) and, with AdamW, L2 (L2/2 * sum(w^2), gradient L2 * w)."""
    l2 = L2 if OPTIMIZER == "adamw" else 0.0
    total = torch.zeros(())
    for layer in model.layers:
        if L1 > 0:
            total = total + L1 * layer.weight.abs().sum()
        if l2 > 0:
            total = total + 0.5 * l2 * layer.weight.pow(2).sum()
    return total


def fmt(x):
    return "n/a" if x is None else f"{x:.3f}"


def accuracy(model, X, y):
    """Share of rows whose predicted class is right (None for an empty split)."""
    if len(X) == 0:
        return None
    model.eval()
    with torch.no_grad():
        return (predict(model(X)) == y).float().mean().item()


def train(model, optimizer, train_split, val_split, epochs):
    """Mini-batch training: the training rows are reshuffled every epoch; the last batch may be
    smaller. The loss is averaged over each batch."""
    X, y = train_split
    batch = len(X) if BATCH_SIZE is None else BATCH_SIZE
    shuffle = torch.Generator().manual_seed(SEED)
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(len(X), generator=shuffle)
        total = 0.0
        for start in range(0, len(X), batch):
            rows = order[start:start + batch]
            loss = loss_fn(model(X[rows]), targets(y[rows]))
            optimizer.zero_grad()
            (loss + penalty(model)).backward()
            optimizer.step()
            total += loss.item() * len(rows)
        if epoch % max(1, epochs // 20) == 0 or epoch == epochs:
            print(f"epoch {epoch:5d}  train loss {total / len(X):.4f}  "
                  f"validation accuracy {fmt(accuracy(model, *val_split))}")
`;
}

const TORCH_MAIN = `

# ---------------------------------------------------------------------------
# 5. Putting it together
# ---------------------------------------------------------------------------
def main():
    args = parse_args()
    torch.manual_seed(SEED)
    splits = [(torch.from_numpy(X), torch.from_numpy(y).long()) for X, y in prepare_data(args)]
    train_split, val_split, test_split = splits
    model = Net()
    if args.weights:
        from safetensors.torch import load_file  # pip install safetensors

        # Same names and the same [out, in] orientation as nn.Linear: nothing to convert.
        model.load_state_dict(load_file(args.weights))
        print(f"loaded weights from {args.weights}")
    train(model, make_optimizer(model), train_split, val_split, args.epochs)
    print(f"test accuracy: {fmt(accuracy(model, *test_split))}")
    if args.save:
        from safetensors.torch import save_file

        metadata = {"format": "shaderprop", "framework_orientation": "pytorch",
                    "spec": SPEC_JSON, "config": CONFIG_HASH}
        save_file(model.state_dict(), args.save, metadata=metadata)
        print(f"saved weights to {args.save}; the playground can load them")


if __name__ == "__main__":
    main()
`;

/**
 * A complete, commented PyTorch script for the experiment: the same data recipe, splits,
 * standardization, network, initialization, loss, optimizer and schedule. It can start from a
 * playground `.safetensors` file (`--weights`) and save one the playground loads (`--save`).
 */
export function pytorchScript(config: ExperimentConfig, spec: ModelSpec, options: ExportOptions = {}): string {
  checkExportInputs(config, spec);
  const imports = pythonDataImports(config);
  return `#!/usr/bin/env python3
"""Train the shaderprop playground's experiment with PyTorch.

Exported from shaderprop. Requirements:
    pip install torch numpy scikit-learn safetensors
Run:
    python ${config.dataset.name === 'csv' ? 'shaderprop_pytorch.py --csv FILE.csv --label COLUMN' : 'shaderprop_pytorch.py'}
    python shaderprop_pytorch.py --weights model.safetensors --epochs 0   # evaluate saved weights
"""
${imports.stdlib}

import numpy as np
import torch
${imports.sklearn}
from torch import nn

${pythonSettings(config, spec)}${pythonArgs(config, 'PyTorch', options)}${pythonData(config)}${torchModel(spec)}${torchTraining(config)}${TORCH_MAIN}`;
}
