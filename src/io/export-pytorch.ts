// Code export: a PyTorch script for a classifier or regression experiment that reproduces the
// playground's run: the shared NumPy sections (settings, random numbers, data, batch order,
// remedies, weights) come from classifierScript of export-python.ts; this file adds the network,
// loss, optimizer, the training loop and DistributedDataParallel for torchrun.
import type { ExperimentConfig } from '../config/experiment.ts';
import type { ModelSpec } from '../nn/spec.ts';
import { classifierScript, type ExportOptions } from './export-python.ts';
import { TORCH_IMPORTS, TORCH_RUN, TORCHRUN_NOTE } from './export-torch-run.ts';

export type { ExportOptions } from './export-python.ts';

/** The network, its loss and optimizer (also the ensemble scripts' members). */
export const TORCH_MODEL = String.raw`

ACTIVATION_FUNCTIONS = {"linear": lambda x: x, "relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid,
                        "leaky_relu": lambda x: F.leaky_relu(x, LEAKY_SLOPE)}


class HashDropout(nn.Module):
    """Inverted dropout with the playground's masks: the factors of dropout_mask() for this layer
    at the given (step, first batch row), so every step drops what the playground dropped.
    Identity in eval mode or without a step (evaluation)."""

    def __init__(self, layer, rate):
        super().__init__()
        self.layer, self.rate = layer, rate

    def forward(self, x, at=None):
        if not self.training or self.rate <= 0 or at is None:
            return x
        mask = dropout_mask(SEED, self.layer, at[0], at[1], x.shape[0], x.shape[1], self.rate)
        return x * torch.from_numpy(mask).to(x.device, x.dtype)


class Net(nn.Module):
    """INPUT_SIZE -> HIDDEN... -> OUTPUT_SIZE logits. layers.N.weight is [out, in], as in the
    playground's .safetensors files; dropout follows each hidden layer's activation."""

    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(a, b) for a, b, _ in layer_sizes()])
        self.dropouts = nn.ModuleList([HashDropout(n, rate) for n, rate in enumerate(DROPOUT)])

    def forward(self, x, at=None):
        for layer, name, dropout in zip(self.layers, ACTIVATIONS, self.dropouts):
            x = dropout(ACTIVATION_FUNCTIONS[name](layer(x)), at)
        return self.layers[-1](x)  # logits: the loss applies softmax or sigmoid itself


def row_losses(logits, y, weights):
    """Each row's loss times its class weight. The playground sums these and divides by the ROW
    COUNT; CrossEntropyLoss(weight=...) would divide by the sum of the weights instead."""
    if TASK == "regression":  # squared error of the one output against the standardized target
        return (logits[:, 0] - y.to(logits.dtype)) ** 2
    if LOSS == "mse":  # against one-hot targets; class weights do not apply
        return ((logits - F.one_hot(y, OUTPUT_SIZE).to(logits.dtype)) ** 2).mean(dim=1)
    if LOSS == "sigmoid_bce":
        loss = F.binary_cross_entropy_with_logits(logits[:, 0], y.to(logits.dtype), reduction="none")
    else:
        loss = F.cross_entropy(logits, y, reduction="none")
    return loss if weights is None else loss * weights[y]


def correct(logits, y):
    """Rows whose predicted class is right."""
    predicted = (logits[:, 0] > 0).long() if LOSS == "sigmoid_bce" else logits.argmax(dim=1)
    return int((predicted == y).sum())


def make_optimizer(net):
    """PyTorch's optimizers follow the playground's update rules (Adam's eps after the bias
    correction, momentum v = MOMENTUM * v + g); L1 and L2 go into the gradients in regularize(),
    AdamW's decoupled decay touches weights only, never biases."""
    weights = [layer.weight for layer in net.layers]
    biases = [layer.bias for layer in net.layers]
    if OPTIMIZER == "sgd":
        return torch.optim.SGD(weights + biases, lr=LEARNING_RATE)
    if OPTIMIZER == "momentum":
        return torch.optim.SGD(weights + biases, lr=LEARNING_RATE, momentum=MOMENTUM, nesterov=NESTEROV and MOMENTUM > 0)
    if OPTIMIZER == "adam":
        return torch.optim.Adam(weights + biases, lr=LEARNING_RATE, betas=(BETA1, BETA2), eps=EPSILON)
    groups = [{"params": weights, "weight_decay": WEIGHT_DECAY}, {"params": biases, "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=LEARNING_RATE, betas=(BETA1, BETA2), eps=EPSILON)


def regularize(net):
    """Adds L2 * w + L1 * sign(w) to every weight's gradient, biases untouched."""
    if L1 == 0 and L2 == 0:
        return
    with torch.no_grad():
        for layer in net.layers:
            layer.weight.grad.add_(L2 * layer.weight + L1 * torch.sign(layer.weight))
`;

