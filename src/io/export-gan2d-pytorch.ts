// Code export of the 2-D GAN lab (issue 30): a PyTorch script that repeats a run of src/gan2d/
// iteration for iteration: the same real pool (the data sets ported to Python on the project's
// Rng, the drawn points embedded), the same initial weights, batches, latent vectors and chunks,
// the same networks, optimizers and losses; `--check FILE` compares it with the lab's curve file
// (src/io/gan2d-curve.ts).
import { validateGan2dConfig, type Gan2dConfig } from '../gan2d/config.ts';
import { GAN2D_ADAM_BETAS, gan2dOptimizer, REAL_POOL } from '../gan2d/setup.ts';
import { GAN2D_ITERATIONS_PER_SUBMIT, MEASURE_SAMPLES } from '../gan2d/trainer.ts';
import { PY_GAN2D_CHECK, PY_GAN2D_DATA } from './export-py-gan2d.ts';
import { PY_RNG } from './export-py-random.ts';
import { PY_BATCH_ORDER } from './export-py-training.ts';
import { PY_INIT } from './export-py-weights.ts';
import { CHECK_TOLERANCE, pyFloat, pyInt, pyList, pyString } from './export-python.ts';
import { pythonScript } from './export-script-parts.ts';

/** The script's default `--iterations`: the lab's "it works" preset trains 5,000. */
export const GAN2D_SCRIPT_ITERATIONS = 5000;

/**
 * Iterations `--check` judges one by one by default in a curve from a float32 backend (WebGPU,
 * the fast CPU): one chunk. Measured against the fast CPU backend's curves of 15 configs (the
 * presets, each loss, five least-squares seeds, Adam at 5e-2, SGD with leaky ReLU, other sets):
 * float32 rounding that the two float32 runs do not share parts them (beyond the tolerance) from
 * iteration 22 on in the earliest two, 29 to 163 in five others, not within 200 in eight. A curve
 * from the float64 reference is judged on every iteration: the script's float64 twin stayed
 * within 1.5e-15 of it over 1,000 iterations of the default.
 */
export const GAN2D_CHECK_ITERATIONS = 16;
/** Options of gan2dPytorchScript. */
export interface Gan2dScriptOptions {
  /** Default of `--iterations` (e.g. the lab's iteration count); GAN2D_SCRIPT_ITERATIONS when absent. */
  iterations?: number;
}

/** What the script does not reproduce, and why. */
const LEFT_OUT = [
  "the lab's pictures (D's heatmap, G's grid, the arrows) and its KL, JS and mode measures: --save-samples writes the points for other tools",
  "D-only and G-only steps taken in the lab: only --check replays them, from the curve file's record of the run's draws",
  'several processes (torchrun) and GPUs: networks this small train fastest on one CPU thread',
];

