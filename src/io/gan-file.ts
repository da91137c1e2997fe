// The GAN lab's "Save G and D" files and their loader. Each network is an ordinary model file
// (model-file.ts: PyTorch names and orientation, the network in `spec`), plus the GAN's settings
// as JSON under `gan` and the network's role under `gan_role`, so the lab (and the exported
// scripts, which write the same keys) can rebuild the GAN the weights belong to.
import { configErrorText } from '../config/errors.ts';
import { discriminatorSpec, generatorSpec, IMAGE_PIXELS, validateGanConfig, type GanConfig, type GanOptimizer } from '../train/gan-config.ts';
import { modelFromSafetensors, modelToSafetensors, type LoadedModel } from './model-file.ts';
import { decodeSafetensors, encodeSafetensors, ModelFileError, type NamedTensor } from './safetensors.ts';

/** Metadata keys a GAN network file adds to a model file. */
export const GAN_METADATA = { config: 'gan', role: 'gan_role' } as const;

/** Which network of the pair a file holds. */
export type GanRole = 'generator' | 'discriminator';

/** A GAN read back from its two files, ready for the lab to build and load. */
export interface LoadedGan {
  config: GanConfig;
  params: { g: Float32Array; d: Float32Array };
  /** Iterations the saved networks were trained for (the generator file's count). */
  iterations: number;
  /** Notes for the person loading the files (settings that fell back). */
  messages: string[];
}

/** The GAN's settings as the JSON both files carry (every field, nothing else). */
export function ganConfigJson(c: GanConfig): string {
  const opt = (o: GanOptimizer) => ({ learningRate: o.learningRate, beta1: o.beta1, beta2: o.beta2 });
  return JSON.stringify({
    latent: c.latent,
    generator: [...c.generator],
    discriminator: [...c.discriminator],
    activation: c.activation,
    batch: c.batch,
    dSteps: c.dSteps,
    labelSmoothing: c.labelSmoothing,
    nonSaturating: c.nonSaturating,
    g: opt(c.g),
    d: opt(c.d),
    seed: c.seed,
  });
}

/** One network as a file with the GAN's metadata added. */
function networkFile(role: GanRole, c: GanConfig, params: Float32Array, iterations: number): Uint8Array {
  const spec = role === 'generator' ? generatorSpec(c) : discriminatorSpec(c);
  const plain = decodeSafetensors(modelToSafetensors(spec, params, null, { epochs: 0, steps: iterations }));
  const tensors: NamedTensor[] = [...plain.tensors].map(([name, t]) => ({ name, shape: t.shape, data: t.data }));
  const metadata = Object.fromEntries(plain.metadata);
  return encodeSafetensors(tensors, { ...metadata, [GAN_METADATA.config]: ganConfigJson(c), [GAN_METADATA.role]: role });
}

/** "Save G and D": the generator's and the discriminator's files, each naming the GAN they belong to. */
export function ganToSafetensors(
  c: GanConfig,
  params: { g: Float32Array; d: Float32Array },
  iterations: number,
): { generator: Uint8Array; discriminator: Uint8Array } {
  validateGanConfig(c);
  return { generator: networkFile('generator', c, params.g, iterations), discriminator: networkFile('discriminator', c, params.d, iterations) };
}

/** The role a network's shape gives it: G ends in 784 pixel values, D reads 784 pixels into 1 logit. */
function roleOf(m: LoadedModel): GanRole | null {
  if (m.spec.outputSize === IMAGE_PIXELS && m.spec.loss === 'mse') return 'generator';
  if (m.spec.inputSize === IMAGE_PIXELS && m.spec.outputSize === 1 && m.spec.loss === 'sigmoid_bce') return 'discriminator';
  return null;
}

/** The saved GAN settings of a file, or null with a message when absent or not valid. */
function savedConfig(bytes: Uint8Array, fallback: GanConfig, messages: string[]): GanConfig {
  const text = decodeSafetensors(bytes).metadata.get(GAN_METADATA.config);
  if (text === undefined) {
    messages.push("The files do not carry the GAN settings (saved before they did): the lab's current optimizer, batch, k, smoothing and seed are used.");
    return fallback;
  }
  try {
    const o = JSON.parse(text) as Record<string, unknown>;
    const num = (v: unknown, d: number): number => (typeof v === 'number' ? v : d);
    const opt = (v: unknown, d: GanOptimizer): GanOptimizer => {
      const r = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
      return { learningRate: num(r.learningRate, d.learningRate), beta1: num(r.beta1, d.beta1), beta2: num(r.beta2, d.beta2) };
    };
    return validateGanConfig({
      ...fallback,
      batch: num(o.batch, fallback.batch),
      dSteps: num(o.dSteps, fallback.dSteps),
      labelSmoothing: num(o.labelSmoothing, fallback.labelSmoothing),
      nonSaturating: typeof o.nonSaturating === 'boolean' ? o.nonSaturating : fallback.nonSaturating,
      g: opt(o.g, fallback.g),
      d: opt(o.d, fallback.d),
      seed: num(o.seed, fallback.seed),
    });
  } catch (e) {
    messages.push(`The saved GAN settings are not valid (${e instanceof Error ? e.message : String(e)}); the lab's current ones are used.`);
    return fallback;
  }
}

/**
 * Reads the two files of "Save G and D" (or of an exported script's --save-*), in either order:
 * both are checked as untrusted model files, one must be a generator (→ 784 values) and the
 * other a discriminator (784 → 1) with the same hidden activation (relu or leaky relu), and G's
 * output width must be D's input. The GAN's shape comes from the weights; its other settings
 * from the files' `gan` metadata, else from `fallback` (the lab's current settings).
 */
export function ganFromSafetensors(first: Uint8Array, second: Uint8Array, fallback: GanConfig): LoadedGan {
  const models = [first, second].map((bytes) => ({ bytes, model: modelFromSafetensors(bytes) }));
  const g = models.find((m) => roleOf(m.model) === 'generator');
  const d = models.find((m) => roleOf(m.model) === 'discriminator');
  if (!g || !d || g === d) {
    throw new ModelFileError(
      'architecture',
      'choose two files: a generator (latent → … → 784 pixels) and a discriminator (784 pixels → … → 1), as "Save G and D" writes them',
    );
  }
  const acts = new Set([...g.model.spec.hidden, ...d.model.spec.hidden].map((l) => l.activation));
  const activation = [...acts][0] ?? fallback.activation;
  if (acts.size > 1 || (activation !== 'relu' && activation !== 'leaky_relu')) {
    throw new ModelFileError('architecture', `a GAN's hidden layers all use relu or all use leaky_relu; these files use ${[...acts].join(', ')}`);
  }
  const messages: string[] = [];
  const saved = savedConfig(g.bytes, fallback, messages);
  const config: GanConfig = {
    ...saved,
    latent: g.model.spec.inputSize,
    generator: g.model.spec.hidden.map((l) => l.units),
    discriminator: d.model.spec.hidden.map((l) => l.units),
    activation,
  };
  try {
    validateGanConfig(config);
  } catch (e) {
    throw new ModelFileError('architecture', `these networks are not a GAN the lab can train: ${configErrorText(e)}`);
  }
  return { config, params: { g: g.model.params, d: d.model.params }, iterations: g.model.training?.steps ?? 0, messages };
}
