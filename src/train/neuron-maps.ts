// What every neuron computes over the input plane of 2-D data: each hidden unit's activation and
// each output's probability at every cell of a grid, from one batched float64 forward pass of the
// model's current weights (the reference is the spec, so the maps are exactly what it computes).
import { arenaLayout } from '../nn/arena.ts';
import { denseLayers, type ModelSpec } from '../nn/spec.ts';
import { stackForward } from '../reference/stack.ts';

/** One layer's maps: `values[u * cells + i]` is unit u at grid cell i (row 0 at the plane's top). */
export interface LayerMaps {
  units: number;
  values: Float32Array;
  /** Smallest and largest value over the layer's units, for a scale shared by the layer. */
  min: number;
  max: number;
}

/** Maps of every hidden layer and of the output over a `resolution`² grid. */
export interface NeuronMaps {
  resolution: number;
  /** Hidden layers in order, then the output (probabilities for classification, raw values for regression). */
  layers: LayerMaps[];
}

/** The head's outputs as a person reads them: softmax or sigmoid probabilities, or the raw value of a regression. */
function headValues(spec: ModelSpec, logits: Float64Array, rows: number): Float64Array {
  const k = spec.outputSize;
  if (spec.loss === 'mse') return logits;
  if (spec.loss === 'sigmoid_bce') return logits.map((z) => 1 / (1 + Math.exp(-z)));
  const out = new Float64Array(logits.length);
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, logits[r * k + j]!);
    let sum = 0;
    for (let j = 0; j < k; j++) sum += out[r * k + j] = Math.exp(logits[r * k + j]! - max);
    for (let j = 0; j < k; j++) out[r * k + j]! /= sum;
  }
  return out;
}

/** Row-major [rows, units] → unit-major [units, rows], with the range. */
function byUnit(rowMajor: Float64Array, rows: number, units: number): LayerMaps {
  const values = new Float32Array(rows * units);
  let [min, max] = [Infinity, -Infinity];
  for (let r = 0; r < rows; r++) {
    for (let u = 0; u < units; u++) {
      const v = rowMajor[r * units + u]!;
      values[u * rows + r] = v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  }
  return { units, values, min, max };
}

/**
 * Every unit's map for `params` (the model's arena) over `grid`, `resolution`² input rows already
 * standardized as the model sees its data (see boundaryFeatures).
 */
export function neuronMaps(spec: ModelSpec, params: Float32Array, grid: Float32Array, resolution: number): NeuronMaps {
  const rows = resolution * resolution;
  if (grid.length !== rows * spec.inputSize)
    throw new Error(`a ${resolution}² grid of ${spec.inputSize} inputs has ${rows * spec.inputSize} values, got ${grid.length}`);
  const layers = denseLayers(spec);
  const outs = stackForward(layers, arenaLayout(spec), Float64Array.from(params), Float64Array.from(grid), rows);
  const maps = layers.slice(0, -1).map((layer, i) => byUnit(outs[i + 1]!, rows, layer.units));
  maps.push(byUnit(headValues(spec, outs[outs.length - 1]!, rows), rows, spec.outputSize));
  return { resolution, layers: maps };
}
