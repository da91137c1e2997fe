/**
 * CSV import for the user's own data. The file is untrusted: every limit is checked while
 * parsing, before anything large is allocated, and every rejection says what is wrong and where.
 * Everything runs in the page; nothing is uploaded.
 */

/** Bounds on an imported file; `parseCsv` rejects anything past them. */
export interface CsvLimits {
  /** Length of the text in characters (the file's size, for ASCII data). */
  maxChars: number;
  /** Data rows, not counting a header. */
  maxRows: number;
  maxColumns: number;
}

/** 20 MB of text, 100,000 rows, 1,000 columns. */
export const CSV_LIMITS: CsvLimits = { maxChars: 20_000_000, maxRows: 100_000, maxColumns: 1000 };

/** Delimiters `parseCsv` recognises. */
export const CSV_DELIMITERS = [',', ';', '\t'] as const;

/** A rejected file. `line` is the 1-based line of the file where the problem is, when there is one. */
export class CsvError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'CsvError';
  }
}

/** A parsed file: every row has `header.length` fields. */
export interface ParsedCsv {
  /** Column names: the file's first row, or 'column 1', 'column 2', … when it has no header. */
  header: string[];
  /** Data rows (without the header), fields as written, quotes removed. */
  rows: string[][];
  hasHeader: boolean;
  delimiter: string;
  /** The file line each row starts on, for error messages; when absent rows are assumed one per line. */
  rowLines?: number[];
}

/** Which columns feed the network and which one is the class. */
export interface CsvColumnChoice {
  features: number[];
  label: number;
}

/** A cursor over the text that reads one field or record at a time, tracking the file line. */
class Reader {
  i = 0;
  line = 1;

  constructor(
    readonly text: string,
    readonly delim: string,
    readonly maxColumns: number,
  ) {}

  private endsField(k: number): boolean {
    const c = this.text[k];
    return k >= this.text.length || c === this.delim || c === '\n' || c === '\r';
  }

  /** A field that starts with a quote; "" inside stands for one quote. */
  private quoted(): string {
    const open = this.line;
    let field = '';
    for (this.i++; ;) {
      const q = this.text.indexOf('"', this.i);
      if (q < 0) throw new CsvError('a quoted field is never closed (missing ")', open);
      const chunk = this.text.slice(this.i, q);
      this.line += countNewlines(chunk);
      field += chunk;
      this.i = q + 1;
      if (this.text[this.i] !== '"') break;
      field += '"';
      this.i++;
    }
    if (!this.endsField(this.i)) throw new CsvError('unexpected text after a closing quote', this.line);
    return field;
  }

  /** The next record's fields, and whether it was a blank line (one unquoted field of spaces). */
  record(): { fields: string[]; blank: boolean } {
    const fields: string[] = [];
    let quoted = false;
    for (;;) {
      if (this.text[this.i] === '"') {
        quoted = true;
        fields.push(this.quoted());
      } else {
        let j = this.i;
        while (!this.endsField(j)) j++;
        fields.push(this.text.slice(this.i, j));
        this.i = j;
      }
      if (fields.length > this.maxColumns) throw new CsvError(`more than ${this.maxColumns} columns; the limit is ${this.maxColumns}`, this.line);
      if (this.text[this.i] !== this.delim) break;
      this.i++;
    }
    if (this.text[this.i] === '\r') this.i++;
    if (this.text[this.i] === '\n') this.i++;
    this.line++;
    return { fields, blank: !quoted && fields.length === 1 && fields[0]!.trim() === '' };
  }
}

/**
 * Reads RFC 4180 records: quoted fields with "" for a quote, newlines inside quotes, CRLF, LF or
 * CR line ends; blank lines are skipped. Stops after `maxRecords`.
 */
function readRecords(text: string, delim: string, maxRecords: number, maxColumns: number) {
  const reader = new Reader(text, delim, maxColumns);
  const out = { records: [] as string[][], lines: [] as number[] };
  while (reader.i < text.length && out.records.length < maxRecords) {
    const start = reader.line;
    const { fields, blank } = reader.record();
    if (blank) continue;
    out.records.push(fields);
    out.lines.push(start);
  }
  return out;
}

