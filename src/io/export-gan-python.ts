// The framework-neutral parts of the exported GAN scripts: the GAN as configured in the lab, the
// command line, what is left out, and the NumPy code for the lab's networks, initial weights,
// real batches and latent vectors, and for the weight files the lab loads; ganScript puts them
// together with what export-gan-pytorch.ts or export-gan-keras.ts brings.
import { validateGanConfig, type GanConfig } from '../train/gan-config.ts';
import { ganConfigJson } from './gan-file.ts';
import { PY_MNIST_FILES } from './export-py-mnist.ts';
import { PY_RNG } from './export-py-random.ts';
import { PY_BATCH_ORDER } from './export-py-training.ts';
import { PY_WEIGHTS } from './export-py-weights.ts';
import { pyFloat, pyInt, pyList, pyString } from './export-python.ts';
import { pythonScript, type FrameworkParts } from './export-script-parts.ts';

/** Iterations one press of the lab's Train runs: the scripts' default. */
export const GAN_SCRIPT_ITERATIONS = 5000;

/** What a GAN script does not reproduce, and why. */
function ganLeftOut(framework: 'pytorch' | 'keras'): string[] {
  const out = [
    'Adam moments when continuing from saved weights: the files hold weights only, so both optimizers restart, as they do when the lab loads the files',
    "the lab's sample grid, timeline and digit-classifier histogram: load the saved files into the lab (Load G and D) to see them",
  ];
  if (framework === 'keras') out.push('training on several processes or machines: use the PyTorch script with torchrun for that');
  return out;
}

/** Section 1: the GAN's settings. */
function ganSettings(c: GanConfig, framework: 'pytorch' | 'keras'): string {
  validateGanConfig(c);
  return `# ---------------------------------------------------------------------------
# 1. The GAN, as it was set in the lab
# ---------------------------------------------------------------------------
# The lab's settings as JSON; saved with the weights so the lab rebuilds this GAN when it loads them.
GAN_JSON = ${pyString(ganConfigJson(c))}
SEED = ${pyInt(c.seed)}
LATENT = ${pyInt(c.latent)}  # size of the generator's input z ~ N(0, 1)
G_HIDDEN = ${pyList(c.generator.map(pyInt))}  # generator: LATENT -> G_HIDDEN... -> 784 tanh (pixels in [-1, 1])
D_HIDDEN = ${pyList(c.discriminator.map(pyInt))}  # discriminator: 784 -> D_HIDDEN... -> 1 logit
ACTIVATION = ${pyString(c.activation)}  # hidden activation of both networks
BATCH = ${pyInt(c.batch)}  # fake and real images per discriminator step, latent vectors per generator step
D_STEPS = ${pyInt(c.dSteps)}  # discriminator steps per generator step (k)
LABEL_SMOOTHING = ${pyFloat(c.labelSmoothing)}  # one-sided: real images are labelled 1 - LABEL_SMOOTHING
NON_SATURATING = ${c.nonSaturating ? 'True' : 'False'}  # True: G minimizes -log D(G(z)); False: log(1 - D(G(z)))
G_LEARNING_RATE, G_BETA1, G_BETA2 = ${pyFloat(c.g.learningRate)}, ${pyFloat(c.g.beta1)}, ${pyFloat(c.g.beta2)}  # Adam of the generator
D_LEARNING_RATE, D_BETA1, D_BETA2 = ${pyFloat(c.d.learningRate)}, ${pyFloat(c.d.beta1)}, ${pyFloat(c.d.beta2)}  # Adam of the discriminator
EPSILON = 1e-7  # Adam's epsilon, after the bias correction (Keras' default value)
ITERATIONS = ${pyInt(GAN_SCRIPT_ITERATIONS)}  # one press of the lab's Train
CHUNK = 4  # the lab draws the latent vectors of 4 iterations at a time: D steps' first, then G steps'
IMAGE_PIXELS = 784

# What this script does not reproduce, and why (also printed when it runs).
LEFT_OUT = ${pyList(ganLeftOut(framework).map(pyString))}
`;
}