/** Section 1: the GAN's settings, as literals; CONFIG_JSON is what --check compares. */
function settings(c: Gan2dConfig, iterations: number): string {
  const opt = (o: Gan2dConfig['g']) => `${pyString(o.kind)}, ${pyFloat(o.learningRate)}`;
  const drawn = c.drawn.map(([x, y]) => `(${pyFloat(x)}, ${pyFloat(y)})`);
  const drawnLines: string[] = [];
  for (let i = 0; i < drawn.length; i += 6) drawnLines.push(`    ${drawn.slice(i, i + 6).join(', ')},`);
  return `# ---------------------------------------------------------------------------
# 1. The 2-D GAN, as it was set in the lab
# ---------------------------------------------------------------------------
# The lab's settings as JSON: a curve file must hold the same for --check to compare with it.
CONFIG_JSON = ${pyString(JSON.stringify(c))}
SEED = ${pyInt(c.seed)}
DATASET = ${pyString(c.dataset)}  # the real distribution: line, gaussians, ring, grid, circle, spiral or drawn
# The reader's points, in [-1, 1]^2 (the drawn set picks one and adds N(0, CURVE_NOISE^2) per axis).
DRAWN = [${drawnLines.length ? `\n${drawnLines.join('\n')}\n` : ''}]
LATENT = ${pyInt(c.latent)}  # size of z
LATENT_DISTRIBUTION = ${pyString(c.latentDistribution)}  # "uniform": U(-1, 1), "gaussian": N(0, 1), per coordinate
G_HIDDEN = ${pyList(c.generator.map(pyInt))}  # generator: LATENT -> G_HIDDEN... -> 2 linear outputs (a point)
D_HIDDEN = ${pyList(c.discriminator.map(pyInt))}  # discriminator: 2 -> D_HIDDEN... -> 1 (a logit; least squares: a raw score)
ACTIVATION = ${pyString(c.activation)}  # hidden activation of both networks
G_OPTIMIZER, G_LEARNING_RATE = ${opt(c.g)}
D_OPTIMIZER, D_LEARNING_RATE = ${opt(c.d)}
# Adam of either network: epsilon is added after the bias correction, as torch.optim.Adam adds it.
ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON = ${pyFloat(GAN2D_ADAM_BETAS.beta1)}, ${pyFloat(GAN2D_ADAM_BETAS.beta2)}, ${pyFloat(gan2dOptimizer(c.g).epsilon)}
BATCH = ${pyInt(c.batch)}  # fake and real points per D step, latent vectors per G step
D_STEPS = ${pyInt(c.dSteps)}  # D steps per G step
# non_saturating: G minimizes -log D(G(z)); minimax: log(1 - D(G(z))); both train D by binary
# cross-entropy. least_squares (LSGAN): D minimizes the mean over its 2 * BATCH rows of
# (D(x) - 1)^2 and D(G(z))^2, G the mean of (D(G(z)) - 1)^2.
LOSS = ${pyString(c.loss)}
ITERATIONS = ${pyInt(iterations)}  # default of --iterations
CHUNK = ${pyInt(GAN2D_ITERATIONS_PER_SUBMIT)}  # the lab draws the batches and latents of this many iterations at a time
REAL_POOL = ${pyInt(REAL_POOL)}  # real points D trains on: a fixed pool drawn from SEED
MEASURE_SAMPLES = ${pyInt(MEASURE_SAMPLES)}  # points of each kind --save-samples writes
# --check: the float64 twin within CHECK_ATOL + max(CHECK_RTOL * |value|, CHECK_BAND * |float32 - float64|) of the lab's.
# --check judges every iteration of a curve from the lab's float64 reference, and the first
# CHECK_ITERATIONS of one from a float32 backend (--check-iterations changes either): rounding that
# two float32 runs do not share, amplified by the GAN, parts them after some dozens of iterations.
CHECK_ITERATIONS = ${pyInt(GAN2D_CHECK_ITERATIONS)}
CHECK_RTOL, CHECK_ATOL, CHECK_BAND = ${pyFloat(CHECK_TOLERANCE.rtol)}, ${pyFloat(CHECK_TOLERANCE.atol)}, ${pyFloat(CHECK_TOLERANCE.band)}

# What this script does not reproduce, and why (also printed when it runs).
LEFT_OUT = ${pyList(LEFT_OUT.map(pyString))}


def parse_args(argv=None):
    """The command line; run with --help to see it."""
    parser = argparse.ArgumentParser(description="Train the shaderprop 2-D GAN lab's GAN with PyTorch.")
    parser.add_argument("--iterations", type=int, help=f"iterations to train (default {ITERATIONS}; with --check, the curve's)")
    parser.add_argument("--log-every", type=int, default=500, help="print the losses every this many iterations")
    parser.add_argument("--check", metavar="FILE", help="the lab's curve file: replay its run, exit 1 unless its first --check-iterations match")
    parser.add_argument("--check-iterations", type=int, metavar="N",
                        help=f"with --check: judge the first N iterations (default: all of a float64 curve, {CHECK_ITERATIONS} of a float32 one)")
    parser.add_argument("--save-curve", metavar="FILE", help="write this run's curve in the lab's format")
    parser.add_argument("--save-samples", metavar="CSV", help="write x,y,kind: the lab's measuring real sample and as many fakes")
    return parser.parse_args(argv)
`;
}

