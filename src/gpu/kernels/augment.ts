import source from '../../../shaders/augment.wgsl';
import { IMAGE_PIXELS, IMAGE_SIDE, type AugmentSetup } from '../../data/augment.ts';
import { fold1d, KernelFamily, type OwnedDispatch } from '../kernel.ts';
import type { StateLayout } from './state.ts';

/** Size of AugmentParams in bytes (12 × 4). */
export const AUGMENT_PARAMS_BYTES = 48;
const WORKGROUP = 256;

/** What one augmentation dispatch transforms: `capacity` rows of `width` per model. */
export interface AugmentShape extends StateLayout {
  /** Kind and ranges; each model's seed comes from its state words, not from here. */
  augment: AugmentSetup;
  capacity: number;
  width: number;
  models: number;
}

/** The buffers of an augmentation, in binding order. */
export interface AugmentBuffers {
  state: GPUBuffer;
  /** The gathered batch. */
  src: GPUBuffer;
  /** The layer-0 input. */
  out: GPUBuffer;
}

/** Packs AugmentParams in WGSL field order. */
export function packAugmentParams(count: number, width: number, pitch: number, stateStride: number, a: AugmentSetup): ArrayBuffer {
  const buffer = new ArrayBuffer(AUGMENT_PARAMS_BYTES);
  new Uint32Array(buffer).set([count, width, stateStride, pitch]);
  const r = a.kind === 'image' ? a.ranges : { maxShift: 0, maxAngleDeg: 0, maxZoom: 0 };
  new Float32Array(buffer, 16, 4).set([a.kind === 'jitter' ? a.sigma : 0, r.maxShift, r.maxAngleDeg, r.maxZoom]);
  new Uint32Array(buffer, 32, 1)[0] = IMAGE_SIDE;
  return buffer;
}

/** Wrapper of shaders/augment.wgsl. */
export class AugmentKernel {
  readonly family: KernelFamily;

  constructor(
    device: GPUDevice,
    private readonly maxPerDimension: number,
  ) {
    this.family = new KernelFamily(device, 'augment', source, { u: 'uniform', state: 'read', src: 'read', out: 'rw' });
  }

  /** Writes each model's augmented copy of its gathered batch `src` into `out`. */
  dispatch(label: string, shape: AugmentShape, buffers: AugmentBuffers): OwnedDispatch {
    const { augment: a, capacity, width, models } = shape;
    if (a.kind === 'image' && width !== IMAGE_PIXELS)
      throw new Error(`image augmentation needs ${IMAGE_SIDE}×${IMAGE_SIDE} images, got rows of ${width} features`);
    const count = capacity * width;
    const { workgroups, pitch } = fold1d(count, WORKGROUP, this.maxPerDimension, models);
    const entry = a.kind === 'jitter' ? 'jitter_rows' : 'augment_images';
    // Four hashes per element (two for jitter) plus the sampling; images read four pixels each.
    const per = a.kind === 'jitter' ? { flops: 12, bytes: 8 } : { flops: 40, bytes: 20 };
    const cost = { flops: per.flops * count * models, bytes: per.bytes * count * models };
    return this.family.encode({ label, entry, uniform: packAugmentParams(count, width, pitch, shape.stateStride, a), buffers, workgroups, cost });
  }
}
