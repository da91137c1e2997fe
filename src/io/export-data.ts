// What an exported script checks its data against: CRC-32 fingerprints of the playground's raw
// table and of its split rows, computed here from the same generators the engine uses, so the
// script can say whether it rebuilt exactly the playground's rows.
import { remediesOf, taskOf, type ExperimentConfig } from '../config/experiment.ts';
import type { LabeledTable } from '../data/dataset.ts';
import { drawnTable } from '../data/drawn.ts';
import { irisTable } from '../data/iris.ts';
import { isRegressionSet, makeRegressionTable } from '../data/regression-sets.ts';
import { stratifiedSplit } from '../data/split.ts';
import { applyImbalance, isToyDataset, makeToyTable } from '../data/toy.ts';

/**
 * CRC-32 of the raw table (float32 features, uint32 labels, then a regression table's float32
 * targets; its labels are the targets' quantile bins) and of the train, validation and test rows.
 */
export interface DataFingerprint {
  table: number;
  splits: number;
}

let crcTable: Uint32Array | null = null;

/** The CRC-32 (zlib's, IEEE 802.3) of `bytes`, continuing from `crc` (0 to start). */
export function crc32(bytes: Uint8Array, crc = 0): number {
  crcTable ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** Little-endian bytes of a typed array (every platform the playground runs on is little-endian; checked). */
function bytesOf(a: Float32Array | Uint32Array): Uint8Array {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('data fingerprints need a little-endian platform');
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * The table the engine builds for a built-in dataset that needs no download (Iris, the 2-D
 * sets, the regression sets, a drawing), or `custom` for CSV; null for MNIST, whose images the
 * exporter does not hold.
 */
export function exportTable(config: ExperimentConfig, custom: LabeledTable | null = null): LabeledTable | null {
  const d = config.dataset;
  if (d.name === 'csv') return custom;
  if (d.name === 'mnist') return null;
  if (d.name === 'drawn') return drawnTable(d.drawn ?? [], taskOf(config));
  if (isToyDataset(d.name)) return makeToyTable(d, config.seed);
  if (isRegressionSet(d.name)) return makeRegressionTable(d, config.seed);
  return d.imbalance < 1 ? applyImbalance(irisTable(), d.imbalance, config.seed) : irisTable();
}

/**
 * Fingerprints of the rows the playground trains on: the raw table and its stratified split
 * from the seed. Null when the exporter has no table (MNIST) or GAN oversampling adds rows the
 * script cannot make.
 */
export function dataFingerprint(config: ExperimentConfig, custom: LabeledTable | null = null): DataFingerprint | null {
  if (remediesOf(config).ganOversample) return null;
  const table = exportTable(config, custom);
  if (!table) return null;
  const splits = stratifiedSplit(table.labels, { validation: config.validationSplit, test: config.testSplit }, config.seed);
  const rows = crc32(bytesOf(splits.test), crc32(bytesOf(splits.validation), crc32(bytesOf(splits.train))));
  const raw = crc32(bytesOf(table.labels), crc32(bytesOf(table.features)));
  // The bins alone would not notice a target that moved within its bin.
  return { table: table.values ? crc32(bytesOf(table.values), raw) : raw, splits: rows };
}
