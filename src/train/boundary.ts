import type { Standardizer } from '../data/standardize.ts';

/** The region of feature space a decision boundary covers. */
export interface PlotBounds {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** Predicted class and its probability over a grid of `resolution`² cells, row 0 at yMax. */
export interface BoundaryGrid {
  resolution: number;
  bounds: PlotBounds;
  classes: Uint8Array;
  confidence: Float32Array;
}

/**
 * The centres of a `resolution`² grid over `bounds` (row 0 at yMax), as model inputs:
 * standardized with the training statistics, like the data the model saw.
 */
export function boundaryFeatures(bounds: PlotBounds, standardizer: Standardizer, resolution: number): Float32Array {
  const { mean, std } = standardizer;
  const grid = new Float32Array(resolution * resolution * 2);
  for (let r = 0; r < resolution; r++) {
    const y = bounds.yMax - ((r + 0.5) / resolution) * (bounds.yMax - bounds.yMin);
    for (let c = 0; c < resolution; c++) {
      const x = bounds.xMin + ((c + 0.5) / resolution) * (bounds.xMax - bounds.xMin);
      grid[(r * resolution + c) * 2] = (x - mean[0]!) / std[0]!;
      grid[(r * resolution + c) * 2 + 1] = (y - mean[1]!) / std[1]!;
    }
  }
  return grid;
}

/** The most probable class of each grid cell and its probability, from `classes` probabilities per cell. */
export function boundaryFromProbabilities(probs: Float32Array, resolution: number, bounds: PlotBounds, classes: number): BoundaryGrid {
  const n = resolution * resolution;
  const predicted = new Uint8Array(n);
  const confidence = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (probs[i * classes + k]! > probs[i * classes + best]!) best = k;
    predicted[i] = best;
    confidence[i] = probs[i * classes + best]!;
  }
  return { resolution, bounds, classes: predicted, confidence };
}
