// Compare mode: up to 8 variants of one 2-D GAN, trained side by side so a reader sees the same
// setup collapse under one seed and not under another. Each variant is its own Gan2dTrainer on
// its own backend, trained in turns of COMPARE_SLICE iterations: the GAN backends train one GAN
// per submit (the batched multi-model kernels serve the playground's dense networks, not GANs),
// so variants are independent and each one's run is bit for bit the run it would make alone.
import { ConfigError } from '../config/errors.ts';
import { GAN2D_LIMITS, GAN2D_LOSSES, validateGan2dConfig, type Gan2dConfig } from './config.ts';
import { Gan2dTrainer, type Gan2dBackendFactory, type Gan2dMeasure } from './trainer.ts';

/** Most variants compared at once. */
export const MAX_GAN2D_VARIANTS = 8;
/** Iterations a variant trains before the next one takes its turn (4 submits of 16). */
export const COMPARE_SLICE = 64;

/** What varies between the variants. */
export const GAN2D_COMPARE_KINDS = ['seed', 'lr-ratio', 'd-steps', 'loss'] as const;
/** One of GAN2D_COMPARE_KINDS. */
export type Gan2dCompareKind = (typeof GAN2D_COMPARE_KINDS)[number];

/**
 * How to make the variants. seed: `count` seeds from the base config's. lr-ratio: G's learning
 * rate over D's, `count` values spaced evenly on a log scale from `from` to `to` (D's rate kept).
 * d-steps: every whole number of D steps from `from` to `to`. loss: the three losses.
 */
export interface Gan2dCompareSpec {
  kind: Gan2dCompareKind;
  count: number;
  from: number;
  to: number;
}

/** The default: 8 seeds. */
export const DEFAULT_COMPARE: Gan2dCompareSpec = { kind: 'seed', count: 8, from: 0, to: 0 };

/** One variant: its label (what differs) and its whole config. */
export interface Gan2dVariant {
  label: string;
  config: Gan2dConfig;
}

const round3 = (x: number) => Number(x.toPrecision(3));

/** The variants of `base` under `spec`; throws a ConfigError naming the bad field or variant. */
export function gan2dVariants(base: Gan2dConfig, spec: Gan2dCompareSpec): Gan2dVariant[] {
  validateGan2dConfig(base);
  const count = (lo: number) => {
    if (!Number.isInteger(spec.count) || spec.count < lo || spec.count > MAX_GAN2D_VARIANTS) {
      throw new ConfigError('compare.count', `must be a whole number from ${lo} to ${MAX_GAN2D_VARIANTS}, got ${String(spec.count)}`);
    }
    return spec.count;
  };
  let variants: Gan2dVariant[];
  if (spec.kind === 'seed') {
    variants = Array.from({ length: count(2) }, (_, i) => {
      const seed = (base.seed + i) >>> 0;
      return { label: `seed ${seed}`, config: { ...base, seed } };
    });
  } else if (spec.kind === 'lr-ratio') {
    const n = count(2);
    for (const [field, v] of [
      ['compare.from', spec.from],
      ['compare.to', spec.to],
    ] as const) {
      if (!Number.isFinite(v) || v < 1e-3 || v > 1e3) throw new ConfigError(field, `must be a ratio from 0.001 to 1000, got ${String(v)}`);
    }
    variants = Array.from({ length: n }, (_, i) => {
      const ratio = round3(spec.from * (spec.to / spec.from) ** (i / (n - 1)));
      const learningRate = round3(base.d.learningRate * ratio);
      return { label: `G/D rate ×${ratio}`, config: { ...base, g: { ...base.g, learningRate } } };
    });
  } else if (spec.kind === 'd-steps') {
    const { from, to } = spec;
    if (!Number.isInteger(from) || from < 1 || !Number.isInteger(to) || to <= from || to > GAN2D_LIMITS.maxDSteps || to - from + 1 > MAX_GAN2D_VARIANTS) {
      throw new ConfigError(
        'compare.dSteps',
        `must be two whole numbers from 1 to ${GAN2D_LIMITS.maxDSteps}, the second larger, at most ${MAX_GAN2D_VARIANTS} apart; got ${from} to ${to}`,
      );
    }
    variants = Array.from({ length: to - from + 1 }, (_, i) => ({ label: `${from + i} D steps`, config: { ...base, dSteps: from + i } }));
  } else if (spec.kind === 'loss') {
    variants = GAN2D_LOSSES.map((loss) => ({ label: loss.replace('_', '-'), config: { ...base, loss } }));
  } else {
    throw new ConfigError('compare.kind', `must be one of ${GAN2D_COMPARE_KINDS.join(', ')}, got ${String(spec.kind)}`);
  }
  for (const v of variants) {
    try {
      validateGan2dConfig(v.config);
    } catch (e) {
      throw new ConfigError('compare', `the variant "${v.label}" is not a valid GAN: ${(e as Error).message}`);
    }
  }
  return variants;
}

