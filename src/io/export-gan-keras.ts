// Code export: a Keras (TensorFlow 2) script for the GAN lab's GAN as configured, the twin of
// export-gan-pytorch.ts in one process. TensorFlow is imported inside main(), so the NumPy parts
// (random numbers, batches, latent vectors, weight files) run and can be tested without it.
import type { GanConfig } from '../train/gan-config.ts';
import { ganScript } from './export-gan-python.ts';

const KERAS_GAN = String.raw`

tf = keras = None


def import_tensorflow():
    """TensorFlow is imported here, not at the top, so the NumPy parts above work without it."""
    global tf, keras
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow

    tf, keras = tensorflow, tensorflow.keras


def build(role, tensors):
    """The network's Dense layers holding the given weights (a Keras kernel is [in, out], the
    file's [out, in] transposed)."""
    layers = []
    for n, (inputs, units, _) in enumerate(gan_layers(role)):
        dense = keras.layers.Dense(units, name=f"{role}_{n}")
        dense.build((None, inputs))
        dense.set_weights([tensors[f"layers.{n}.weight"].T, tensors[f"layers.{n}.bias"]])
        layers.append(dense)
    return layers


def forward(role, layers, x):
    for dense, (_, _, name) in zip(layers, gan_layers(role)):
        x = dense(x)
        if name == "relu":
            x = tf.nn.relu(x)
        elif name == "leaky_relu":
            x = tf.nn.leaky_relu(x, alpha=LEAKY_SLOPE)
        elif name == "tanh":
            x = tf.math.tanh(x)
    return x


class Adam:
    """The lab's Adam (src/reference/optimizer.ts): epsilon added after the bias correction,
    where Keras' own Adam adds it inside (a small difference, but a difference)."""

    def __init__(self, variables, lr, beta1, beta2):
        self.variables, self.lr, self.beta1, self.beta2, self.t = variables, lr, beta1, beta2, 0
        self.m = [tf.zeros_like(tf.convert_to_tensor(v)) for v in variables]
        self.v = [tf.zeros_like(tf.convert_to_tensor(v)) for v in variables]

    def apply(self, grads):
        self.t += 1
        bc1, bc2 = 1 - self.beta1 ** self.t, 1 - self.beta2 ** self.t
        for k, (var, g) in enumerate(zip(self.variables, grads)):
            self.m[k] = self.beta1 * self.m[k] + (1 - self.beta1) * g
            self.v[k] = self.beta2 * self.v[k] + (1 - self.beta2) * g * g
            var.assign(tf.convert_to_tensor(var) - self.lr * (self.m[k] / bc1) / (tf.sqrt(self.v[k] / bc2) + EPSILON))


def variables_of(layers):
    return [v for dense in layers for v in (dense.kernel, dense.bias)]


def d_step(g, d, d_opt, z, real):
    """One discriminator step: fakes G(z) then real images, targets 0 and 1 - LABEL_SMOOTHING,
    mean binary cross-entropy over the 2 * BATCH rows. Returns (mean loss, mean D(x))."""
    fake = forward("generator", g, tf.constant(z))
    x = tf.concat([fake, tf.constant(real)], axis=0)
    targets = tf.constant(np.concatenate([np.zeros(BATCH), np.full(BATCH, 1 - LABEL_SMOOTHING)]).astype(np.float32))
    with tf.GradientTape() as tape:
        logits = forward("discriminator", d, x)[:, 0]
        loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=targets, logits=logits))
    d_opt.apply(tape.gradient(loss, d_opt.variables))
    return float(loss), float(tf.reduce_mean(tf.math.sigmoid(logits[BATCH:])))


def g_step(g, d, g_opt, z):
    """One generator step through D, which is not updated: -log D(G(z)) (non-saturating) or
    log(1 - D(G(z))) (minimax), mean over BATCH rows. Returns (mean loss, mean D(G(z)))."""
    with tf.GradientTape() as tape:
        logits = forward("discriminator", d, forward("generator", g, tf.constant(z)))[:, 0]
        loss = tf.reduce_mean(tf.nn.softplus(-logits) if NON_SATURATING else -tf.nn.softplus(logits))
    g_opt.apply(tape.gradient(loss, g_opt.variables))
    return float(loss), float(tf.reduce_mean(tf.math.sigmoid(logits)))


def main(argv=None):
    args = parse_args(argv)
    for item in LEFT_OUT:
        say(f"LEFT OUT: {item}")
    images = load_images(args.mnist)
    (g_tensors, g_done), (d_tensors, d_done) = start_weights(args.generator, "generator"), start_weights(args.discriminator, "discriminator")
    done = max(g_done, d_done)
    import_tensorflow()
    g, d = build("generator", g_tensors), build("discriminator", d_tensors)
    g_opt = Adam(variables_of(g), G_LEARNING_RATE, G_BETA1, G_BETA2)
    d_opt = Adam(variables_of(d), D_LEARNING_RATE, D_BETA1, D_BETA2)
    say(f"{len(images)} MNIST images")
    streams, iteration = LabStreams(len(images)), 0
    while iteration < args.iterations:
        n = min(CHUNK, args.iterations - iteration)
        real, z_d, z_g = streams.chunk(n)
        for i in range(n):
            d_loss = d_real = 0.0
            for j in range(D_STEPS):
                loss, real_score = d_step(g, d, d_opt, z_d[i, j], PIXELS[images[np.array(real[i * D_STEPS + j])]])
                d_loss, d_real = d_loss + loss / D_STEPS, d_real + real_score / D_STEPS
            g_loss, d_fake = g_step(g, d, g_opt, z_g[i])
            iteration += 1
            if iteration % max(1, args.log_every) == 0 or iteration == args.iterations:
                say(f"iteration {done + iteration:6d}  D loss {d_loss:.6f}  G loss {g_loss:.6f}  D(x) {d_real:.4f}  D(G(z)) {d_fake:.4f}")
    for role, layers, path in (("generator", g, args.save_generator), ("discriminator", d, args.save_discriminator)):
        if path:
            tensors = {}
            for n, dense in enumerate(layers):
                kernel, bias = dense.get_weights()
                tensors[f"layers.{n}.weight"], tensors[f"layers.{n}.bias"] = kernel.T, bias
            save_weights(path, role, tensors, done + iteration)
    return 0


if __name__ == "__main__":
    sys.exit(main())
`;

/**
 * A complete, commented Keras script for the GAN lab's GAN as configured in `config`, like
 * `ganPytorchScript` in one process: loads and saves "Save G and D" files.
 */
export function ganKerasScript(config: GanConfig): string {
  return ganScript(config, {
    id: 'keras',
    name: 'Keras',
    summary: `Train the shaderprop GAN lab's GAN with Keras (TensorFlow 2): the lab's generator and
discriminator, losses, Adam settings, k discriminator steps and label smoothing, from the lab's
initial weights or its "Save G and D" files, on the same real batches and latent vectors.`,
    requires: 'tensorflow',
    usage: `    python shaderprop_gan_keras.py --mnist MNIST_DIR --save-generator g.safetensors --save-discriminator d.safetensors
    python shaderprop_gan_keras.py --mnist MNIST_DIR --generator shaderprop-generator.safetensors
        --discriminator shaderprop-discriminator.safetensors --iterations 2000 --save-generator g.safetensors
`,
    stdlib: [],
    imports: [],
    sections: [['4. The networks and the training loop in Keras', KERAS_GAN]],
  });
}