/** The command line of a GAN script. */
function ganArgs(framework: string): string {
  return `

def parse_args(argv=None):
    """The command line; run with --help to see it."""
    parser = argparse.ArgumentParser(description=${pyString(`Train the shaderprop GAN lab's GAN with ${framework}.`)})
    parser.add_argument("--mnist", required=True, help="folder with MNIST's IDX files (train-images-idx3-ubyte[.gz], ...)")
    parser.add_argument("--generator", help="generator weights saved by the lab (Save G and D); default: the lab's initial weights")
    parser.add_argument("--discriminator", help="discriminator weights saved by the lab; default: the lab's initial weights")
    parser.add_argument("--iterations", type=int, default=ITERATIONS, help="iterations to train (each: D_STEPS D steps, 1 G step)")
    parser.add_argument("--save-generator", help="write the trained generator here (.safetensors; the lab loads it)")
    parser.add_argument("--save-discriminator", help="write the trained discriminator here (.safetensors)")
    parser.add_argument("--log-every", type=int, default=100, help="print the losses every this many iterations")
    return parser.parse_args(argv)
`;
}

/** The networks, their starting weights, the lab's batches and latent vectors, and saving. */
const PY_GAN = String.raw`

def gan_layers(role):
    """(inputs, units, activation) of each layer of the generator or the discriminator."""
    if role == "generator":
        sizes, last = [LATENT] + G_HIDDEN + [IMAGE_PIXELS], "tanh"
    else:
        sizes, last = [IMAGE_PIXELS] + D_HIDDEN + [1], "linear"
    return list(zip(sizes[:-1], sizes[1:], [ACTIVATION] * (len(sizes) - 2) + [last]))


def spec_json(role):
    """The network as the playground's model files describe it (the loss names the head)."""
    layers = gan_layers(role)
    spec = {"inputSize": layers[0][0], "hidden": [{"units": u, "activation": a} for _, u, a in layers[:-1]],
            "outputSize": layers[-1][1], "loss": "mse" if role == "generator" else "sigmoid_bce"}
    return json.dumps(spec, separators=(",", ":"))


def start_weights(path, role):
    """(tensors, iterations already trained): the file's (checked against this GAN) or the
    lab's initial weights from SEED (initGan of src/train/gan-config.ts: D's seed is SEED ^ 0x9E3779B9)."""
    expected = {}
    for n, (inputs, units, _) in enumerate(gan_layers(role)):
        expected[f"layers.{n}.weight"], expected[f"layers.{n}.bias"] = (units, inputs), (units,)
    if not path:
        return playground_init(gan_layers(role), SEED if role == "generator" else SEED ^ 0x9E3779B9), 0
    tensors, metadata = read_safetensors(path)
    check_tensors(tensors, expected, path)
    if metadata.get("gan_role", role) != role:
        sys.exit(f"{path} holds the {metadata['gan_role']}, not the {role}")
    say(f"loaded the {role} from {path}")
    return tensors, int(json.loads(metadata.get("training", "{}")).get("steps") or 0)


def save_weights(path, role, tensors, iterations):
    """Writes a network as the lab saves it: the playground's names, PyTorch's [out, in]
    orientation, the network and the GAN's settings in the metadata, the iterations trained."""
    training = {"epochs": 0, "steps": iterations, "trainLoss": None, "validationAccuracy": None}
    metadata = {"format": "shaderprop", "framework_orientation": "pytorch", "spec": spec_json(role),
                "training": json.dumps(training), "gan": GAN_JSON, "gan_role": role}
    write_safetensors(path, tensors, metadata)
    say(f"saved the {role} to {path}; the GAN lab loads it (Load G and D)")


class LabStreams:
    """GanTrainer of src/train/gan-trainer.ts: real images in batches of a BatchOrder over all training
    images (a short last batch of an epoch is filled from its own start), latent vectors from
    Rng(SEED ^ 0x2545F491) as float32, per chunk of CHUNK iterations: every D step's vectors
    first, then every G step's."""

    def __init__(self, images):
        self.order = BatchOrder(range(images), None, BATCH, SEED)
        self.queue = []
        self.rng = Rng(SEED ^ 0x2545F491)

    def real_batch(self):
        if not self.queue:
            self.queue = self.order.next_epoch()[::-1]
        batch = self.queue.pop()
        return batch + (batch + [0] * BATCH)[:BATCH - len(batch)]

    def chunk(self, n):
        """(real rows, D latents, G latents) of n iterations."""
        real = [self.real_batch() for _ in range(n * D_STEPS)]
        z_d = np.array([self.rng.normal() for _ in range(n * D_STEPS * BATCH * LATENT)], dtype=np.float32)
        z_g = np.array([self.rng.normal() for _ in range(n * BATCH * LATENT)], dtype=np.float32)
        return real, z_d.reshape(n, D_STEPS, BATCH, LATENT), z_g.reshape(n, BATCH, LATENT)


def load_images(folder):
    """MNIST's 60,000 training images scaled to [-1, 1] as the lab scales them (kept as bytes;
    PIXELS maps a byte to its float32 value)."""
    return read_idx(folder, "train_images")


PIXELS = (np.arange(256) / 127.5 - 1).astype(np.float32)
`;

/**
 * A GAN script in `framework`: the settings, command line and NumPy sections (random numbers,
 * MNIST, batches and latent vectors, weights) every framework shares, then its own.
 */
export function ganScript(config: GanConfig, framework: FrameworkParts): string {
  return pythonScript({
    summary: framework.summary,
    requires: framework.requires,
    usage: framework.usage,
    leftOut: ganLeftOut(framework.id),
    stdlib: ['import argparse', 'import gzip', 'import json', 'import math', 'import os', 'import struct', 'import sys', ...framework.stdlib],
    imports: framework.imports,
    settings: ganSettings(config, framework.id) + ganArgs(framework.name),
    sections: [
      ["2. The lab's random numbers, MNIST, batches and latent vectors", PY_RNG + PY_BATCH_ORDER + PY_MNIST_FILES + PY_GAN],
      ["3. Weights: the lab's initialization and .safetensors files", PY_WEIGHTS],
      ...framework.sections,
    ],
  });
}
