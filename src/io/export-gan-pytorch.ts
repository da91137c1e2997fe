// Code export: a PyTorch script for the GAN lab's GAN as configured. It starts from the lab's
// initial weights or from "Save G and D" files, trains with the lab's losses, Adam settings, k
// discriminator steps, label smoothing, real batches and latent vectors, and saves files the lab
// loads. It runs alone or under torchrun (DistributedDataParallel, gloo on CPUs, nccl on GPUs).
import type { GanConfig } from '../train/gan-config.ts';
import { ganScript } from './export-gan-python.ts';
import { TORCH_IMPORTS, TORCH_RUN, TORCHRUN_NOTE } from './export-torch-run.ts';

const TORCH_GAN = String.raw`

class Stack(nn.Module):
    """Dense layers with the lab's activations; layers.N.weight is [out, in] as in its files."""

    def __init__(self, role):
        super().__init__()
        layers = gan_layers(role)
        self.layers = nn.ModuleList([nn.Linear(a, b) for a, b, _ in layers])
        self.activations = [name for _, _, name in layers]

    def forward(self, x):
        for layer, name in zip(self.layers, self.activations):
            x = layer(x)
            x = torch.relu(x) if name == "relu" else F.leaky_relu(x, LEAKY_SLOPE) if name == "leaky_relu" else torch.tanh(x) if name == "tanh" else x
        return x


def d_step(g, d_model, d_opt, z, real, images, run):
    """One discriminator step: fakes G(z) then real images, targets 0 and 1 - LABEL_SMOOTHING,
    mean binary cross-entropy over the 2 * BATCH rows. Returns (loss sum, sum of D(x))."""
    lo, hi = run.share(BATCH)
    with torch.no_grad():
        fake = g(torch.from_numpy(z[lo:hi]).to(run.device))
    x = torch.cat([fake, torch.from_numpy(PIXELS[images[real[lo:hi]]]).to(run.device)])
    n = hi - lo
    targets = torch.cat([torch.zeros(n), torch.full((n,), 1 - LABEL_SMOOTHING)]).to(run.device)
    logits = d_model(x)[:, 0]
    losses = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    d_opt.zero_grad()
    (losses.sum() * (run.world / (2 * BATCH))).backward()
    d_opt.step()
    return losses.sum().item(), torch.sigmoid(logits[n:]).sum().item()


def g_step(g_model, d, g_opt, z, run):
    """One generator step through D, which is not updated: -log D(G(z)) (non-saturating) or
    log(1 - D(G(z))) (minimax), mean over BATCH rows. Returns (loss sum, sum of D(G(z)))."""
    for p in d.parameters():
        p.requires_grad_(False)
    lo, hi = run.share(BATCH)
    logits = d(g_model(torch.from_numpy(z[lo:hi]).to(run.device)))[:, 0]
    losses = F.softplus(-logits) if NON_SATURATING else -F.softplus(logits)
    g_opt.zero_grad()
    (losses.sum() * (run.world / BATCH)).backward()
    g_opt.step()
    for p in d.parameters():
        p.requires_grad_(True)
    return losses.sum().item(), torch.sigmoid(logits).sum().item()


def main(argv=None):
    args = parse_args(argv)
    run = Run()
    for item in LEFT_OUT:
        say(f"LEFT OUT: {item}")
    images = load_images(args.mnist)
    nets, done = {}, 0
    for role, path in (("generator", args.generator), ("discriminator", args.discriminator)):
        tensors, trained = start_weights(path, role)
        done = max(done, trained)
        nets[role] = Stack(role).to(run.device)
        nets[role].load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in tensors.items()})
    g, d = nets["generator"], nets["discriminator"]
    g_model, d_model = run.wrap(g), run.wrap(d)
    g_opt = torch.optim.Adam(g.parameters(), lr=G_LEARNING_RATE, betas=(G_BETA1, G_BETA2), eps=EPSILON)
    d_opt = torch.optim.Adam(d.parameters(), lr=D_LEARNING_RATE, betas=(D_BETA1, D_BETA2), eps=EPSILON)
    say(f"{len(images)} MNIST images; {run.world} process(es) on {run.device}")
    streams, iteration = LabStreams(len(images)), 0
    while iteration < args.iterations:
        n = min(CHUNK, args.iterations - iteration)
        real, z_d, z_g = streams.chunk(n)
        for i in range(n):
            d_loss = d_real = 0.0
            for j in range(D_STEPS):
                loss, real_score = d_step(g, d_model, d_opt, z_d[i, j], np.array(real[i * D_STEPS + j]), images, run)
                d_loss, d_real = d_loss + loss, d_real + real_score
            g_loss, d_fake = g_step(g_model, d, g_opt, z_g[i], run)
            d_loss, d_real, g_loss, d_fake = run.total(d_loss, d_real, g_loss, d_fake)
            iteration += 1
            if iteration % max(1, args.log_every) == 0 or iteration == args.iterations:
                say(f"iteration {done + iteration:6d}  D loss {d_loss / (2 * BATCH * D_STEPS):.6f}  G loss {g_loss / BATCH:.6f}  "
                    f"D(x) {d_real / (BATCH * D_STEPS):.4f}  D(G(z)) {d_fake / BATCH:.4f}")
    if run.rank == 0:
        for role, path in (("generator", args.save_generator), ("discriminator", args.save_discriminator)):
            if path:
                save_weights(path, role, {k: v.detach().cpu().numpy() for k, v in nets[role].state_dict().items()}, done + iteration)
    run.close()
    return 0


if __name__ == "__main__":
    run_main(main)
`;

/**
 * A complete, commented PyTorch script for the GAN lab's GAN as configured in `config`: G and D,
 * their losses, Adam settings, k D steps and label smoothing, the lab's initial weights, real
 * batches and latent vectors. Loads and saves "Save G and D" files; runs under torchrun.
 */
export function ganPytorchScript(config: GanConfig): string {
  return ganScript(config, {
    id: 'pytorch',
    name: 'PyTorch',
    summary: `Train the shaderprop GAN lab's GAN with PyTorch: the lab's generator and discriminator, losses,
Adam settings, k discriminator steps and label smoothing, from the lab's initial weights or its
"Save G and D" files, on the same real batches and latent vectors the lab draws.`,
    requires: 'torch',
    usage: `    python shaderprop_gan_pytorch.py --mnist MNIST_DIR --save-generator g.safetensors --save-discriminator d.safetensors
    python shaderprop_gan_pytorch.py --mnist MNIST_DIR --generator shaderprop-generator.safetensors
        --discriminator shaderprop-discriminator.safetensors --iterations 2000 --save-generator g.safetensors
    torchrun --nproc_per_node=4 shaderprop_gan_pytorch.py --mnist MNIST_DIR   # DDP: gloo on CPUs, nccl on GPUs
${TORCHRUN_NOTE}From the lab's initial weights the first iterations repeat the lab's own (to float32 rounding);
drawing the lab's latent vectors with its generator costs some Python time per iteration.
`,
    stdlib: TORCH_IMPORTS.stdlib,
    imports: TORCH_IMPORTS.packages,
    sections: [['4. The networks and the training loop in PyTorch, alone or under torchrun', TORCH_RUN + TORCH_GAN]],
  });
}