function countNewlines(s: string): number {
  let count = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    // CRLF counts once: count LF, and CR only when no LF follows.
    if (c === 10 || (c === 13 && s.charCodeAt(k + 1) !== 10)) count++;
  }
  return count;
}

/**
 * Picks the delimiter that splits the first rows into the same number (> 1) of fields, preferring
 * more fields; a single-column file falls back to a comma.
 */
function detectDelimiter(text: string): string {
  const sample = text.slice(0, 65536);
  let best: string = ',';
  let bestScore = 0;
  for (const d of CSV_DELIMITERS) {
    let recs: string[][];
    try {
      recs = readRecords(sample, d, 20, Infinity).records;
    } catch {
      continue;
    }
    if (recs.length > 1 && text.length > sample.length) recs.pop(); // may be cut mid-row
    const width = recs[0]?.length ?? 0;
    const consistent = recs.every((r) => r.length === width);
    const score = width > 1 ? (consistent ? 1000 : 0) + width : 0;
    if (score > bestScore) [best, bestScore] = [d, score];
  }
  return best;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** True for a plain decimal number (no hex, no Infinity, no empty string). */
export function isNumericCell(s: string): boolean {
  return NUMBER.test(s.trim());
}

/**
 * The first row is a header when some column has a non-numeric first cell and only numbers
 * below it: a label column of names cannot tell a header from data, a numeric column can.
 */
function detectHeader(records: string[][]): boolean {
  if (records.length < 2) return records.length === 1 && !records[0]!.every(isNumericCell);
  const first = records[0]!;
  return first.some((cell, c) => {
    if (cell.trim() === '' || isNumericCell(cell)) return false;
    for (let r = 1; r < records.length; r++) if (!isNumericCell(records[r]![c]!)) return false;
    return true;
  });
}

/**
 * Parses CSV text with RFC 4180 quoting, detecting the delimiter (`,` `;` or tab) and whether the
 * first row is a header. Throws a CsvError for an empty file, an unterminated quote, rows with a
 * different number of fields than the first, and files past `limits`.
 */
export function parseCsv(text: string, limits: Partial<CsvLimits> = {}): ParsedCsv {
  const lim: CsvLimits = { ...CSV_LIMITS, ...limits };
  const mb = (chars: number): string => `${(chars / 1e6).toFixed(1)} MB`;
  if (text.length > lim.maxChars) throw new CsvError(`the file is too large: ${mb(text.length)}; the limit is ${mb(lim.maxChars)}`);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new CsvError('the file is empty');
  const delimiter = detectDelimiter(body);
  const { records, lines } = readRecords(body, delimiter, lim.maxRows + 2, lim.maxColumns);
  const width = records[0]!.length;
  for (let r = 1; r < records.length; r++) {
    const got = records[r]!.length;
    if (got !== width) {
      throw new CsvError(`row has ${got} field${got === 1 ? '' : 's'}, but the first row (line ${lines[0]}) has ${width}`, lines[r]);
    }
  }
  const hasHeader = detectHeader(records);
  const dataRows = records.length - (hasHeader ? 1 : 0);
  if (dataRows > lim.maxRows) {
    throw new CsvError(`too many rows: more than ${lim.maxRows} data rows; the limit is ${lim.maxRows}`, lines[lim.maxRows + (hasHeader ? 1 : 0)]);
  }
  const header = hasHeader ? records[0]!.map((name, c) => name.trim() || `column ${c + 1}`) : Array.from({ length: width }, (_, c) => `column ${c + 1}`);
  const skip = hasHeader ? 1 : 0;
  return { header, rows: records.slice(skip), hasHeader, delimiter, rowLines: lines.slice(skip) };
}

/** The default column choice: the last column is the label, every other column a feature. */
export function suggestColumns(csv: ParsedCsv): CsvColumnChoice {
  const last = csv.header.length - 1;
  return { label: last, features: Array.from({ length: Math.max(0, last) }, (_, c) => c) };
}

export { tableFromCsv, MAX_CATEGORIES, MAX_CSV_CLASSES, MAX_CSV_FEATURES, MAX_CSV_VALUES } from './csv-table.ts';
