// The 2-D GAN lab's half of the engine API (EngineApi extends Gan2dApi): the types that cross the
// thread boundary and the methods of a 2-D GAN session in the worker (src/worker/gan2d-engine.ts).
import type { BackendChoice } from '../config/experiment.ts';
import type { Gan2dCompareSpec } from '../gan2d/compare.ts';
import type { Gan2dConfig } from '../gan2d/config.ts';
import type { GanMetric } from '../train/gan-backend.ts';

export type { Gan2dConfig } from '../gan2d/config.ts';

/** What the 2-D lab shows about a session's backend. */
export interface Gan2dInfo {
  config: Gan2dConfig;
  backend: 'webgpu' | 'cpu';
  backendLabel: string;
  /** Why the CPU runs although WebGPU was preferred (Auto without a device); null otherwise. */
  fallbackReason: string | null;
}

/** Progress of a 2-D GAN run, pushed through a Comlink.proxy callback. */
export type Gan2dEvent =
  | { type: 'chunk'; metrics: GanMetric[]; iteration: number }
  | { type: 'stopped'; reason: 'done' | 'paused'; iteration: number }
  | { type: 'error'; message: string };

/** One step of the lab's step buttons: a whole iteration, or only D's steps, or only G's step. */
export type Gan2dStepKind = 'iteration' | 'discriminator' | 'generator';

/** How close the fakes are (src/gan2d/metrics.ts), on fresh fakes against a fixed real sample. */
export interface Gan2dFigures {
  kl: number;
  js: number;
  /** Modes covered of the mixture's total (gaussians, ring, grid); null for the other data sets. */
  modes: { covered: number; total: number } | null;
  /** Share of the fakes within 3σ of some mode; null without modes. */
  quality: number | null;
}

/** Everything one picture of the plane needs, from the weights at `iteration`. */
export interface Gan2dFrame {
  iteration: number;
  /** D's output over a `fieldSide` × `fieldSide` grid of cell centres, row-major from the bottom-left. */
  field: Float32Array;
  fieldSide: number;
  /** G over a latent line (latent 1: `manifoldSteps` points) or mesh (latent 2: steps², z₂ outer), interleaved x, y. */
  manifold: Float32Array;
  manifoldSteps: number;
  latent: number;
  /** Real points from the training pool, interleaved x, y. */
  real: Float32Array;
  /** Fresh fakes, interleaved x, y. */
  fake: Float32Array;
  /** The generator's push at the first `push.length / 2` fakes (−∂ℓ/∂x), interleaved x, y. */
  push: Float32Array;
  figures: Gan2dFigures;
}

/** One variant of a compare set: its label, why it stopped (null while it trains), its last frame (null before any). */
export interface Gan2dVariantFrame {
  label: string;
  error: string | null;
  /** A small frame: a coarse heatmap, fewer points, no manifold and no arrows (both empty). */
  frame: Gan2dFrame | null;
}

/** Every variant's frame of a compare set, and the iterations of the furthest variant. */
export interface Gan2dCompareFrames {
  iteration: number;
  variants: Gan2dVariantFrame[];
}

/** The 2-D GAN sessions of the engine worker. */
export interface Gan2dApi {
  /** Builds a 2-D GAN (a bad config rejects with the field's name); backend as for createGan. */
  createGan2d(config: Gan2dConfig, backend: BackendChoice): Promise<{ id: number; info: Gan2dInfo }>;
  /**
   * Trains `iterations` more in the background, in chunks, each reported by an event;
   * `perSecond` > 0 paces the run at about that many iterations per second, 0 runs flat out.
   */
  startGan2d(id: number, iterations: number, perSecond: number, onEvent: (e: Gan2dEvent) => void): Promise<void>;
  /** Stops after the chunk in flight; resolves when the run has stopped. */
  pauseGan2d(id: number): Promise<void>;
  /** One iteration, or only D's steps, or only G's step (not counted as an iteration); not while it plays. */
  stepGan2d(id: number, kind: Gan2dStepKind): Promise<{ metric: GanMetric; iteration: number }>;
  /** The heatmap, manifold, points, arrows and figures now. */
  gan2dFrame(id: number): Promise<Gan2dFrame>;
  /** `x,y,kind` CSV of the real points and the last frame's fakes (fresh ones before any frame). */
  gan2dCsv(id: number): Promise<string>;
  /** The run's curve file (src/io/gan2d-curve.ts): config, draws and every iteration's metrics, for the script's `--check`. */
  gan2dCurve(id: number): Promise<string>;
  /**
   * Builds a compare set: the variants of `config` under `spec` (src/gan2d/compare.ts), each its own
   * trainer on the chosen backend; a bad spec rejects with its field. startGan2d (the speed is
   * ignored: it runs flat out), pauseGan2d and disposeGan2d take its id too.
   */
  createGan2dCompare(config: Gan2dConfig, spec: Gan2dCompareSpec, backend: BackendChoice): Promise<{ id: number; info: Gan2dInfo; labels: string[] }>;
  /** Every variant's small frame now. */
  gan2dCompareFrames(id: number): Promise<Gan2dCompareFrames>;
  /** Stops and frees a 2-D GAN without waiting: its backend goes once the chunk in flight has ended. */
  disposeGan2d(id: number): Promise<void>;
}
