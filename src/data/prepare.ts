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
}

/**
 * Splits a classification table stratified by class and standardizes it with statistics of the
 * training split only, so validation and test rows cannot leak into preprocessing.
 */
export function prepareTable(table: LabeledTable, fractions: SplitFractions, seed: number): PreparedData {
  const rows = table.labels.length;
  if (table.features.length !== rows * table.inputSize) {
    throw new Error(`table has ${table.features.length} feature values for ${rows} rows of ${table.inputSize}`);
  }
  const splits = stratifiedSplit(table.labels, fractions, seed);
  const standardizer = fitStandardizer(table.features, table.inputSize, splits.train);
  const features = applyStandardizer(table.features, table.inputSize, standardizer);
  const targets = Float32Array.from(table.labels);
  return {
    dataset: { features, targets, rows, inputSize: table.inputSize, targetWidth: 1 },
    splits,
    classNames: [...table.classNames],
    featureNames: [...table.featureNames],
    standardizer,
  };
}
