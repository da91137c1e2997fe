import { DEFAULT_FEATURES, expandFeatures, isDefaultFeatures, type InputFeature } from '../data/features.ts';
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
  /** Regression only: the predicted value of each cell in the target's units (classes and confidence are then 0). */
  values?: Float32Array;
}

/**
 * The centres of a `resolution`² grid over `bounds` (row 0 at yMax), as model inputs: the
 * model's input `features` of each point, standardized with the training statistics, like the
 * data the model saw.
 */
export function boundaryFeatures(
  bounds: PlotBounds,
  standardizer: Standardizer,
  resolution: number,
  features: readonly InputFeature[] = DEFAULT_FEATURES,
): Float32Array {
  const { mean, std } = standardizer;
  const raw = new Float32Array(resolution * resolution * 2);
  for (let r = 0; r < resolution; r++) {
    const y = bounds.yMax - ((r + 0.5) / resolution) * (bounds.yMax - bounds.yMin);
    for (let c = 0; c < resolution; c++) {
      raw[(r * resolution + c) * 2] = bounds.xMin + ((c + 0.5) / resolution) * (bounds.xMax - bounds.xMin);
      raw[(r * resolution + c) * 2 + 1] = y;
    }
  }
  // The same input features as the model's data (float32, as its table holds them), then its standardization.
  const grid = isDefaultFeatures(features) ? raw : expandFeatures(raw, resolution * resolution, features);
  const width = features.length;
  for (let i = 0; i < grid.length; i++) grid[i] = (grid[i]! - mean[i % width]!) / std[i % width]!;
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
