/**
 * Turns a parsed CSV into a classification table: numeric and one-hot feature columns, label
 * classes. Split from csv.ts, which only parses.
 */
import { MODEL_LIMITS } from '../nn/spec.ts';
import { CsvError, isNumericCell, type CsvColumnChoice, type ParsedCsv } from './csv.ts';
import type { Task } from '../config/task.ts';
import type { LabeledTable } from './dataset.ts';
import { regressionTable } from './regression-table.ts';

/** A text feature column with at most this many distinct values is one-hot encoded. */
export const MAX_CATEGORIES = 20;
/** Most classes a label column may have: the engine's output-layer limit. */
export const MAX_CSV_CLASSES = MODEL_LIMITS.maxOutputSize;
/** Widest feature vector after one-hot encoding: the engine's input-width limit. */
export const MAX_CSV_FEATURES = MODEL_LIMITS.maxInputSize;
/** Most feature values (rows × inputs) in a table: 100 MB of float32, so one-hot columns cannot blow up memory. */
export const MAX_CSV_VALUES = 25_000_000;

/** How one chosen feature column becomes network inputs. */
type Encoding = { kind: 'number' } | { kind: 'onehot'; values: string[] };

/**
 * Builds a classification table from the chosen columns (for `regression`, a table whose label
 * column is a numeric target, see targetsOf). Numeric feature columns are used as they
 * are; a text column with at most MAX_CATEGORIES distinct values becomes one input per value
 * ('color=red'). The label may be text or numbers; class ids follow the sorted distinct values.
 * Throws a CsvError naming the column and line of the first cell it cannot use.
 */
export function tableFromCsv(csv: ParsedCsv, choice: CsvColumnChoice, task: Task = 'classification'): LabeledTable {
  checkChoice(csv, choice);
  const lineOf = (r: number): number => csv.rowLines?.[r] ?? r + (csv.hasHeader ? 2 : 1);
  for (const c of [...choice.features, choice.label]) {
    const r = csv.rows.findIndex((row) => row[c]!.trim() === '');
    if (r >= 0) throw new CsvError(`empty cell in column "${clip(csv.header[c]!)}"`, lineOf(r));
  }
  const encodings = choice.features.map((c) => encodingOf(csv, c, lineOf));
  const featureNames = choice.features.flatMap((c, f) => {
    const e = encodings[f]!;
    return e.kind === 'number' ? [csv.header[c]!] : e.values.map((v) => `${csv.header[c]}=${v}`);
  });
  const w = featureNames.length;
  if (w > MAX_CSV_FEATURES) throw new CsvError(`the chosen columns make ${w} inputs; the limit is ${MAX_CSV_FEATURES}`);
  if (w * csv.rows.length > MAX_CSV_VALUES) {
    throw new CsvError(`${csv.rows.length} rows × ${w} inputs is too much data; the limit is ${MAX_CSV_VALUES.toLocaleString('en')} values`);
  }
  const values = task === 'regression' ? targetsOf(csv, choice.label, lineOf) : null;
  const { classNames, labels } = values ? { classNames: [], labels: new Uint32Array(0) } : labelsOf(csv, choice.label);
  const features = new Float32Array(csv.rows.length * w);
  csv.rows.forEach((row, r) => {
    let o = r * w;
    choice.features.forEach((c, f) => {
      const e = encodings[f]!;
      const cell = row[c]!.trim();
      if (e.kind === 'number') {
        const v = Number(cell);
        if (Math.abs(v) > 3.4e38) throw new CsvError(`"${clip(cell)}" in column "${clip(csv.header[c]!)}" is too large for 32-bit floats`, lineOf(r));
        features[o++] = v;
      } else {
        features[o + e.values.indexOf(cell)] = 1;
        o += e.values.length;
      }
    });
  });
  if (values) return regressionTable(features, w, values, featureNames, csv.header[choice.label]!);
  return { features, inputSize: w, labels, classNames, featureNames };
}