/** The networks, the training step and main, in PyTorch. */
const TORCH_GAN2D = String.raw`

class Stack(nn.Module):
    """Dense layers with the lab's activations; layers.N.weight is [out, in]."""

    def __init__(self, layers):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(a, b) for a, b, _ in layers])
        self.activations = [name for _, _, name in layers]

    def forward(self, x):
        for layer, name in zip(self.layers, self.activations):
            x = layer(x)
            x = torch.relu(x) if name == "relu" else F.leaky_relu(x, LEAKY_SLOPE) if name == "leaky_relu" else torch.tanh(x) if name == "tanh" else x
        return x


def network_layers(role):
    """(inputs, units, activation) of each layer of the generator or the discriminator."""
    sizes = [LATENT] + G_HIDDEN + [2] if role == "generator" else [2] + D_HIDDEN + [1]
    return list(zip(sizes[:-1], sizes[1:], [ACTIVATION] * (len(sizes) - 2) + ["linear"]))


def optimizer(net, kind, lr):
    if kind == "sgd":
        return torch.optim.SGD(net.parameters(), lr=lr)
    return torch.optim.Adam(net.parameters(), lr=lr, betas=(ADAM_BETA1, ADAM_BETA2), eps=ADAM_EPSILON)


class Gan:
    """G and D from the lab's initial weights (initParams from SEED, and SEED ^ 0x9E3779B9 for D),
    with their optimizers, in one dtype (float32; --check trains a float64 twin as well)."""

    def __init__(self, dtype):
        self.dtype = dtype
        self.g, self.d = Stack(network_layers("generator")), Stack(network_layers("discriminator"))
        for net, role, seed in ((self.g, "generator", SEED), (self.d, "discriminator", SEED ^ 0x9E3779B9)):
            net.load_state_dict({k: torch.from_numpy(v) for k, v in playground_init(network_layers(role), seed).items()})
            net.to(dtype)
        self.g_opt = optimizer(self.g, G_OPTIMIZER, G_LEARNING_RATE)
        self.d_opt = optimizer(self.d, D_OPTIMIZER, D_LEARNING_RATE)

    def tensor(self, a):
        return torch.from_numpy(np.ascontiguousarray(a)).to(self.dtype)

    def d_steps(self, real, z_d):
        """D_STEPS steps, each on BATCH fakes G(z) (target 0) then BATCH real points (target 1),
        its loss the mean over the 2 * BATCH rows. Means over the steps of the loss, accuracy, D(x)."""
        target = torch.cat([torch.zeros(BATCH), torch.ones(BATCH)]).to(self.dtype)
        loss = accuracy = d_real = 0.0
        for j in range(D_STEPS):
            with torch.no_grad():
                fake = self.g(self.tensor(z_d[j]))
            out = self.d(torch.cat([fake, self.tensor(real[j])]))[:, 0]
            if LOSS == "least_squares":
                rows, said, threshold = (out - target) ** 2, out, 0.5
            else:
                rows, said, threshold = F.binary_cross_entropy_with_logits(out, target, reduction="none"), torch.sigmoid(out), 0.0
            self.d_opt.zero_grad()
            rows.mean().backward()
            self.d_opt.step()
            loss += rows.mean().item()
            accuracy += ((out > threshold) == (target > 0.5)).double().mean().item()
            d_real += said[BATCH:].mean().item()
        return {"dLoss": loss / D_STEPS, "dAccuracy": accuracy / D_STEPS, "dReal": d_real / D_STEPS}

    def g_step(self, z_g):
        """One G step through D (which does not move): the mean over BATCH rows of LOSS's G loss."""
        for p in self.d.parameters():
            p.requires_grad_(False)
        out = self.d(self.g(self.tensor(z_g)))[:, 0]
        if LOSS == "least_squares":
            rows, said = (out - 1) ** 2, out
        elif LOSS == "non_saturating":
            rows, said = F.softplus(-out), torch.sigmoid(out)
        else:
            rows, said = -F.softplus(out), torch.sigmoid(out)
        self.g_opt.zero_grad()
        rows.mean().backward()
        self.g_opt.step()
        for p in self.d.parameters():
            p.requires_grad_(True)
        return {"gLoss": rows.mean().item(), "dFake": said.mean().item()}

    def iteration(self, real, z_d, z_g, part=None):
        """One iteration, or only its D steps or only its G step (part); NaN for what did not run."""
        m = dict.fromkeys(METRICS, math.nan)
        if part != "generator":
            m.update(self.d_steps(real, z_d))
        if part != "discriminator":
            m.update(self.g_step(z_g))
        return m


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(1)
    for item in LEFT_OUT:
        say(f"LEFT OUT: {item}")
    curve = read_curve(args.check) if args.check else None
    limit = args.iterations if args.iterations is not None else curve["iterations"] if curve else ITERATIONS
    draws = curve["draws"] if curve else whole_chunks(limit)
    pool = real_pool()
    gans = [Gan(torch.float32)] + ([Gan(torch.float64)] if curve else [])
    histories, taken, done, streams = [[] for _ in gans], [], 0, LabStreams()
    say(f"{DATASET}: {REAL_POOL} real points; {limit} iterations of G {G_HIDDEN} and D {D_HIDDEN}, {LOSS} loss"
        f"{'; and a float64 twin, to measure what float32 rounding does' if curve else ''}")
    for draw in draws:
        if done >= limit:
            break
        part = draw if isinstance(draw, str) else None
        n = 1 if part else draw
        real, z_d, z_g = streams.chunk(n)
        taken.append(draw)
        for i in range(1 if part else min(n, limit - done)):
            for gan, history in zip(gans, histories):
                m = gan.iteration(pool[real[i]], z_d[i], z_g[i], part)
                if not part:
                    history.append(m)
            if part:
                continue
            done += 1
            m = histories[0][-1]
            if not (math.isfinite(m["dLoss"]) and math.isfinite(m["gLoss"])):
                say(f"the GAN diverged at iteration {done}: a loss became NaN or infinite (as the lab stops)")
                return 1
            if done % max(1, args.log_every) == 0 or done == limit:
                say(f"iteration {done:6d}  D loss {m['dLoss']:.6f}  G loss {m['gLoss']:.6f}  D(x) {m['dReal']:.4f}  D(G(z)) {m['dFake']:.4f}")
    if args.save_curve:
        write_curve(args.save_curve, histories[0], taken)
    if args.save_samples:
        with torch.no_grad():
            fakes = gans[0].g(gans[0].tensor(measure_latents(MEASURE_SAMPLES))).numpy()
        samples_csv(args.save_samples, measure_real(), fakes)
    if curve:
        window = args.check_iterations if args.check_iterations is not None else check_window(curve)
        return 0 if check_curve(curve, histories[0], histories[1], window) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
`;

