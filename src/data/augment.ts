import type { Rng } from '../nn/rng.ts';

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
 * A copy of `features` (rows × width, row-major) with independent N(0, sigma²) noise added to
 * every value, for augmenting 2-D toy sets. Targets are not an argument, so labels cannot change.
 */
export function jitter2d(features: Float32Array, rows: number, sigma: number, rng: Rng): Float32Array {
  if (!Number.isInteger(rows) || rows < 0) throw new Error(`rows must be a whole number ≥ 0, got ${rows}`);
  if (rows > 0 && features.length % rows !== 0) {
    throw new Error(`${features.length} features do not split into ${rows} equal rows`);
  }
  if (rows === 0 && features.length !== 0) throw new Error(`0 rows cannot hold ${features.length} features`);
  if (typeof sigma !== 'number' || !Number.isFinite(sigma) || sigma < 0) {
    throw new Error(`jitter sigma must be a finite number ≥ 0, got ${sigma}`);
  }
  const out = new Float32Array(features.length);
  for (let i = 0; i < features.length; i++) out[i] = features[i]! + sigma * rng.normal();
  return out;
}

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
export function augmentImage(src: Float32Array, params: AugmentParams): Float32Array {
  if (src.length !== IMAGE_PIXELS) throw new Error(`augmentImage takes ${IMAGE_SIDE}×${IMAGE_SIDE} = ${IMAGE_PIXELS} pixels, got ${src.length}`);
  checkParams(params);
  const c = (IMAGE_SIDE - 1) / 2;
  const theta = (params.angle * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const out = new Float32Array(IMAGE_PIXELS);
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
 * Random augmentation parameters: dx, dy, angle and scale drawn uniformly within `ranges`, in
 * that order and always all four, so changing one range does not shift the others' draws.
 */
export function randomAugmentParams(rng: Rng, ranges: AugmentRanges): AugmentParams {
  checkRanges(ranges);
  const sym = (max: number) => (2 * rng.uniform() - 1) * max;
  const dx = sym(ranges.maxShift);
  const dy = sym(ranges.maxShift);
  const angle = sym(ranges.maxAngleDeg);
  const scale = 1 + sym(ranges.maxZoom);
  return { dx, dy, angle, scale };
}

function bilinear(src: Float32Array, u: number, v: number): number {
  const x0 = Math.floor(u);
  const y0 = Math.floor(v);
  const fx = u - x0;
  const fy = v - y0;
  return (
    (1 - fy) * ((1 - fx) * pixel(src, x0, y0) + fx * pixel(src, x0 + 1, y0)) +
    fy * ((1 - fx) * pixel(src, x0, y0 + 1) + fx * pixel(src, x0 + 1, y0 + 1))
  );
}

function pixel(src: Float32Array, x: number, y: number): number {
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