/** A regression target column: every cell a number within float32, and at least two distinct values. */
function targetsOf(csv: ParsedCsv, c: number, lineOf: (r: number) => number): Float32Array {
  const name = clip(csv.header[c]!);
  const text = csv.rows.findIndex((row) => !isNumericCell(row[c]!));
  if (text >= 0) {
    throw new CsvError(`the target column "${name}" has text ("${clip(csv.rows[text]![c]!.trim())}"); regression needs a number in every row`, lineOf(text));
  }
  const values = Float32Array.from(csv.rows, (row) => Number(row[c]!.trim()));
  const huge = values.findIndex((v) => !Number.isFinite(v));
  if (huge >= 0) throw new CsvError(`"${clip(csv.rows[huge]![c]!.trim())}" in the target column "${name}" is too large for 32-bit floats`, lineOf(huge));
  if (values.every((v) => v === values[0])) {
    throw new CsvError(`the target column "${name}" has a single value (${values[0]}) in every row: there is nothing to predict`);
  }
  return values;
}

function checkChoice(csv: ParsedCsv, choice: CsvColumnChoice): void {
  const cols = csv.header.length;
  const valid = (c: number): boolean => Number.isInteger(c) && c >= 0 && c < cols;
  if (!valid(choice.label)) throw new CsvError(`label column ${choice.label} does not exist (the file has ${cols} columns)`);
  if (choice.features.length === 0) throw new CsvError('choose at least one feature column');
  const seen = new Set<number>();
  for (const c of choice.features) {
    if (!valid(c)) throw new CsvError(`feature column ${c} does not exist (the file has ${cols} columns)`);
    if (c === choice.label) throw new CsvError(`column "${clip(csv.header[c]!)}" cannot be both a feature and the label`);
    if (seen.has(c)) throw new CsvError(`column "${clip(csv.header[c]!)}" is chosen twice`);
    seen.add(c);
  }
  if (csv.rows.length === 0) throw new CsvError('the file has a header but no data rows');
}

function encodingOf(csv: ParsedCsv, c: number, lineOf: (r: number) => number): Encoding {
  const bad = csv.rows.findIndex((row) => !isNumericCell(row[c]!));
  if (bad < 0) return { kind: 'number' };
  const values = new Set<string>();
  for (const row of csv.rows) {
    values.add(row[c]!.trim());
    if (values.size > MAX_CATEGORIES) {
      throw new CsvError(
        `column "${clip(csv.header[c]!)}" is not numeric ("${clip(csv.rows[bad]![c]!.trim())}"), and it has more than ` +
          `${MAX_CATEGORIES} distinct values, too many to one-hot encode`,
        lineOf(bad),
      );
    }
  }
  return { kind: 'onehot', values: sortValues([...values]) };
}

function labelsOf(csv: ParsedCsv, c: number): { classNames: string[]; labels: Uint32Array } {
  const numeric = csv.rows.every((row) => isNumericCell(row[c]!));
  // Numeric labels are keyed by value so "1" and "1.0" are one class.
  const key = (cell: string): string => (numeric ? String(Number(cell.trim())) : cell.trim());
  const distinct = new Set<string>();
  for (const row of csv.rows) {
    distinct.add(key(row[c]!));
    if (distinct.size > MAX_CSV_CLASSES) {
      throw new CsvError(
        `the label column "${clip(csv.header[c]!)}" has more than ${MAX_CSV_CLASSES} distinct values; ` + `a classifier needs ≤ ${MAX_CSV_CLASSES} classes`,
      );
    }
  }
  if (distinct.size < 2) {
    throw new CsvError(`the label column "${clip(csv.header[c]!)}" has only one value; a classifier needs at least 2 classes`);
  }
  const classNames = sortValues([...distinct]);
  const id = new Map(classNames.map((name, k) => [name, k]));
  return { classNames, labels: Uint32Array.from(csv.rows, (row) => id.get(key(row[c]!))!) };
}

/** Numeric order when every value is a number, else code-unit order (stable across locales). */
function sortValues(values: string[]): string[] {
  if (values.every(isNumericCell)) return values.sort((a, b) => Number(a) - Number(b));
  return values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