/**
 * A complete, commented PyTorch script that repeats the 2-D GAN lab's run of `config`: the real
 * pool from the seed (drawn points embedded), the initial weights, the batches, latent vectors
 * and chunks of GanTrainer, the networks, SGD or Adam per network, D steps per G step and the
 * loss. `--check FILE` replays a curve file of gan2dCurveJson (src/io/gan2d-curve.ts), D-only and
 * G-only steps included, and exits 1 unless every iteration matches. Throws a ConfigError for a
 * bad config.
 */
export function gan2dPytorchScript(config: Gan2dConfig, options: Gan2dScriptOptions = {}): string {
  validateGan2dConfig(config);
  const iterations = options.iterations ?? GAN2D_SCRIPT_ITERATIONS;
  return pythonScript({
    summary: `Train the shaderprop 2-D GAN lab's GAN with PyTorch: the same real points, the same initial
weights, the same batches and latent vectors in the same order, the same networks, optimizers and
loss, so the iterations repeat the lab's (to float32 rounding).`,
    requires: 'torch',
    weightFiles: false,
    usage: `    python shaderprop_gan2d_pytorch.py                       # ITERATIONS iterations, the losses as it goes
    python shaderprop_gan2d_pytorch.py --check curve.json    # replay the lab's run and compare its first iterations
    python shaderprop_gan2d_pytorch.py --iterations 2000 --save-samples samples.csv --save-curve mine.json
What stays exact: the real pool (DATASET's sampler on the lab's random generator, or the drawn
points), the initial weights, the real batches and the latent vectors, and the chunks the lab
draws them in. What differs is float32 rounding: the lab's float64 reference, its float32 CPU
and GPU sum in other orders, and a GAN amplifies small differences, so two runs part after some
dozens or hundreds of iterations. --check judges every iteration of a curve from the lab's float64
reference and the first CHECK_ITERATIONS of a float32 one (a float64 twin of this run against the
lab's values, with a tolerance that grows with what rounding does to this run), and reports the rest.
`,
    leftOut: LEFT_OUT,
    stdlib: ['import argparse', 'import decimal', 'import json', 'import math', 'import os', 'import sys'],
    imports: ['import torch', 'import torch.nn.functional as F', 'from torch import nn'],
    settings: settings(config, iterations),
    sections: [
      ["2. The lab's random numbers, real points, batches and latent vectors", PY_RNG + PY_BATCH_ORDER + PY_GAN2D_DATA],
      ["3. The lab's initial weights and its curve file", PY_INIT + PY_GAN2D_CHECK],
      ['4. The networks and the training loop in PyTorch', TORCH_GAN2D],
    ],
  });
}
