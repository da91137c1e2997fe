// Training health, the way practitioners read it in TensorBoard: per layer, histograms of weights,
// activations and gradients, the share of ReLU units that output zero for every row (dead units),
// and the update-to-weight ratio per step (‖Δw‖ / ‖w‖; around 1e-3 is the usual rule of thumb).
// Computed from the current weights with the float64 reference on a fixed sample of training rows,
// so the figures are exactly what the reference computes for those weights.
import { arenaLayout, layerTensors } from '../nn/arena.ts';
import { denseLayers, type ModelSpec } from '../nn/spec.ts';
import { lossForward } from '../reference/loss.ts';
import { stackBackward, stackForward } from '../reference/stack.ts';

/** Bins of every histogram. */
export const HEALTH_BINS = 24;

/** Values counted into HEALTH_BINS equal bins over [min, max]. */
export interface Histogram {
  min: number;
  max: number;
  counts: number[];
}

/** One dense layer's health (hidden layers and the output layer). */
export interface LayerHealth {
  /** "hidden 1 (relu)", "output". */
  name: string;
  weights: Histogram;
  /** The layer's outputs over the sample (after its activation; logits for the output layer). */
  activations: Histogram;
  /** The loss gradient of the layer's weights on the sample. */
  gradients: Histogram;
  /** ReLU layers: units whose output is zero for every sampled row, and how many units. */
  dead: { units: number; of: number } | null;
  /** ‖w − w_before‖ / ‖w‖ per step since the previous reading; null for the first one. */
  updateRatio: number | null;
}

/** What the health panel shows at one moment of a run. */
export interface HealthReport {
  /** Training steps taken when it was read. */
  step: number;
  /** Sample rows the activations and gradients come from. */
  rows: number;
  layers: LayerHealth[];
}

/** A histogram of `values` (NaN and infinities are left out, so a diverging layer still draws). */
export function histogram(values: ArrayLike<number>): Histogram {
  let [min, max] = [Infinity, -Infinity];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) [min, max] = [Math.min(min, v), Math.max(max, v)];
  }
  const counts = new Array<number>(HEALTH_BINS).fill(0);
  if (min > max) return { min: 0, max: 0, counts };
  const width = max - min || 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) counts[Math.min(HEALTH_BINS - 1, Math.floor(((v - min) / width) * HEALTH_BINS))]!++;
  }
  return { min, max, counts };
}

function norm(values: ArrayLike<number>, offset: number, size: number, minus?: ArrayLike<number>): number {
  let sum = 0;
  for (let k = offset; k < offset + size; k++) {
    const d = values[k]! - (minus ? minus[k]! : 0);
    sum += d * d;
  }
  return Math.sqrt(sum);
}

/** The sample: `rows` feature rows (standardized as the model sees them) and their targets. */
export interface HealthSample {
  x: Float64Array;
  targets: Float64Array;
  rows: number;
  classWeights: ArrayLike<number> | null;
}

/**
 * The health of `params` on `sample`. `before` is the arena at the previous reading, `steps`
 * training steps ago (the update ratio divides by them); null or 0 steps: no ratio.
 */
export function healthReport(
  spec: ModelSpec,
  params: Float32Array,
  sample: HealthSample,
  before: { params: Float32Array; steps: number } | null,
  step: number,
): HealthReport {
  const layout = arenaLayout(spec);
  const layers = denseLayers(spec);
  const w = Float64Array.from(params);
  const outs = stackForward(layers, layout, w, sample.x, sample.rows);
  const loss = lossForward(spec.loss, outs[outs.length - 1]!, sample.targets, sample.rows, spec.outputSize, sample.classWeights);
  const { grads } = stackBackward(layers, layout, w, outs, loss.grad, sample.rows);
  return {
    step,
    rows: sample.rows,
    layers: layers.map((layer, i) => {
      const { weight } = layerTensors(layout, i);
      const act = outs[i + 1]!;
      let dead: LayerHealth['dead'] = null;
      if (layer.activation === 'relu' && i < layers.length - 1) {
        let units = 0;
        for (let u = 0; u < layer.units; u++) {
          let zero = true;
          for (let r = 0; r < sample.rows && zero; r++) zero = act[r * layer.units + u]! <= 0;
          if (zero) units++;
        }
        dead = { units, of: layer.units };
      }
      const size = norm(params, weight.offset, weight.size);
      const moved = before && before.steps > 0 ? norm(params, weight.offset, weight.size, before.params) : null;
      return {
        name: i < layers.length - 1 ? `hidden ${i + 1} (${layer.activation})` : 'output',
        weights: histogram(params.subarray(weight.offset, weight.offset + weight.size)),
        activations: histogram(act),
        gradients: histogram(grads.subarray(weight.offset, weight.offset + weight.size)),
        dead,
        updateRatio: moved === null || size === 0 ? null : moved / size / before!.steps,
      };
    }),
  };
}
