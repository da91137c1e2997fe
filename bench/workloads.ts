// The benchmark workloads, defined once for every implementation (shaderprop and TensorFlow.js,
// in the browser and under Node), with seeded synthetic data so nothing is downloaded.
import type { ExperimentConfig } from '../src/config/experiment.ts';
import { decodeHash } from '../src/config/url.ts';
import type { TensorDataset } from '../src/data/dataset.ts';
import { DEFAULT_OPTIMIZER, type OptimizerConfig } from '../src/nn/optimizer.ts';
import { Rng } from '../src/nn/rng.ts';
import type { ModelSpec } from '../src/nn/spec.ts';
import { DEFAULT_GAN2D, type Gan2dConfig } from '../src/gan2d/config.ts';
import type { GanChunk } from '../src/train/gan-backend.ts';
import { ARTICLE_GAN, IMAGE_PIXELS, initGan, type GanConfig } from '../src/train/gan-config.ts';

/** Names of the workloads, in report order. */
export const WORKLOADS = [
  'iris-mlp',
  'mnist-mlp',
  'mnist-gan',
  'iris-sweep-64',
  'mnist-mlp-x8',
  'matmul-128',
  'matmul-512',
  'matmul-1024',
  'inside-spiral',
  'gan-2d',
  'gan-2d-x8',
] as const;
/** One workload name. */
export type WorkloadName = (typeof WORKLOADS)[number];

/** Names of the implementations, in report order; shaderprop-webgpu is the one ratios refer to. */
export const IMPLS = [
  'shaderprop-webgpu',
  'shaderprop-cpu',
  'shaderprop-cpu-pool',
  'shaderprop-auto',
  'shaderprop-reference',
  'tfjs-webgpu',
  'tfjs-webgl',
  'tfjs-wasm',
  'tfjs-cpu',
  'jaxjs-webgpu',
  'jaxjs-webgl',
  'jaxjs-wasm',
  'jaxjs-cpu',
] as const;
/** One implementation name. */
export type ImplName = (typeof IMPLS)[number];

/** Steps per submit and per readback, for shaderprop and TensorFlow.js alike. */
export const STEPS_PER_READBACK = 16;
/** Synthetic rows per training dataset: enough for random batches, small enough to upload fast. */
const DATASET_ROWS = 2048;
/** The seed of every workload's data and initial weights. */
export const BENCH_SEED = 42;

/** A classifier workload: one network trained with one optimizer on one dataset. */
export interface MlpWorkload {
  kind: 'mlp';
  spec: ModelSpec;
  batch: number;
  optimizer: OptimizerConfig;
  data: TensorDataset;
  /** Number of classes of the targets (2 for binary cross-entropy). */
  classes: number;
  /**
   * Models trained together (1 for a single model). A batched workload's unit is one step of
   * every model; model z has its own learning rate and initial weights (seed BENCH_SEED + z).
   */
  models: number;
  /** Model z's learning rate. */
  learningRates: number[];
}

/**
 * The article's GAN (ARTICLE_GAN: G 100→128 relu→256 relu→784 tanh, D 784→512 relu→256 relu→1,
 * Adam 2e-4 β1 0.5, batch 64) on synthetic MNIST-shaped images. One unit = one D step on the
 * batch's fakes and reals plus one G step.
 */
export interface GanWorkload {
  kind: 'gan';
  config: GanConfig;
  /** 8-bit images, DATASET_ROWS × 784, as the engine's GAN backends take MNIST. */
  images: Uint8Array;
  /** Initial arenas of G and D (initGan), shared by every implementation. */
  params: { g: Float32Array; d: Float32Array };
}

/** A square fp32 product C = A·B of size n. */
export interface MatmulWorkload {
  kind: 'matmul';
  n: number;
  a: Float32Array;
  b: Float32Array;
}

/**
 * The playground's own experiment trained through its Session (data, schedule, validation at each
 * epoch's end: what the engine worker runs), with the views the page refreshes while it trains:
 * the boundary and evaluations always, the neuron maps and the health panel on or off (issue 29).
 */
export interface ViewsWorkload {
  kind: 'views';
  /** The playground link the experiment comes from. */
  hash: string;
  /** decodeHash(hash): what the page builds from that link (backend set per cell). */
  config: ExperimentConfig;
  /** Shortest time between two view refreshes while training (EngineSession.refreshInterval). */
  refreshMs: number;
  /** The decision boundary's grid (EngineSession.refresh asks for 64²). */
  boundaryResolution: number;
  /** The neuron maps' grid (NEURON_MAP_RESOLUTION in components/playground/engine-session.ts). */
  mapResolution: number;
}

/** The 2-D GAN lab's default ring setup (issue 30): one GAN, or `variants` seeds side by side. */
export interface Gan2dWorkload {
  kind: 'gan2d';
  config: Gan2dConfig;
  variants: number;
}

/** Any workload. */
export type Workload = MlpWorkload | GanWorkload | MatmulWorkload | ViewsWorkload | Gan2dWorkload;

const relu = 'relu' as const;

/** Uniform floats in [lo, hi). */
function uniform(rng: Rng, n: number, lo: number, hi: number): Float32Array {
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());
}

/** A dataset of `width` features per row and class ids below `classes`. */
function classification(rng: Rng, width: number, classes: number, features: (n: number) => Float32Array): TensorDataset {
  const targets = Float32Array.from({ length: DATASET_ROWS }, () => rng.int(classes));
  return { features: features(DATASET_ROWS * width), targets, rows: DATASET_ROWS, inputSize: width, targetWidth: 1 };
}

