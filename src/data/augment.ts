import { hashUniform } from '../nn/hash.ts';

/** Side of the square images `augmentImage` handles (MNIST). */
export const IMAGE_SIDE = 28;

/** Pixels per image. */
export const IMAGE_PIXELS = IMAGE_SIDE * IMAGE_SIDE;

/** One image's geometric augmentation. */
export interface AugmentParams {
  /** Shift right, in pixels (fractions allowed). */
  dx: number;
  /** Shift down, in pixels (fractions allowed). */
  dy: number;
  /** Rotation in degrees, clockwise as seen on screen (y points down). */
  angle: number;
  /** Zoom factor about the centre: > 1 enlarges the content. */
  scale: number;
}

/** How far random augmentation may go. */
export interface AugmentRanges {
  /** Largest shift along each axis, pixels, 0..14. */
  maxShift: number;
  /** Largest rotation either way, degrees, 0..180. */
  maxAngleDeg: number;
  /** Largest zoom either way as a fraction: scale is drawn from [1 − maxZoom, 1 + maxZoom], 0..0.9. */
  maxZoom: number;
}

/** Bounds of `AugmentRanges`. */
export const AUGMENT_LIMITS = { maxShift: 14, maxAngleDeg: 180, maxZoom: 0.9 } as const;

/**
 * CPU reference of the image augmentation (the oracle for a WGSL kernel, which must follow the
 * same geometry). Pixel (x, y) — column x, row y — has its centre at integer coordinates, so the
 * image centre is c = (13.5, 13.5). A source point p lands at
 *
 *   p' = c + s · R(θ) · (p − c) + (dx, dy),   R(θ) = [[cos θ, −sin θ], [sin θ, cos θ]],
 *
 * i.e. rotate by θ = angle·π/180 about the centre (clockwise on screen, since y points down),
 * scale by s about the centre, then shift. Each output pixel q is pulled back through the
 * inverse, p = c + R(−θ) · (q − (dx, dy) − c) / s, and sampled bilinearly from the four pixels
 * around p; neighbours outside the image read as 0. Identity parameters give p = q exactly, so
 * they return the input unchanged.
 */
export function augmentImage(src: ArrayLike<number>, params: AugmentParams): Float64Array {
  if (src.length !== IMAGE_PIXELS) throw new Error(`augmentImage takes ${IMAGE_SIDE}×${IMAGE_SIDE} = ${IMAGE_PIXELS} pixels, got ${src.length}`);
  checkParams(params);
  const c = (IMAGE_SIDE - 1) / 2;
  const theta = (params.angle * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const out = new Float64Array(IMAGE_PIXELS);
  for (let y = 0; y < IMAGE_SIDE; y++) {
    const b = y - params.dy - c;
    for (let x = 0; x < IMAGE_SIDE; x++) {
      const a = x - params.dx - c;
      const u = c + (cos * a + sin * b) / params.scale;
      const v = c + (-sin * a + cos * b) / params.scale;
      out[y * IMAGE_SIDE + x] = bilinear(src, u, v);
    }
  }
  return out;
}

/**
 * Streams of the augmentation draws in the counter-based hash. They are far from dropout's
 * layer numbers, so no augmentation draw reuses a dropout mask's hash.
 */
export const AUGMENT_STREAMS = { dx: 0xa0000001, dy: 0xa0000002, angle: 0xa0000003, zoom: 0xa0000004, radius: 0xa0000005, phase: 0xa0000006 } as const;

/**
 * The augmentation of batch row `row` at optimizer step `step`: dx, dy, angle and scale drawn
 * uniformly within `ranges`, each from its own hash stream, so every step sees fresh draws that
 * the GPU kernel and this reference agree on without sharing any state.
 */
export function augmentParamsAt(seed: number, step: number, row: number, ranges: AugmentRanges): AugmentParams {
  checkRanges(ranges);
  const S = AUGMENT_STREAMS;
  const sym = (stream: number, max: number) => (2 * hashUniform(seed, stream, step, row) - 1) * max;
  return { dx: sym(S.dx, ranges.maxShift), dy: sym(S.dy, ranges.maxShift), angle: sym(S.angle, ranges.maxAngleDeg), scale: 1 + sym(S.zoom, ranges.maxZoom) };
}

/**
 * Standard normal noise for element `i` of a batch at step `step` (Box–Muller from two hash
 * streams): the fresh per-batch jitter of 2-D and small tabular sets.
 */
export function jitterNoiseAt(seed: number, step: number, i: number): number {
  const u = hashUniform(seed, AUGMENT_STREAMS.radius, step, i);
  const phase = hashUniform(seed, AUGMENT_STREAMS.phase, step, i);
  return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * phase);
}

/** How a training batch is augmented: Gaussian jitter of every feature, or image geometry. */
export type AugmentSetup = { kind: 'jitter'; sigma: number; seed: number } | { kind: 'image'; ranges: AugmentRanges; seed: number };

/**
 * The float64 reference of a training batch's augmentation at optimizer step `step` (the spec
 * of shaders/augment.wgsl): `x` holds `rows` rows of `width` features; labels are not an
 * argument, so they cannot change.
 */
export function augmentBatch(x: Float64Array, rows: number, width: number, a: AugmentSetup, step: number): Float64Array {
  if (a.kind === 'jitter') return x.map((v, i) => v + a.sigma * jitterNoiseAt(a.seed, step, i));
  if (width !== IMAGE_PIXELS) throw new Error(`image augmentation needs ${IMAGE_SIDE}×${IMAGE_SIDE} images, got rows of ${width} features`);
  const out = new Float64Array(x.length);
  for (let r = 0; r < rows; r++) {
    out.set(augmentImage(x.subarray(r * width, (r + 1) * width), augmentParamsAt(a.seed, step, r, a.ranges)), r * width);
  }
  return out;
}

function bilinear(src: ArrayLike<number>, u: number, v: number): number {
  const x0 = Math.floor(u);
  const y0 = Math.floor(v);
  const fx = u - x0;
  const fy = v - y0;
  return (1 - fy) * ((1 - fx) * pixel(src, x0, y0) + fx * pixel(src, x0 + 1, y0)) + fy * ((1 - fx) * pixel(src, x0, y0 + 1) + fx * pixel(src, x0 + 1, y0 + 1));
}

function pixel(src: ArrayLike<number>, x: number, y: number): number {
  return x < 0 || y < 0 || x >= IMAGE_SIDE || y >= IMAGE_SIDE ? 0 : src[y * IMAGE_SIDE + x]!;
}

function checkParams(p: AugmentParams): void {
  for (const field of ['dx', 'dy', 'angle', 'scale'] as const) {
    if (typeof p[field] !== 'number' || !Number.isFinite(p[field])) throw new Error(`augmentation ${field} must be finite, got ${p[field]}`);
  }
  if (p.scale <= 0) throw new Error(`augmentation scale must be > 0, got ${p.scale}`);
}

function checkRanges(r: AugmentRanges): void {
  for (const field of ['maxShift', 'maxAngleDeg', 'maxZoom'] as const) {
    const v = r[field];
    const max = AUGMENT_LIMITS[field];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > max) {
      throw new Error(`augmentation ${field} must be in [0, ${max}], got ${v}`);
    }
  }
}
