// The 2-D data as the views draw it: raw points, their splits and the plot area around them.
import type { LoadedData } from '../data/load.ts';
import type { PlotBounds } from './boundary.ts';

/** The raw 2-D points the views draw, with each row's split (0 train, 1 validation, 2 test) and the plot area. */
export function plotPoints(data: LoadedData): { features: Float32Array; labels: Uint32Array; split: Uint8Array; bounds: PlotBounds } {
  const { table, splits } = data;
  const split = new Uint8Array(table.labels.length);
  splits.validation.forEach((r) => (split[r] = 1));
  splits.test.forEach((r) => (split[r] = 2));
  return { features: Float32Array.from(table.features), labels: Uint32Array.from(table.labels), split, bounds: plotBounds(data) };
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
