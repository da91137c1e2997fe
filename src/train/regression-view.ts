// What the views need of a regression model: the target's scale, the true values of the
// evaluation splits, and the predicted value over the plane (a heatmap instead of a boundary).
import type { LoadedData } from '../data/load.ts';
import type { TargetScale } from '../data/prepare.ts';
import { unscale } from '../metrics/regression.ts';
import type { BoundaryGrid, PlotBounds } from './boundary.ts';

/** A regression session's facts for the metrics panel and the plots. */
export interface RegressionInfo {
  /** Model output × std + mean is a prediction in the target's units. */
  scale: TargetScale;
  /** The target's name (the CSV column, or y). */
  targetName: string;
  /** Raw targets of the evaluation splits, in split order (as evaluate returns outputs). */
  targets: { validation: Float32Array; test: Float32Array };
  /** Smallest and largest target of all rows, for a colour scale shared by points and predictions. */
  range: [number, number];
}

/** The regression facts of loaded data, or null for a classification table. */
export function regressionInfo(data: LoadedData): RegressionInfo | null {
  const values = data.table.values;
  if (!values || !data.targetScale) return null;
  let lo = Infinity;
  let hi = -Infinity;
  values.forEach((v) => {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  });
  return {
    scale: data.targetScale,
    targetName: data.classNames[0] ?? 'y',
    targets: { validation: pick(values, data.splits.validation), test: pick(values, data.splits.test) },
    range: [lo, hi],
  };
}

function pick(values: Float32Array, rows: Uint32Array): Float32Array {
  return Float32Array.from(rows, (r) => values[r]!);
}

/**
 * The predicted value of each grid cell (in the target's units) as a BoundaryGrid whose
 * `values` are set; no class is predicted, so `classes` and `confidence` are zero.
 */
export function valueGrid(outputs: Float32Array, resolution: number, bounds: PlotBounds, scale: TargetScale): BoundaryGrid {
  const n = resolution * resolution;
  return { resolution, bounds, classes: new Uint8Array(n), confidence: new Float32Array(n), values: unscale(outputs.subarray(0, n), scale) };
}
