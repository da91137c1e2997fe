// The 2-D data as the views draw it: raw points, their splits and the plot area around them.
import type { LabeledTable } from '../data/dataset.ts';
import type { LoadedData } from '../data/load.ts';
import type { PlotBounds } from './boundary.ts';

/** The points of a 2-D data set as the views draw them. */
export interface PlotPoints {
  features: Float32Array;
  /** Class per point (a regression target's quantile bin). */
  labels: Uint32Array;
  /** 0 train, 1 validation, 2 test. */
  split: Uint8Array;
  bounds: PlotBounds;
  /** Regression only: each point's target. */
  values?: Float32Array;
}

/** The raw 2-D points the views draw, with each row's split (0 train, 1 validation, 2 test) and the plot area. */
export function plotPoints(data: LoadedData): PlotPoints {
  const { table, splits } = data;
  const split = new Uint8Array(table.labels.length);
  splits.validation.forEach((r) => (split[r] = 1));
  splits.test.forEach((r) => (split[r] = 2));
  const points: PlotPoints = { features: Float32Array.from(table.features), labels: Uint32Array.from(table.labels), split, bounds: plotBounds(data) };
  if (table.values) points.values = Float32Array.from(table.values);
  return points;
}

/** The plot area of a 2-D dataset: the one its data fixes (a drawing's plane), else its raw points' range with a 10% margin. */
export function plotBounds(data: LoadedData): PlotBounds {
  if (data.bounds) return data.bounds;
  const f = data.table.features;
  let [xMin, xMax, yMin, yMax] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < f.length; i += 2) {
    xMin = Math.min(xMin, f[i]!);
    xMax = Math.max(xMax, f[i]!);
    yMin = Math.min(yMin, f[i + 1]!);
    yMax = Math.max(yMax, f[i + 1]!);
  }
  const padX = (xMax - xMin) * 0.1 || 1;
  const padY = (yMax - yMin) * 0.1 || 1;
  return { xMin: xMin - padX, xMax: xMax + padX, yMin: yMin - padY, yMax: yMax + padY };
}

/** The class (a regression target's bin) of each of `rows`, in their order. */
export function splitLabels(table: LabeledTable, rows: Uint32Array): Uint32Array {
  return rows.map((r) => table.labels[r]!);
}
