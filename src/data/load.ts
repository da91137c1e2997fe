import type { ExperimentConfig } from '../config/experiment.ts';
import { ConfigError } from '../nn/spec.ts';
import type { LabeledTable } from './dataset.ts';
import { irisTable } from './iris.ts';
import { prepareTable, type PreparedData } from './prepare.ts';
import { applyImbalance, isToyDataset, makeToyTable } from './toy.ts';

/** A prepared dataset plus the raw table it came from (for drawing 2-D points). */
export interface LoadedData extends PreparedData {
  table: LabeledTable;
}

/**
 * The experiment's dataset: Iris or a 2-D toy set generated from the seed, with the class
 * imbalance applied, or the user's CSV table (which never travels in a link, so it is passed in).
 * Then split stratified and standardized on the training split.
 */
export function loadExperimentData(cfg: ExperimentConfig, custom: LabeledTable | null = null): LoadedData {
  const d = cfg.dataset;
  let table: LabeledTable;
  if (d.name === 'csv') {
    if (!custom) throw new ConfigError('dataset', 'this experiment uses your own CSV file, which is not part of a link: load the file again');
    table = custom;
  } else if (isToyDataset(d.name)) {
    table = makeToyTable(d, cfg.seed);
  } else {
    table = d.imbalance < 1 ? applyImbalance(irisTable(), d.imbalance, cfg.seed) : irisTable();
  }
  if (table.classNames.length < 2) throw new ConfigError('dataset', 'a classifier needs at least 2 classes');
  const prepared = prepareTable(table, { validation: cfg.validationSplit, test: cfg.testSplit }, cfg.seed);
  return { ...prepared, table };
}
