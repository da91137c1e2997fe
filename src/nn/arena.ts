import { denseLayers, type ModelSpec } from './spec.ts';

/** Tensors start at this byte alignment: WebGPU's minStorageBufferOffsetAlignment default. */
export const ARENA_ALIGN_BYTES = 256;
const ALIGN_FLOATS = ARENA_ALIGN_BYTES / 4;

/** One weight or bias tensor inside the flat parameter arena. Offsets are in floats. */
export interface ArenaTensor {
  /** PyTorch-style name: `layers.N.weight` or `layers.N.bias`. */
  name: string;
  layer: number;
  kind: 'weight' | 'bias';
  offset: number;
  /** Weights are stored row-major as [inputs, units] so that Y = X·W; biases as [units]. */
  shape: number[];
  size: number;
}

/** Where every tensor of a model lives in the arena shared by params, grads, m and v. */
export interface ArenaLayout {
  tensors: ArenaTensor[];
  /** Elements before this offset are weights (regularized); from here on, biases (not). */
  weightsEnd: number;
  /** Total arena length in floats, a multiple of the alignment. */
  totalFloats: number;
}

function alignUp(n: number): number {
  return Math.ceil(n / ALIGN_FLOATS) * ALIGN_FLOATS;
}

/**
 * Lays out all weights first and all biases after them, each 256-byte aligned, so a single
 * optimizer dispatch can apply L1/L2 to weights only by comparing an index with `weightsEnd`.
 */
export function arenaLayout(spec: ModelSpec): ArenaLayout {
  const layers = denseLayers(spec);
  const tensors: ArenaTensor[] = [];
  let offset = 0;
  layers.forEach((l, i) => {
    const size = l.inputs * l.units;
    tensors.push({ name: `layers.${i}.weight`, layer: i, kind: 'weight', offset, shape: [l.inputs, l.units], size });
    offset = alignUp(offset + size);
  });
  const weightsEnd = offset;
  layers.forEach((l, i) => {
    tensors.push({ name: `layers.${i}.bias`, layer: i, kind: 'bias', offset, shape: [l.units], size: l.units });
    offset = alignUp(offset + l.units);
  });
  return { tensors, weightsEnd, totalFloats: offset };
}

/** The weight and bias tensors of dense layer `i`. */
export function layerTensors(layout: ArenaLayout, i: number): { weight: ArenaTensor; bias: ArenaTensor } {
  const weight = layout.tensors.find((t) => t.layer === i && t.kind === 'weight');
  const bias = layout.tensors.find((t) => t.layer === i && t.kind === 'bias');
  if (!weight || !bias) throw new Error(`arena has no layer ${i}`);
  return { weight, bias };
}

/** Number of trainable parameters (padding excluded). */
export function parameterCount(layout: ArenaLayout): number {
  return layout.tensors.reduce((sum, t) => sum + t.size, 0);
}
