// The safetensors file format (https://github.com/huggingface/safetensors): an 8-byte
// little-endian u64 header length N, N bytes of JSON header (UTF-8, space-padded), then the raw
// tensor bytes. Only float32 is read or written: that is all the engine stores.

/** Why a model file was refused; each code has a human message on the error. */
export type ModelFileReason =
  | 'too-large'
  | 'truncated'
  | 'header-length'
  | 'header-json'
  | 'dtype'
  | 'shape'
  | 'offsets'
  | 'not-finite'
  | 'missing-tensor'
  | 'architecture';

/** A model file that cannot be used (or a model that cannot be saved), with a reason code. */
export class ModelFileError extends Error {
  constructor(
    readonly reason: ModelFileReason,
    message: string,
  ) {
    super(message);
    this.name = 'ModelFileError';
  }
}

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

/** Keys refused anywhere in a header: they only matter to code that merges objects. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const METADATA_KEY = '__metadata__';
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Short, printable form of an untrusted value for messages. */
function show(value: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

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

function checkKey(key: string, where: string): void {
  if (FORBIDDEN_KEYS.has(key)) throw new ModelFileError('header-json', `the header has a forbidden key "${key}" ${where}`);
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

/** Reads the header length and JSON; throws 'truncated', 'header-length' or 'header-json'. */
function readHeader(bytes: Uint8Array, limits: SafetensorsLimits): { header: Record<string, unknown>; dataStart: number } {
  if (bytes.length < 8) throw new ModelFileError('truncated', `the file has ${bytes.length} bytes; a safetensors file starts with an 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (n > limits.maxHeaderBytes) {
    throw new ModelFileError('header-length', `the header claims ${n} bytes; at most ${limits.maxHeaderBytes} are accepted (is this a safetensors file?)`);
  }
  if (8 + n > bytes.length) {
    throw new ModelFileError('header-length', `the header claims ${n} bytes but only ${bytes.length - 8} follow the length (the file is cut short or not safetensors)`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw new ModelFileError('header-json', `the header is not valid UTF-8 JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ModelFileError('header-json', 'the header must be a JSON object');
  }
  return { header: parsed as Record<string, unknown>, dataStart: 8 + n };
}

function readMetadata(value: unknown): Map<string, string> {
  const metadata = new Map<string, string>();
  if (value === undefined || value === null) return metadata;
  if (typeof value !== 'object' || Array.isArray(value)) throw new ModelFileError('header-json', '"__metadata__" must be an object of strings');
  for (const [k, v] of Object.entries(value)) {
    checkKey(k, 'in the metadata');
    if (typeof v !== 'string') throw new ModelFileError('header-json', `metadata "${k.slice(0, 40)}" must be a string, got ${show(v)}`);
    metadata.set(k, v);
  }
  return metadata;
}

interface Entry {
  name: string;
  shape: number[];
  begin: number;
  end: number;
}

/** Checks one tensor entry's dtype, shape and offsets on their own. */
function readEntry(name: string, value: unknown): Entry {
  checkKey(name, 'as a tensor name');
  const label = `tensor "${name.slice(0, 80)}"`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ModelFileError('header-json', `${label} must be described by an object`);
  const info = value as Record<string, unknown>;
  for (const k of Object.keys(info)) checkKey(k, `in ${label}`);
  if (info.dtype !== 'F32') {
    throw new ModelFileError('dtype', `${label} has dtype ${show(info.dtype)}; only F32 (32-bit float) tensors can be loaded`);
  }
  const count = elementCount(info.shape);
  if (count === null) {
    throw new ModelFileError('shape', `${label} has shape ${show(info.shape)}; a shape is a list of non-negative whole numbers whose product fits in memory`);
  }
  const offsets = info.data_offsets;
  const ok = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !ok(offsets[0]) || !ok(offsets[1]) || offsets[0] > offsets[1]) {
    throw new ModelFileError('offsets', `${label} has data_offsets ${show(offsets)}; expected [begin, end] with 0 ≤ begin ≤ end`);
  }
  const [begin, end] = offsets as [number, number];
  if (end - begin !== count * 4) {
    throw new ModelFileError('offsets', `${label} spans ${end - begin} bytes but its shape [${info.shape}] needs ${count * 4}`);
  }
  return { name, shape: [...(info.shape as number[])], begin, end };
}

/** Offsets must tile [0, dataLength) exactly: sorted, no overlap, no gap, nothing left over. */
function checkTiling(entries: Entry[], dataLength: number): void {
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
 * caps, header length and JSON, F32 dtypes, overflow-checked shapes, offsets that tile the data
 * section exactly; then every value must be finite. Throws a ModelFileError naming the reason.
 */
export function decodeSafetensors(bytes: Uint8Array, limits: Partial<SafetensorsLimits> = {}): DecodedSafetensors {
  const caps = { ...SAFETENSORS_LIMITS, ...limits };
  if (bytes.length > caps.maxBytes) {
    throw new ModelFileError('too-large', `the file has ${bytes.length} bytes; at most ${caps.maxBytes} are accepted`);
  }
  const { header, dataStart } = readHeader(bytes, caps);
  const entries: Entry[] = [];
  let metadata = new Map<string, string>();
  for (const [name, value] of Object.entries(header)) {
    if (name === METADATA_KEY) metadata = readMetadata(value);
    else entries.push(readEntry(name, value));
  }
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
