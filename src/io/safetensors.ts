// The safetensors file format (https://github.com/huggingface/safetensors): an 8-byte
// little-endian u64 header length N, N bytes of JSON header (UTF-8, space-padded), then the raw
// tensor bytes. Only float32 is read or written: that is all the engine stores.

import { ModelFileError } from './model-file-error.ts';
import { checkKey, METADATA_KEY, readSafetensorsHeader, type HeaderEntry } from './safetensors-header.ts';

export { ModelFileError, type ModelFileReason } from './model-file-error.ts';

/** Caps applied before anything is parsed or allocated. */
export interface SafetensorsLimits {
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** Largest JSON header accepted, in bytes. */
  maxHeaderBytes: number;
}

/** Defaults: 256 MiB files (far above any model the playground can train), 1 MiB headers. */
export const SAFETENSORS_LIMITS: SafetensorsLimits = { maxBytes: 256 * 2 ** 20, maxHeaderBytes: 2 ** 20 };

/** One named float32 tensor, row-major. */
export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** What a decoded file holds. Maps, so no parsed key can reach an object prototype. */
export interface DecodedSafetensors {
  tensors: Map<string, { shape: number[]; data: Float32Array }>;
  metadata: Map<string, string>;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Number of elements of `shape`, or null when it is not a list of safe non-negative integers or overflows. */
function elementCount(shape: unknown): number | null {
  if (!Array.isArray(shape) || shape.length > 64) return null;
  let count = 1;
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) return null;
    count *= d;
    // Bytes must stay exact too, so bound by MAX_SAFE_INTEGER / 4.
    if (count > Number.MAX_SAFE_INTEGER / 4) return null;
  }
  return count;
}

/**
 * Writes tensors (in the given order, no gaps) and string metadata as a safetensors file.
 * Throws for values a reader would refuse: duplicate or reserved names, a shape that does not
 * match the data, non-finite values (ModelFileError 'not-finite').
 */
export function encodeSafetensors(tensors: NamedTensor[], metadata: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = Object.create(null);
  const meta: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(metadata)) {
    checkKey(k, 'in the metadata');
    if (typeof v !== 'string') throw new TypeError(`metadata "${k}" must be a string`);
    meta[k] = v;
  }
  // Like the reference implementation, an empty metadata map is left out.
  if (Object.keys(meta).length > 0) header[METADATA_KEY] = meta;
  let offset = 0;
  for (const t of tensors) {
    if (t.name === '' || t.name === METADATA_KEY || t.name in header) throw new Error(`tensor name "${t.name}" is empty, reserved or repeated`);
    checkKey(t.name, 'as a tensor name');
    if (elementCount(t.shape) !== t.data.length) throw new Error(`tensor "${t.name}" has shape [${t.shape}] but ${t.data.length} values`);
    const bad = t.data.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) throw new ModelFileError('not-finite', `tensor "${t.name}" holds ${t.data[bad]} at index ${bad}; only finite values can be saved`);
    header[t.name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + padded + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  let pos = 8 + padded;
  for (const t of tensors) {
    writeFloats(out, pos, t.data);
    pos += t.data.byteLength;
  }
  return out;
}

function writeFloats(out: Uint8Array, pos: number, data: Float32Array): void {
  if (LITTLE_ENDIAN) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), pos);
    return;
  }
  const view = new DataView(out.buffer, out.byteOffset);
  data.forEach((x, i) => view.setFloat32(pos + 4 * i, x, true));
}

/** Offsets must tile [0, dataLength) exactly: sorted, no overlap, no gap, nothing left over. */
function checkTiling(entries: HeaderEntry[], dataLength: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const e of sorted) {
    if (e.begin < cursor) throw new ModelFileError('offsets', `tensor "${e.name.slice(0, 80)}" overlaps the tensor before it (bytes ${e.begin}–${e.end})`);
    if (e.begin > cursor) throw new ModelFileError('offsets', `there is a gap of unused bytes ${cursor}–${e.begin} before tensor "${e.name.slice(0, 80)}"`);
    cursor = e.end;
  }
  if (cursor > dataLength) {
    throw new ModelFileError('truncated', `the tensors need ${cursor} bytes of data but the file holds ${dataLength} (the file is cut short)`);
  }
  if (cursor < dataLength) throw new ModelFileError('offsets', `the file has ${dataLength - cursor} bytes after the last tensor that no tensor covers`);
}

function readFloats(bytes: Uint8Array, start: number, byteLength: number): Float32Array {
  // A copy: the result owns an aligned buffer and the caller's bytes can be dropped.
  const copy = bytes.slice(start, start + byteLength);
  const data = new Float32Array(copy.buffer, 0, byteLength / 4);
  if (!LITTLE_ENDIAN) {
    const view = new DataView(copy.buffer);
    for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(4 * i, true);
  }
  return data;
}

/**
 * Reads an untrusted safetensors file. Everything is checked before any tensor is copied: size
 * caps, header length, the header JSON by the reference reader's rules (safetensors-header.ts),
 * F32 dtypes, overflow-checked shapes, offsets that tile the data section exactly; then every
 * value must be finite. Throws a ModelFileError naming the reason, never another error.
 */
export function decodeSafetensors(bytes: Uint8Array, limits: Partial<SafetensorsLimits> = {}): DecodedSafetensors {
  const caps = { ...SAFETENSORS_LIMITS, ...limits };
  if (bytes.length > caps.maxBytes) {
    throw new ModelFileError('too-large', `the file has ${bytes.length} bytes; at most ${caps.maxBytes} are accepted`);
  }
  const { entries, metadata, dataStart } = readSafetensorsHeader(bytes, caps.maxHeaderBytes);
  checkTiling(entries, bytes.length - dataStart);
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const e of entries) {
    const data = readFloats(bytes, dataStart + e.begin, e.end - e.begin);
    const bad = data.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) throw new ModelFileError('not-finite', `tensor "${e.name.slice(0, 80)}" holds ${data[bad]} at index ${bad}; every value must be finite`);
    tensors.set(e.name, { shape: e.shape, data });
  }
  return { tensors, metadata };
}