/** The training loop (also the ensemble scripts' members). */
export const TORCH_TRAINING = String.raw`

ROW_WEIGHTS = None  # one loss weight per dataset row (float32), or None; set by the boosting script


def fmt(x, digits=4):
    return "n/a" if x is None else f"{x:.{digits}f}"


def evaluate(net, data, rows, weights, run):
    """Loss (sum of weighted row losses / rows, as the playground reports it) and accuracy."""
    if len(rows) == 0:
        return None, None
    net.eval()
    with torch.no_grad():
        logits = net(torch.from_numpy(data.X[rows]).to(run.device, run.dtype))
        y = torch.from_numpy(data.y[rows]).to(run.device)
        accuracy = None if TASK == "regression" else correct(logits, y) / len(rows)
        return row_losses(logits, y, weights).sum().item() / len(rows), accuracy


def predict(net, data, rows, run):
    """The network's one output on rows (regression: the standardized target), as NumPy."""
    net.eval()
    with torch.no_grad():
        return net(torch.from_numpy(data.X[rows]).to(run.device, run.dtype))[:, 0].cpu().numpy()


def train_epoch(net, model, optimizer, data, order, weights, step, run):
    """One epoch of the seeded batch order. Each step augments its rows (jitter or images) with
    the playground's draws, drops units with its masks, and divides the weighted loss sum by the
    batch's row count. Returns the epoch's loss sum over all processes and the next step."""
    net.train()
    loss_sum = 0.0
    for rows in order.next_epoch():
        lo, hi = run.share(len(rows))
        x = data.X[rows[lo:hi]]
        if JITTER > 0:
            x = jitter(x, JITTER, SEED, step, lo)
        if IMAGE_AUGMENT:
            x = augment_images(x, IMAGE_AUGMENT, SEED, step, lo)
        y = torch.from_numpy(data.y[rows[lo:hi]]).to(run.device)
        losses = row_losses(model(torch.from_numpy(x).to(run.device, run.dtype), (step, lo)), y, weights)
        if ROW_WEIGHTS is not None:  # boosting: each row's weight times its loss, still divided by the row count
            losses = losses * torch.from_numpy(ROW_WEIGHTS[rows[lo:hi]]).to(run.device, run.dtype)
        optimizer.zero_grad()
        (losses.sum() * (run.world / len(rows))).backward()  # DDP averages over the processes
        regularize(net)
        optimizer.step()
        loss_sum += losses.sum().item()
        step += 1
    return run.total(loss_sum)[0], step


def train(net, model, optimizer, data, epochs, run):
    """The playground's training loop: per-epoch learning rate, the epoch's mean training loss,
    validation, and early stopping that restores the best epoch's weights. Returns the curve."""
    classes = 2 if LOSS == "sigmoid_bce" else OUTPUT_SIZE
    weights = class_weights(data.y[data.train], classes)
    weights = None if weights is None else torch.from_numpy(weights).to(run.device, run.dtype)
    order = BatchOrder(data.train, data.y, BATCH_SIZE, SEED, RESAMPLE, classes)
    stopper = EarlyStopping(**EARLY_STOPPING) if EARLY_STOPPING and epochs > 0 else None
    if stopper and len(data.val) == 0:
        sys.exit("early stopping needs validation rows: VALIDATION_SPLIT is 0")
    best = {k: v.detach().clone() for k, v in net.state_dict().items()} if stopper else None
    curve, step, every = [], 0, max(1, epochs // 20)
    for epoch in range(epochs):
        for group in optimizer.param_groups:
            group["lr"] = learning_rate_at(epoch)
        loss_sum, step = train_epoch(net, model, optimizer, data, order, weights, step, run)
        curve.append(loss_sum / order.epoch_rows)
        val_loss, val_accuracy = evaluate(net, data, data.val, weights, run)
        if run.verbose and ((epoch + 1) % every == 0 or epoch + 1 == epochs):
            accuracy = "" if TASK == "regression" else f"  accuracy {fmt(val_accuracy)}"
            say(f"epoch {epoch + 1:5d}  train loss {curve[-1]:.6f}  validation loss {fmt(val_loss)}{accuracy}")
        if stopper:
            improved, stop = stopper.update(epoch + 1, val_loss, val_accuracy)
            if improved:
                best = {k: v.detach().clone() for k, v in net.state_dict().items()}
            if stop:
                net.load_state_dict(best)
                say(f"early stopping after epoch {epoch + 1}: restored the weights of epoch {stopper.best_epoch}")
                break
    return curve
`;