/**
 * The spec in a link value: `seed:8`, `lr-ratio:0.1-10:5`, `d-steps:1-5`, `loss`. The inverse of
 * parseCompare.
 */
export function formatCompare(s: Gan2dCompareSpec): string {
  if (s.kind === 'seed') return `seed:${s.count}`;
  if (s.kind === 'lr-ratio') return `lr-ratio:${s.from}-${s.to}:${s.count}`;
  if (s.kind === 'd-steps') return `d-steps:${s.from}-${s.to}`;
  return 'loss';
}

/** Reads a link value written by formatCompare; throws a ConfigError saying what is wrong. */
export function parseCompare(raw: string): Gan2dCompareSpec {
  const [kind, a, b] = raw.split(':');
  const range = (r: string | undefined): [number, number] => {
    const m = /^([0-9.e+-]+?)-([0-9.e+-]+)$/.exec(r ?? '');
    if (!m) throw new ConfigError('compare', `needs a range like 1-5 after "${kind}:", got "${r ?? ''}"`);
    return [Number(m[1]), Number(m[2])];
  };
  if (kind === 'seed') return { kind, count: Number(a), from: 0, to: 0 };
  if (kind === 'lr-ratio') {
    const [from, to] = range(a);
    return { kind, count: Number(b), from, to };
  }
  if (kind === 'd-steps') {
    const [from, to] = range(a);
    return { kind, count: to - from + 1, from, to };
  }
  if (kind === 'loss') return { kind, count: GAN2D_LOSSES.length, from: 0, to: 0 };
  throw new ConfigError('compare', `must start with one of ${GAN2D_COMPARE_KINDS.join(', ')}, got "${raw}"`);
}

/** One variant in training: its trainer, or the message that stopped it (the others go on). */
export interface Gan2dVariantRun {
  variant: Gan2dVariant;
  trainer: Gan2dTrainer;
  /** Why this variant stopped (a NaN loss); null while it trains. */
  error: string | null;
}

/** Several 2-D GANs trained in turns; a variant that fails stops alone. */
export class Gan2dCompare {
  private constructor(readonly runs: readonly Gan2dVariantRun[]) {}

  /** Builds every variant's trainer (all or none: a backend that cannot be made releases the others). */
  static async create(variants: readonly Gan2dVariant[], makeBackend: Gan2dBackendFactory): Promise<Gan2dCompare> {
    if (variants.length < 1 || variants.length > MAX_GAN2D_VARIANTS) {
      throw new ConfigError('compare.count', `must be from 1 to ${MAX_GAN2D_VARIANTS} variants, got ${variants.length}`);
    }
    const runs: Gan2dVariantRun[] = [];
    try {
      for (const variant of variants) runs.push({ variant, trainer: await Gan2dTrainer.create(variant.config, makeBackend), error: null });
    } catch (e) {
      for (const r of runs) r.trainer.dispose();
      throw e;
    }
    return new Gan2dCompare(runs);
  }

  /** Iterations the furthest variant has trained. */
  get iterations(): number {
    return Math.max(...this.runs.map((r) => r.trainer.history.length));
  }

  /**
   * Trains every live variant `iterations` more, in turns of COMPARE_SLICE; `shouldStop` is asked
   * between turns. A variant whose loss becomes NaN keeps its last weights and its message.
   */
  async train(iterations: number, shouldStop?: () => boolean): Promise<void> {
    for (let done = 0; done < iterations; done += COMPARE_SLICE) {
      const n = Math.min(COMPARE_SLICE, iterations - done);
      for (const run of this.runs) {
        if (run.error !== null) continue;
        if (shouldStop?.()) return;
        try {
          await run.trainer.train(n);
        } catch (e) {
          run.error = `${run.variant.label}: ${(e as Error).message}`;
        }
      }
    }
  }

  /** Each variant's measure (null for one that failed before its first measure could be taken). */
  async measure(): Promise<(Gan2dMeasure | null)[]> {
    return Promise.all(this.runs.map((r) => (r.error !== null && r.trainer.history.length === 0 ? null : r.trainer.measure())));
  }

  /** Releases every backend. */
  dispose(): void {
    for (const r of this.runs) r.trainer.dispose();
  }
}
