import { augmentImage, augmentParamsAt, IMAGE_PIXELS, jitterNoiseAt, type AugmentSetup } from '../data/augment.ts';

/** Copies dataset rows `indices[0 .. rows)` of `src` [*, width] into `dst`, in order. */
export function gatherInto(dst: Float32Array, src: Float32Array, width: number, indices: ArrayLike<number>, rows: number): void {
  for (let r = 0; r < rows; r++) {
    const at = indices[r]! * width;
    dst.set(src.subarray(at, at + width), r * width);
  }
}

/**
 * Augments a gathered training batch `x` [rows, width] in place at optimizer step `step`, with the
 * draws of src/data/augment.ts (the same hashes, so the same noise and geometry as the reference
 * and the WGSL kernel): Gaussian jitter of every element, or each row's image warped.
 */
export function augmentInPlace(x: Float32Array, rows: number, width: number, a: AugmentSetup, step: number): void {
  if (a.kind === 'jitter') {
    for (let i = 0; i < rows * width; i++) x[i] = x[i]! + a.sigma * jitterNoiseAt(a.seed, step, i);
    return;
  }
  if (width !== IMAGE_PIXELS) throw new Error(`image augmentation needs 28×28 images, got rows of ${width} features`);
  for (let r = 0; r < rows; r++) {
    const row = x.subarray(r * width, (r + 1) * width);
    row.set(augmentImage(row, augmentParamsAt(a.seed, step, r, a.ranges)));
  }
}
