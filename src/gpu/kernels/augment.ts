import source from '../../../shaders/augment.wgsl';
import { IMAGE_PIXELS, IMAGE_SIDE, type AugmentSetup } from '../../data/augment.ts';
import { fold1d, KernelFamily, uniformBuffer, type Dispatch } from '../kernel.ts';

/** Size of AugmentParams in bytes (12 × 4). */
export const AUGMENT_PARAMS_BYTES = 48;
const WORKGROUP = 256;

/** Packs AugmentParams in WGSL field order. */
export function packAugmentParams(count: number, width: number, pitch: number, a: AugmentSetup): ArrayBuffer {
  const buffer = new ArrayBuffer(AUGMENT_PARAMS_BYTES);
  new Uint32Array(buffer).set([count, width, a.seed >>> 0, pitch]);
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
    this.family = new KernelFamily(device, 'augment', source, ['uniform', 'read', 'read', 'rw']);
  }

  /** Writes the augmented copy of the gathered batch `src` (`capacity` rows of `width`) into `out`. */
  dispatch(label: string, a: AugmentSetup, capacity: number, width: number, state: GPUBuffer, src: GPUBuffer, out: GPUBuffer): { dispatch: Dispatch; uniform: GPUBuffer } {
    if (a.kind === 'image' && width !== IMAGE_PIXELS) throw new Error(`image augmentation needs ${IMAGE_SIDE}×${IMAGE_SIDE} images, got rows of ${width} features`);
    const count = capacity * width;
    const { workgroups, pitch } = fold1d(count, WORKGROUP, this.maxPerDimension);
    const uniform = uniformBuffer(this.family.device, `${label} params`, packAugmentParams(count, width, pitch, a));
    const entry = a.kind === 'jitter' ? 'jitter_rows' : 'augment_images';
    const bindGroup = this.family.bindGroup(label, [uniform, state, src, out]);
    // Four hashes per element (two for jitter) plus the sampling; images read four pixels each.
    const cost = a.kind === 'jitter' ? { flops: 12 * count, bytes: 8 * count } : { flops: 40 * count, bytes: 20 * count };
    return { dispatch: { label: `${entry} · ${label}`, entry, pipeline: this.family.pipeline(entry), bindGroup, workgroups, family: this.family, cost }, uniform };
  }
}