/** `n` learning rates log-spaced from 1e-4 to 1e-1 (a sweep's); [1e-3] for one model. */
function rates(n: number): number[] {
  return n === 1 ? [DEFAULT_OPTIMIZER.learningRate] : Array.from({ length: n }, (_, z) => 1e-4 * 1000 ** (z / (n - 1)));
}

/** The Iris network of the article (4→64 relu→64 relu→3 softmax, Adam, batch 32), `models` at once. */
function irisMlp(rng: Rng, models: number): MlpWorkload {
  const spec: ModelSpec = {
    inputSize: 4,
    hidden: [
      { units: 64, activation: relu },
      { units: 64, activation: relu },
    ],
    outputSize: 3,
    loss: 'softmax_ce',
  };
  const data = classification(rng, 4, 3, (n) => Float32Array.from({ length: n }, () => rng.normal()));
  return { kind: 'mlp', spec, batch: 32, optimizer: { ...DEFAULT_OPTIMIZER }, data, classes: 3, models, learningRates: rates(models) };
}

/** 784→256 relu→10 softmax, Adam, batch 128, `models` at once. */
function mnistMlp(rng: Rng, models: number): MlpWorkload {
  const spec: ModelSpec = { inputSize: 784, hidden: [{ units: 256, activation: relu }], outputSize: 10, loss: 'softmax_ce' };
  const data = classification(rng, 784, 10, (n) => uniform(rng, n, 0, 1));
  return { kind: 'mlp', spec, batch: 128, optimizer: { ...DEFAULT_OPTIMIZER }, data, classes: 10, models, learningRates: rates(models) };
}

/**
 * Floating-point operations of one training step of one model: forward 2·B·in·out per layer, the
 * weight gradient as much again, and the input gradient of every layer but the first.
 */
export function stepFlops(spec: ModelSpec, batch: number): number {
  const sizes = [spec.inputSize, ...spec.hidden.map((l) => l.units), spec.outputSize];
  let flops = 0;
  for (let i = 0; i + 1 < sizes.length; i++) flops += 2 * batch * sizes[i]! * sizes[i + 1]! * (i === 0 ? 2 : 3);
  return flops;
}

/** Builds a workload's definition and its seeded synthetic data. */
export function makeWorkload(name: WorkloadName): Workload {
  const rng = new Rng(BENCH_SEED);
  switch (name) {
    case 'iris-mlp':
      return irisMlp(rng, 1);
    case 'iris-sweep-64':
      return irisMlp(rng, 64);
    case 'mnist-mlp':
      return mnistMlp(rng, 1);
    case 'mnist-mlp-x8':
      return mnistMlp(rng, 8);
    case 'mnist-gan': {
      const config: GanConfig = { ...ARTICLE_GAN, seed: BENCH_SEED };
      const images = Uint8Array.from({ length: DATASET_ROWS * IMAGE_PIXELS }, () => rng.int(256));
      return { kind: 'gan', config, images, params: initGan(config) };
    }
    case 'gan-2d':
      return { kind: 'gan2d', config: DEFAULT_GAN2D, variants: 1 };
    case 'gan-2d-x8':
      return { kind: 'gan2d', config: DEFAULT_GAN2D, variants: 8 };
    case 'inside-spiral': {
      // The link `ready` loads: 2→8 relu→8 relu→2 softmax, Adam 1e-3, batch 32, 400 points (240 to train).
      const hash = 'dataset=spiral&layers=8,8';
      return { kind: 'views', hash, config: decodeHash(hash).config, refreshMs: 400, boundaryResolution: 64, mapResolution: 32 };
    }
    default: {
      const n = Number(name.slice('matmul-'.length));
      return { kind: 'matmul', n, a: uniform(rng, n * n, -1, 1), b: uniform(rng, n * n, -1, 1) };
    }
  }
}

/**
 * What one unit of a workload computes and for how many models: a training step of every model
 * (stepFlops × models) or one matmul; null for the GAN and the views workload.
 */
export function unitFacts(w: Workload): { flops_per_unit: number | null; models: number } {
  if (w.kind === 'mlp') return { flops_per_unit: stepFlops(w.spec, w.batch) * w.models, models: w.models };
  if (w.kind === 'matmul') return { flops_per_unit: matmulFlops(w.n), models: 1 };
  // GAN: two networks make FLOP/s unhelpful; views: the unit is a step with the views' work around it.
  return { flops_per_unit: null, models: w.kind === 'gan2d' ? w.variants : 1 };
}

/** Floating-point operations of one matmul of size n (a multiply and an add per term). */
export function matmulFlops(n: number): number {
  return 2 * n ** 3;
}

/**
 * `count` ready-made batches of `batch` random row ids each, `steps` per chunk, generated before
 * timing so that neither side pays for index generation inside the measurement.
 */
export function batchChunks(rows: number, batch: number, steps: number, count: number, seed = BENCH_SEED): Uint32Array[] {
  const rng = new Rng(seed ^ 0x5eed);
  return Array.from({ length: count }, () => Uint32Array.from({ length: steps * batch }, () => rng.int(rows)));
}

/**
 * `count` ready-made GAN chunks of `iterations` iterations (one D step each): real image ids and
 * standard-normal latent vectors, the same for shaderprop and TensorFlow.js.
 */
export function ganChunks(w: GanWorkload, iterations: number, count: number): GanChunk[] {
  const rng = new Rng(BENCH_SEED ^ 0x6a4);
  const { batch, latent } = w.config;
  const rows = w.images.length / IMAGE_PIXELS;
  const normals = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
  return Array.from({ length: count }, () => ({
    iterations,
    realIndices: Uint32Array.from({ length: iterations * batch }, () => rng.int(rows)),
    zD: normals(iterations * batch * latent),
    zG: normals(iterations * batch * latent),
  }));
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
