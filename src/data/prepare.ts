import type { DataSplits, LabeledTable, TensorDataset } from './dataset.ts';
import { stratifiedSplit, type SplitFractions } from './split.ts';
import { applyStandardizer, fitStandardizer, type Standardizer } from './standardize.ts';

/** A table made ready for the engine: split, standardized, and labelled for the UI. */
export interface PreparedData {
  /** Standardized features; targets hold the class id as a float (targetWidth 1). */
  dataset: TensorDataset;
  splits: DataSplits;
  classNames: string[];
  featureNames: string[];
  /** Fitted on the training split only; applied to new inputs such as a decision-boundary grid. */
  standardizer: Standardizer;
  /**
   * Regression only: the target's mean and standard deviation on the training split. The model
   * learns the standardized target (so a CSV's prices train like the plane's [-1, 1]); its
   * outputs × std + mean are predictions in the target's units. Null for classification.
   */
  targetScale: TargetScale | null;
}

/** How a regression target was standardized: model output × std + mean is the prediction. */
export interface TargetScale {
  mean: number;
  std: number;
}

/** Mean and standard deviation (population, 1 when constant) of `values` over `rows`, in float64. */
export function fitTargetScale(values: Float32Array, rows: Uint32Array): TargetScale {
  let sum = 0;
  rows.forEach((r) => (sum += values[r]!));
  const mean = rows.length ? sum / rows.length : 0;
  let sq = 0;
  rows.forEach((r) => (sq += (values[r]! - mean) ** 2));
  const std = rows.length ? Math.sqrt(sq / rows.length) : 0;
  return { mean, std: std > 0 ? std : 1 };
}

/** How a table is prepared beyond the defaults. */
export interface PrepareOptions {
  /** Rows that form the test split as given (MNIST's official test set); the rest is split into train and validation. */
  testRows?: Uint32Array;
  /** False keeps features as they are (pixels already in [0, 1], where per-pixel scaling would blow up rare pixels). */
  standardize?: boolean;
}

function identity(width: number): Standardizer {
  return { mean: new Float64Array(width), std: new Float64Array(width).fill(1) };
}

function splitAroundTest(labels: Uint32Array, testRows: Uint32Array, validation: number, seed: number): DataSplits {
  const isTest = new Uint8Array(labels.length);
  testRows.forEach((r) => (isTest[r] = 1));
  const rest = Uint32Array.from({ length: labels.length }, (_, i) => i).filter((i) => !isTest[i]);
  const inner = stratifiedSplit(
    rest.map((r) => labels[r]!),
    { validation, test: 0 },
    seed,
  );
  return { train: inner.train.map((i) => rest[i]!), validation: inner.validation.map((i) => rest[i]!), test: Uint32Array.from(testRows) };
}

/**
 * Splits a table stratified by class (a regression table by its target's quantile bin) and standardizes it with statistics of the
 * training split only, so validation and test rows cannot leak into preprocessing.
 */
export function prepareTable(table: LabeledTable, fractions: SplitFractions, seed: number, options: PrepareOptions = {}): PreparedData {
  const rows = table.labels.length;
  if (table.features.length !== rows * table.inputSize) {
    throw new Error(`table has ${table.features.length} feature values for ${rows} rows of ${table.inputSize}`);
  }
  const splits = options.testRows
    ? splitAroundTest(table.labels, options.testRows, fractions.validation, seed)
    : stratifiedSplit(table.labels, fractions, seed);
  const standardizer = options.standardize === false ? identity(table.inputSize) : fitStandardizer(table.features, table.inputSize, splits.train);
  const features = options.standardize === false ? table.features : applyStandardizer(table.features, table.inputSize, standardizer);
  const values = table.values;
  const targetScale = values ? fitTargetScale(values, splits.train) : null;
  const targets = values && targetScale ? values.map((v) => (v - targetScale.mean) / targetScale.std) : Float32Array.from(table.labels);
  return {
    dataset: { features, targets, rows, inputSize: table.inputSize, targetWidth: 1 },
    splits,
    classNames: [...table.classNames],
    featureNames: [...table.featureNames],
    standardizer,
    targetScale,
  };
}
