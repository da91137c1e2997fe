import { arenaLayout, layerTensors } from '../nn/arena.ts';
import { denseLayers, type ModelSpec } from '../nn/spec.ts';

/** Counts of values in equal-width bins over [min, max]. */
export interface Histogram {
  min: number;
  max: number;
  mean: number;
  std: number;
  /** Values that are NaN or infinite (left out of the bins). */
  nonFinite: number;
  count: number;
  bins: number[];
}

/** One layer's weights, weight gradients and outputs at the moment of the snapshot. */
export interface LayerSnapshot {
  layer: number;
  /** e.g. "dense 4→16 relu". */
  title: string;
  weights: Histogram;
  gradients: Histogram;
  activations: Histogram;
}

/** The buffer inspector's data: per-layer histograms read back from the GPU. */
export interface BufferSnapshot {
  /** Training step the snapshot was taken after (as the caller counts). */
  step: number;
  layers: LayerSnapshot[];
}

/** The buffers GpuBatchBackend.debugBuffers() returns (model 0's at the start of each). */
export interface DebugBuffers {
  params: GPUBuffer;
  grads: GPUBuffer;
  activations: GPUBuffer[];
  spec: ModelSpec;
  batchCapacity: number;
  arenaFloats: number;
}

/** Histogram of `values` in `binCount` bins; an all-equal input puts everything in the middle bin. */
export function histogram(values: ArrayLike<number>, binCount = 24): Histogram {
  let [min, max, sum, sq, n, nonFinite] = [Infinity, -Infinity, 0, 0, 0, 0];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      nonFinite++;
      continue;
    }
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
    sq += v * v;
    n++;
  }
  const bins = new Array<number>(binCount).fill(0);
  if (n === 0) return { min: NaN, max: NaN, mean: NaN, std: NaN, nonFinite, count: 0, bins };
  const width = (max - min) / binCount;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    const b = width > 0 ? Math.min(binCount - 1, Math.floor((v - min) / width)) : Math.floor(binCount / 2);
    bins[b]!++;
  }
  const mean = sum / n;
  return { min, max, mean, std: Math.sqrt(Math.max(0, sq / n - mean * mean)), nonFinite, count: n, bins };
}

/**
 * Reads the params and grads arenas and every layer's training activations back in one submit,
 * and makes per-layer histograms. Activations are the last training step's batch (all
 * `batchCapacity` rows, padding included).
 */
export async function takeSnapshot(device: GPUDevice, b: DebugBuffers, step: number): Promise<BufferSnapshot> {
  const layers = denseLayers(b.spec);
  const layout = arenaLayout(b.spec);
  const parts = [
    { buffer: b.params, floats: b.arenaFloats },
    { buffer: b.grads, floats: b.arenaFloats },
    ...layers.map((l, i) => ({ buffer: b.activations[i + 1]!, floats: b.batchCapacity * l.units })),
  ];
  const total = parts.reduce((s, p) => s + p.floats * 4, 0);
  const staging = device.createBuffer({
    label: 'buffer inspector readback',
    size: Math.max(16, total),
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  const encoder = device.createCommandEncoder({ label: 'buffer inspector snapshot' });
  let at = 0;
  for (const p of parts) {
    encoder.copyBufferToBuffer(p.buffer, 0, staging, at, p.floats * 4);
    at += p.floats * 4;
  }
  device.queue.submit([encoder.finish()]);
  try {
    await staging.mapAsync(GPUMapMode.READ);
    const all = new Float32Array(staging.getMappedRange().slice(0));
    const [params, grads] = [all.subarray(0, b.arenaFloats), all.subarray(b.arenaFloats, 2 * b.arenaFloats)];
    let actAt = 2 * b.arenaFloats;
    return {
      step,
      layers: layers.map((l, i) => {
        const { weight } = layerTensors(layout, i);
        const acts = all.subarray(actAt, actAt + b.batchCapacity * l.units);
        actAt += b.batchCapacity * l.units;
        return {
          layer: i,
          title: `dense ${l.inputs}→${l.units} ${l.activation}`,
          weights: histogram(params.subarray(weight.offset, weight.offset + weight.size)),
          gradients: histogram(grads.subarray(weight.offset, weight.offset + weight.size)),
          activations: histogram(acts),
        };
      }),
    };
  } finally {
    staging.destroy();
  }
}
