import type { BackendChoice } from '../config/experiment.ts';
import type { LoadedData } from '../data/load.ts';
import type { GpuContext } from '../gpu/device.ts';
import { ConfigError } from '../config/errors.ts';
import type { GanBackend } from './gan-backend.ts';
import { chooseGanBackend } from './gan-choice.ts';
import { IMAGE_PIXELS, initGan, SMALL_GAN, type GanConfig } from './gan-config.ts';
import { GanTrainer } from './gan-trainer.ts';

/** Fewest training images of the minority class a GAN is trained on. */
export const GAN_OVERSAMPLE_MIN_IMAGES = 8;
/** Synthetic images shown in the UI. */
export const GAN_PREVIEW_IMAGES = 16;

/** What GAN oversampling added to the training split. */
export interface GanOversampleReport {
  /** The class that had the fewest training images. */
  classIndex: number;
  /** Its real training images, and the synthetic ones added to reach the largest class. */
  real: number;
  added: number;
  iterations: number;
  backend: 'webgpu' | 'cpu';
  /** The first GAN_PREVIEW_IMAGES synthetic images, pixels in [0, 1]. */
  preview: Float32Array;
}

/**
 * Oversamples the minority class of an MNIST experiment with a GAN: trains the small GAN preset
 * for `iterations` on the training split's images of the class with the fewest training rows
 * (and only those, so the samples need no labelling and nothing leaks from validation or test),
 * then appends as many generated images, labelled with that class, as it takes to match the
 * largest class. The new rows join the training split only.
 */
export async function ganOversample(
  data: LoadedData,
  opts: { iterations: number; seed: number; backend: BackendChoice },
  gpu: () => Promise<GpuContext>,
): Promise<{ data: LoadedData; report: GanOversampleReport }> {
  const { table, splits } = data;
  if (table.inputSize !== IMAGE_PIXELS)
    throw new ConfigError('remedies.ganOversample', `GAN oversampling generates 28×28 images (MNIST); this data has ${table.inputSize} features`);
  const classes = data.classNames.length;
  const counts = new Array<number>(classes).fill(0);
  for (const r of splits.train) counts[table.labels[r]!]!++;
  const present = counts.map((n, c) => ({ n, c })).filter((x) => x.n > 0);
  const minority = present.reduce((a, b) => (b.n < a.n || (b.n === a.n && b.c > a.c) ? b : a));
  const largest = Math.max(...counts);
  const deficit = largest - minority.n;
  if (minority.n < GAN_OVERSAMPLE_MIN_IMAGES) {
    throw new ConfigError(
      'remedies.ganOversample',
      `class ${data.classNames[minority.c]} has ${minority.n} training images; a GAN needs at least ${GAN_OVERSAMPLE_MIN_IMAGES}`,
    );
  }
  const rows = splits.train.filter((r) => table.labels[r] === minority.c);
  const images = new Uint8Array(rows.length * IMAGE_PIXELS);
  rows.forEach((r, i) => {
    for (let k = 0; k < IMAGE_PIXELS; k++) images[i * IMAGE_PIXELS + k] = Math.round(table.features[r * IMAGE_PIXELS + k]! * 255);
  });
  const config: GanConfig = { ...SMALL_GAN, batch: Math.min(SMALL_GAN.batch, rows.length), seed: opts.seed };
  const backend = await ganBackend(config, images, opts.backend, gpu);
  try {
    const trainer = new GanTrainer(backend, config, rows.length);
    await trainer.train(opts.iterations);
    const generated = deficit > 0 ? await trainer.fresh(deficit) : new Float32Array(0);
    const pixels = generated.map((v) => Math.min(1, Math.max(0, (v + 1) / 2)));
    return {
      data: appendTrainingRows(data, pixels, minority.c, deficit),
      report: {
        classIndex: minority.c,
        real: minority.n,
        added: deficit,
        iterations: opts.iterations,
        backend: backend.kind,
        preview: pixels.slice(0, GAN_PREVIEW_IMAGES * IMAGE_PIXELS),
      },
    };
  } finally {
    backend.dispose();
  }
}

async function ganBackend(config: GanConfig, images: Uint8Array, choice: BackendChoice, gpu: () => Promise<GpuContext>): Promise<GanBackend> {
  return (await chooseGanBackend({ config, images, params: initGan(config) }, choice, gpu)).backend;
}

/** The data with `count` rows of `pixels` labelled `label` appended to the table and the training split. */
function appendTrainingRows(data: LoadedData, pixels: Float32Array, label: number, count: number): LoadedData {
  if (count === 0) return data;
  const { table, dataset, splits } = data;
  const before = table.labels.length;
  const features = new Float32Array((before + count) * IMAGE_PIXELS);
  features.set(table.features);
  features.set(pixels, before * IMAGE_PIXELS);
  const labels = new Uint32Array(before + count);
  labels.set(table.labels);
  labels.fill(label, before);
  const train = new Uint32Array(splits.train.length + count);
  train.set(splits.train);
  for (let i = 0; i < count; i++) train[splits.train.length + i] = before + i;
  return {
    ...data,
    table: { ...table, features, labels },
    // MNIST features are not standardized, so the table's pixels are the engine's inputs.
    dataset: { ...dataset, features, targets: Float32Array.from(labels), rows: before + count },
    splits: { ...splits, train },
  };
}