const TORCH_MAIN = String.raw`

def train_run(start, data, epochs, run, dtype):
    """A fresh network from the start weights, trained in dtype; returns it and its curve."""
    run.dtype = dtype
    net = Net().to(run.device, dtype)
    net.load_state_dict(start)
    return net, train(net, run.wrap(net), make_optimizer(net), data, epochs, run)


def main(argv=None):
    args = parse_args(argv)
    run = Run()
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
    say(f"{DATASET}: {len(data.train)} training, {len(data.val)} validation, {len(data.test)} test rows; "
        f"{run.world} process(es) on {run.device}")
    start = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in start_weights(args).items()}
    net, curve = train_run(start, data, epochs, run, torch.float32)
    test_loss, test_accuracy = evaluate(net, data, data.test, None, run)
    if TASK == "regression":
        say_regression_scores(data, predict(net, data, data.test, run), test_loss)
    else:
        say(f"test accuracy: {fmt(test_accuracy, 3)}  test loss: {fmt(test_loss)}")
    if args.save and run.rank == 0:
        metadata = {"format": "shaderprop", "framework_orientation": "pytorch", "spec": SPEC_JSON, "config": CONFIG_HASH}
        write_safetensors(args.save, {k: v.detach().cpu().numpy() for k, v in net.state_dict().items()}, metadata)
        say(f"saved weights to {args.save}; the playground can load them")
    ok = True
    if args.check:
        say("check: training the same epochs in float64, to measure what float32 rounding does to this run")
        run.verbose = False
        ok = check_curve(curve, train_run(start, data, epochs, run, torch.float64)[1]) and data.fingerprint_ok
    run.close()
    return 0 if ok else 1


if __name__ == "__main__":
    run_main(main)
`;

/**
 * A complete, commented PyTorch script for the experiment that reproduces the playground's run:
 * the same rows and split, initial weights, batch order, loss (class weights normalized by the
 * row count), optimizer, schedule and remedies. `--check` compares its first epochs with the
 * curve in `options.curve`; it runs unchanged under `torchrun --nproc_per_node=N`.
 */
export function pytorchScript(config: ExperimentConfig, spec: ModelSpec, options: ExportOptions = {}): string {
  return classifierScript(config, spec, options, {
    id: 'pytorch',
    name: 'PyTorch',
    summary: `Train the shaderprop playground's experiment with PyTorch: the same rows, the same initial
weights, the same batches in the same order, and every remedy set in the playground.`,
    requires: 'torch',
    usage: (dataArg) => `    python shaderprop_pytorch.py${dataArg}
    python shaderprop_pytorch.py${dataArg} --init init.safetensors --check   # compare with the playground
    torchrun --nproc_per_node=4 shaderprop_pytorch.py${dataArg}   # 4 processes: DDP, gloo on CPUs, nccl on GPUs
${TORCHRUN_NOTE}    python shaderprop_pytorch.py${dataArg} --weights model.safetensors --epochs 0   # evaluate saved weights
`,
    stdlib: TORCH_IMPORTS.stdlib,
    imports: TORCH_IMPORTS.packages,
    sections: [
      ['6. The network, its loss and optimizer in PyTorch', TORCH_MODEL],
      ['7. Training, alone or as one of several processes under torchrun', TORCH_RUN + TORCH_TRAINING],
      ['8. Putting it together', TORCH_MAIN],
    ],
  });
}
