/**
 * The IDX format of the MNIST files: a big-endian header (magic number, then one uint32 per
 * dimension) followed by unsigned bytes. The assets keep this header inside their gzip, so the
 * browser re-checks what the build step checked before trusting a single pixel.
 */

/** Every failure to load or validate MNIST; the message names the asset and what went wrong. */
export class MnistError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MnistError';
  }
}

/** Magic number of a 1-D unsigned-byte IDX file (labels). */
export const IDX_LABELS_MAGIC = 2049;
/** Magic number of a 3-D unsigned-byte IDX file (count × rows × cols images). */
export const IDX_IMAGES_MAGIC = 2051;

/** What the caller knows the file must be; omitted fields are read but not checked. */
export interface IdxExpect {
  magic: 2049 | 2051;
  count?: number;
  rows?: number;
  cols?: number;
}

/** A parsed IDX file. Labels report rows = cols = 1, so `data.length === count * rows * cols`. */
export interface IdxData {
  count: number;
  rows: number;
  cols: number;
  /** The payload after the header: a view into the input bytes, not a copy. */
  data: Uint8Array;
}

/**
 * Parses and validates an IDX file. Throws `MnistError` naming `what` (e.g. the asset's file
 * name) when the bytes are too short for the header, the magic number or a dimension differs
 * from `expect`, or the size is not exactly header + count × rows × cols: a truncated or padded
 * file must not be read as a shifted dataset.
 */
export function parseIdx(bytes: Uint8Array, expect: IdxExpect, what: string): IdxData {
  const dims = expect.magic === IDX_IMAGES_MAGIC ? 3 : 1;
  const headerSize = 4 + 4 * dims;
  if (bytes.byteLength < headerSize) {
    throw new MnistError(`${what}: too short for an IDX header (${bytes.byteLength} bytes, need ${headerSize})`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic !== expect.magic) {
    throw new MnistError(`${what}: bad magic number ${magic}, expected ${expect.magic}`);
  }
  const count = view.getUint32(4);
  const rows = dims === 3 ? view.getUint32(8) : 1;
  const cols = dims === 3 ? view.getUint32(12) : 1;
  checkField(what, 'item count', count, expect.count);
  checkField(what, 'rows', rows, expect.rows);
  checkField(what, 'columns', cols, expect.cols);
  const expected = headerSize + count * rows * cols;
  if (bytes.byteLength !== expected) {
    const kind = bytes.byteLength < expected ? 'truncated' : 'too long';
    throw new MnistError(`${what}: ${kind}: ${bytes.byteLength} bytes, expected ${expected} ` + `(header ${headerSize} + ${count} × ${rows} × ${cols})`);
  }
  return { count, rows, cols, data: bytes.subarray(headerSize) };
}

function checkField(what: string, field: string, actual: number, expected: number | undefined): void {
  if (expected !== undefined && actual !== expected) {
    throw new MnistError(`${what}: bad ${field} ${actual}, expected ${expected}`);
  }
}
