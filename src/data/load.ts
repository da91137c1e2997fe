import { taskOf, type ExperimentConfig } from '../config/experiment.ts';
import type { Task } from '../config/task.ts';
import { ConfigError } from '../config/errors.ts';
import type { PlotBounds } from '../train/boundary.ts';
import type { LabeledTable } from './dataset.ts';
import { DRAWN_BOUNDS, drawnTable } from './drawn.ts';
import { DEFAULT_FEATURES, expandTable, isDefaultFeatures, type InputFeature } from './features.ts';
import { irisTable } from './iris.ts';
import { mnistTable, type Mnist } from './mnist.ts';
import { prepareTable, type PreparedData } from './prepare.ts';
import { isRegressionSet, makeRegressionTable } from './regression-sets.ts';
import { applyImbalance, isToyDataset, makeToyTable } from './toy.ts';

/** A prepared dataset plus the raw table it came from (for drawing 2-D points and sample images). */
export interface LoadedData extends PreparedData {
  table: LabeledTable;
  /** For 2-D data, the input features the model takes (computed from `table`'s x1, x2); null otherwise. */
  features: InputFeature[] | null;
  /** The plot area when the data fixes it (a drawing's plane); otherwise the points' range is used. */
  bounds?: PlotBounds;
}

/** Where a session gets MNIST from (loaded once per worker, from the page's own origin). */
export type MnistSource = () => Promise<Mnist>;

/**
 * The experiment's dataset: Iris, a 2-D toy set generated from the seed, MNIST (the first
 * `size` training images, stratified, plus the official 10,000-image test set, pixels in [0, 1]),
 * or the user's CSV table (which never travels in a link, so it is passed in). Class imbalance
 * applies to every built-in set. Then split stratified and standardized on the training split.
 */
export async function loadExperimentData(cfg: ExperimentConfig, custom: LabeledTable | null = null, mnist: MnistSource | null = null): Promise<LoadedData> {
  const d = cfg.dataset;
  const fractions = { validation: cfg.validationSplit, test: cfg.testSplit };
  if (d.name === 'mnist') {
    if (!mnist) throw new ConfigError('dataset', 'MNIST is not available here');
    const data = await mnist();
    const train = applyImbalance(mnistTable(data.train, { limit: d.size, seed: cfg.seed }), d.imbalance, cfg.seed);
    const test = mnistTable(data.test, { seed: cfg.seed });
    const table = concatTables(train, test);
    const testRows = Uint32Array.from({ length: test.labels.length }, (_, i) => train.labels.length + i);
    if (!isDefaultFeatures(cfg.features)) throw new ConfigError('features', 'input features need 2-D data, not MNIST');
    return { ...prepareTable(table, fractions, cfg.seed, { testRows, standardize: false }), table, features: null };
  }
  let table: LabeledTable;
  if (d.name === 'csv') {
    if (!custom) throw new ConfigError('dataset', 'this experiment uses your own CSV file, which is not part of a link: load the file again');
    table = custom;
  } else if (d.name === 'drawn') {
    // The reader's points as drawn, without class imbalance: the balance is the one drawn.
    table = drawnTable(d.drawn ?? [], taskOf(cfg));
  } else if (isToyDataset(d.name)) {
    table = makeToyTable(d, cfg.seed);
  } else if (isRegressionSet(d.name)) {
    table = makeRegressionTable(d, cfg.seed);
  } else {
    table = d.imbalance < 1 ? applyImbalance(irisTable(), d.imbalance, cfg.seed) : irisTable();
  }
  checkTableFitsTask(table, taskOf(cfg));
  const features = cfg.features ?? [...DEFAULT_FEATURES];
  if (table.inputSize !== 2) {
    if (!isDefaultFeatures(cfg.features)) throw new ConfigError('features', `input features need 2-D data; this data set has ${table.inputSize} columns`);
    return { ...prepareTable(table, fractions, cfg.seed), table, features: null };
  }
  // The model sees the features, standardized on the training split; the plots keep the raw points.
  const model = isDefaultFeatures(features) ? table : expandTable(table, features);
  // A drawing is plotted on the plane it was drawn on, so each point stays where it was put.
  const plane = d.name === 'drawn' ? { bounds: { ...DRAWN_BOUNDS } } : {};
  return { ...prepareTable(model, fractions, cfg.seed), table, features, ...plane };
}

/** A table a model of `task` can learn: a regression table for regression, two classes or more for a classifier. */
function checkTableFitsTask(table: LabeledTable, task: Task): void {
  if (task === 'regression' && !table.values) throw new ConfigError('task', 'regression needs a numeric target: this data set has classes');
  if (task === 'classification' && table.values) throw new ConfigError('task', 'this data set has a numeric target: switch the task to regression');
  if (task === 'classification' && table.classNames.length < 2) throw new ConfigError('dataset', 'a classifier needs at least 2 classes');
}

function concatTables(a: LabeledTable, b: LabeledTable): LabeledTable {
  const features = new Float32Array(a.features.length + b.features.length);
  features.set(a.features);
  features.set(b.features, a.features.length);
  const labels = new Uint32Array(a.labels.length + b.labels.length);
  labels.set(a.labels);
  labels.set(b.labels, a.labels.length);
  return { ...a, features, labels };
}
