import { arenaLayout, layerTensors, type ArenaLayout } from './arena.ts';
import { Rng } from './rng.ts';
import { denseLayers, type ModelSpec } from './spec.ts';

/**
 * Initial parameters for a model as a float32 arena: He-uniform for (leaky) ReLU layers,
 * Glorot-uniform otherwise (Keras' defaults for those activations), zero biases. Both backends
 * start from these exact float32 values, so GPU and CPU runs can be compared step by step.
 */
export function initParams(spec: ModelSpec, seed: number, layout: ArenaLayout = arenaLayout(spec)): Float32Array {
  const rng = new Rng(seed);
  const params = new Float32Array(layout.totalFloats);
  denseLayers(spec).forEach((l, i) => {
    const { weight } = layerTensors(layout, i);
    const relu = l.activation === 'relu' || l.activation === 'leaky_relu';
    const limit = relu ? Math.sqrt(6 / l.inputs) : Math.sqrt(6 / (l.inputs + l.units));
    for (let k = 0; k < weight.size; k++) {
      params[weight.offset + k] = (rng.uniform() * 2 - 1) * limit;
    }
  });
  return params;
}
