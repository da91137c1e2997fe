// Input features of 2-D data, as TensorFlow Playground offers them: the plane's coordinates and
// products and sines of them. With x1² and x2² a network without hidden layers separates circles,
// which it cannot from x1 and x2 alone: the lesson of a feature that makes a problem linear.
import { ConfigError } from '../config/errors.ts';
import type { LabeledTable } from './dataset.ts';

/** Every input feature, in the order the model's inputs take them. */
export const INPUT_FEATURES = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'] as const;
/** One input feature of 2-D data. */
export type InputFeature = (typeof INPUT_FEATURES)[number];
/** The plain coordinates: what a 2-D data set gives without feature engineering. */
export const DEFAULT_FEATURES: readonly InputFeature[] = ['x1', 'x2'];

/** How each feature reads (also its name in a model file and in the exported scripts' data). */
export const FEATURE_LABELS: Record<InputFeature, string> = {
  x1: 'x₁',
  x2: 'x₂',
  x1sq: 'x₁²',
  x2sq: 'x₂²',
  x1x2: 'x₁·x₂',
  sinx1: 'sin(x₁)',
  sinx2: 'sin(x₂)',
};

/** A feature of the point (x1, x2), in float64 (the caller rounds to float32, as the exported scripts do). */
export function featureValue(f: InputFeature, x1: number, x2: number): number {
  switch (f) {
    case 'x1':
      return x1;
    case 'x2':
      return x2;
    case 'x1sq':
      return x1 * x1;
    case 'x2sq':
      return x2 * x2;
    case 'x1x2':
      return x1 * x2;
    case 'sinx1':
      return Math.sin(x1);
    case 'sinx2':
      return Math.sin(x2);
  }
}

/** Checks a feature list: known names, no repeats, at least one; returns it in INPUT_FEATURES order. */
export function validateFeatures(list: readonly string[]): InputFeature[] {
  if (!Array.isArray(list) || list.length === 0) throw new ConfigError('features', 'at least one input feature must be on');
  for (const f of list) {
    if (!INPUT_FEATURES.includes(f as InputFeature))
      throw new ConfigError('features', `unknown input feature "${String(f).slice(0, 20)}" (known: ${INPUT_FEATURES.join(', ')})`);
  }
  if (new Set(list).size !== list.length) throw new ConfigError('features', 'an input feature is listed twice');
  return INPUT_FEATURES.filter((f) => list.includes(f));
}

/** True for the plain coordinates (nothing to compute). */
export function isDefaultFeatures(list: readonly InputFeature[] | undefined): boolean {
  return list === undefined || (list.length === 2 && list[0] === 'x1' && list[1] === 'x2');
}

/** Each 2-D row (x1, x2) of `raw` as the features `list`, row-major, float32. */
export function expandFeatures(raw: ArrayLike<number>, rows: number, list: readonly InputFeature[]): Float32Array {
  const out = new Float32Array(rows * list.length);
  for (let r = 0; r < rows; r++) {
    const [x1, x2] = [raw[2 * r]!, raw[2 * r + 1]!];
    list.forEach((f, k) => (out[r * list.length + k] = featureValue(f, x1, x2)));
  }
  return out;
}

/** A 2-D table with the features `list` as its columns (labels and class names unchanged). */
export function expandTable(table: LabeledTable, list: readonly InputFeature[]): LabeledTable {
  if (table.inputSize !== 2) throw new ConfigError('features', `input features need 2-D data; this data set has ${table.inputSize} columns`);
  return {
    ...table,
    features: expandFeatures(table.features, table.labels.length, list),
    inputSize: list.length,
    featureNames: list.map((f) => FEATURE_LABELS[f]),
  };
}
