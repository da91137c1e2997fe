// The JSON header of a safetensors file, read by the rules of the reference reader
// (huggingface/safetensors `SafeTensors::read_metadata`: `HashMetadata` deserialized by serde_json)
// plus this project's stricter ones. Every refusal is a ModelFileError that names its reason.
import { ModelFileError } from './model-file-error.ts';
import { parseStrictJson, StrictJsonError, type JsonNode } from './strict-json.ts';

/** The header key that holds the string metadata instead of a tensor. */
export const METADATA_KEY = '__metadata__';
/** Keys refused anywhere in a header: they only matter to code that merges objects. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** The fields of the reference's `TensorInfo`; serde refuses each one repeated ("duplicate field"). */
const ENTRY_FIELDS = ['dtype', 'shape', 'data_offsets'] as const;
const INTEGER_HINT = '; whole numbers must be written as plain integers (4, not 4.0, 4e0 or -0), as the format reads them';

/** One tensor as its header entry describes it, checked on its own. */
export interface HeaderEntry {
  name: string;
  shape: number[];
  begin: number;
  end: number;
}

/** What a header says: its tensors (one per name), its string metadata, where the data starts. */
export interface SafetensorsHeader {
  entries: HeaderEntry[];
  metadata: Map<string, string>;
  dataStart: number;
}

/** Refuses the keys that could reach an object prototype in code that merges objects. */
export function checkKey(key: string, where: string): void {
  if (FORBIDDEN_KEYS.has(key)) throw new ModelFileError('header-json', `the header has a forbidden key "${key}" ${where}`);
}

/** The header's text: length checked against the caps and the file, strict UTF-8 (a BOM is kept, so JSON refuses it). */
function headerText(bytes: Uint8Array, maxHeaderBytes: number): { text: string; dataStart: number } {
  if (bytes.length < 8) throw new ModelFileError('truncated', `the file has ${bytes.length} bytes; a safetensors file starts with an 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (n > maxHeaderBytes) {
    throw new ModelFileError('header-length', `the header claims ${n} bytes; at most ${maxHeaderBytes} are accepted (is this a safetensors file?)`);
  }
  if (8 + n > bytes.length) {
    throw new ModelFileError(
      'header-length',
      `the header claims ${n} bytes but only ${bytes.length - 8} follow the length (the file is cut short or not safetensors)`,
    );
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(8, 8 + n)), dataStart: 8 + n };
  } catch {
    // The decoder's own message differs between engines; the reason is all that matters.
    throw new ModelFileError('header-json', 'the header is not valid UTF-8 text');
  }
}

function parseHeaderJson(text: string): JsonNode {
  try {
    return parseStrictJson(text);
  } catch (e) {
    if (!(e instanceof StrictJsonError)) throw e;
    const reason = e.problem === 'depth' ? 'header-depth' : 'header-json';
    throw new ModelFileError(reason, `the header is not JSON that safetensors readers accept: ${e.message}`);
  }
}

/** Short quote of a value exactly as the file spells it; never walks nested values. */
function quoter(text: string): (node: JsonNode | undefined) => string {
  return (node) => {
    if (!node) return 'nothing';
    const s = text.slice(node.start, Math.min(node.end, node.start + 61));
    return s.length > 60 ? `${s.slice(0, 60)}…` : s;
  };
}

/** The reference keeps `__metadata__` as a map of strings (null: none); a repeated key's last value wins there too. */
function readMetadata(node: JsonNode, show: (n: JsonNode) => string): Map<string, string> {
  const metadata = new Map<string, string>();
  if (node.kind === 'null') return metadata;
  if (node.kind !== 'object') throw new ModelFileError('header-json', `"__metadata__" must be an object of strings, got ${show(node)}`);
  for (const { key, value } of node.entries) {
    checkKey(key, 'in the metadata');
    if (value.kind !== 'string') throw new ModelFileError('header-json', `metadata "${key.slice(0, 40)}" must be a string, got ${show(value)}`);
    metadata.set(key, value.value);
  }
  return metadata;
}

/** A whole number as the format reads one: an unsigned integer spelling, here also a safe integer. */
function plainInteger(node: JsonNode): number | null {
  return node.kind === 'number' && node.unsigned && Number.isSafeInteger(node.value) ? node.value : null;
}

/** Whether some item is a whole number spelled like a float, which deserves a hint in the message. */
function hasFloatSpelling(node: JsonNode | undefined): boolean {
  return node?.kind === 'array' && node.items.some((d) => d.kind === 'number' && !d.unsigned && Number.isInteger(d.value));
}

/** Number of elements of a shape, or null when it is not a list of plain safe integers or overflows. */
function elementCount(shape: JsonNode | undefined): number | null {
  if (shape?.kind !== 'array' || shape.items.length > 64) return null;
  let count = 1;
  for (const item of shape.items) {
    const d = plainInteger(item);
    if (d === null) return null;
    count *= d;
    // Bytes must stay exact too, so bound by MAX_SAFE_INTEGER / 4.
    if (count > Number.MAX_SAFE_INTEGER / 4) return null;
  }
  return count;
}

/** The entry's known fields; each may appear once, as in the reference (other keys are ignored there too). */
function entryFields(node: Extract<JsonNode, { kind: 'object' }>, label: string): Partial<Record<(typeof ENTRY_FIELDS)[number], JsonNode>> {
  const fields: Partial<Record<(typeof ENTRY_FIELDS)[number], JsonNode>> = {};
  for (const { key, value } of node.entries) {
    checkKey(key, `in ${label}`);
    const field = ENTRY_FIELDS.find((f) => f === key);
    if (!field) continue;
    if (fields[field]) throw new ModelFileError('duplicate-key', `${label} gives "${field}" twice; safetensors readers refuse a repeated field`);
    fields[field] = value;
  }
  return fields;
}

/** Checks one tensor entry's dtype, shape and offsets on their own. */
function readEntry(name: string, node: JsonNode, show: (n: JsonNode | undefined) => string): HeaderEntry {
  checkKey(name, 'as a tensor name');
  const label = `tensor "${name.slice(0, 80)}"`;
  if (node.kind !== 'object') throw new ModelFileError('header-json', `${label} must be described by an object`);
  const { dtype, shape, data_offsets: offsets } = entryFields(node, label);
  if (dtype?.kind !== 'string' || dtype.value !== 'F32') {
    throw new ModelFileError('dtype', `${label} has dtype ${show(dtype)}; only F32 (32-bit float) tensors can be loaded`);
  }
  const count = elementCount(shape);
  if (count === null) {
    const hint = hasFloatSpelling(shape) ? INTEGER_HINT : '';
    throw new ModelFileError('shape', `${label} has shape ${show(shape)}; a shape is a list of non-negative whole numbers whose product fits in memory${hint}`);
  }
  const pair = offsets?.kind === 'array' && offsets.items.length === 2 ? offsets.items.map(plainInteger) : [];
  const [begin, end] = pair;
  if (begin == null || end == null || begin > end) {
    const hint = hasFloatSpelling(offsets) ? INTEGER_HINT : '';
    throw new ModelFileError('offsets', `${label} has data_offsets ${show(offsets)}; expected [begin, end] with 0 ≤ begin ≤ end${hint}`);
  }
  if (end - begin !== count * 4) {
    throw new ModelFileError('offsets', `${label} spans ${end - begin} bytes but its shape ${show(shape)} needs ${count * 4}`);
  }
  return { name, shape: (shape as Extract<JsonNode, { kind: 'array' }>).items.map(plainInteger) as number[], begin, end };
}

/**
 * Reads and checks the header of an untrusted file: length within `maxHeaderBytes` and the file,
 * strict UTF-8, JSON as serde_json reads it (depth, surrogates, number range, no BOM), one
 * `__metadata__`, no repeated field within an entry, and each entry F32 with plain-integer shape
 * and offsets. A tensor name given twice keeps its last entry, as the reference's HashMap does.
 */
export function readSafetensorsHeader(bytes: Uint8Array, maxHeaderBytes: number): SafetensorsHeader {
  const { text, dataStart } = headerText(bytes, maxHeaderBytes);
  const root = parseHeaderJson(text);
  if (root.kind !== 'object') throw new ModelFileError('header-json', 'the header must be a JSON object');
  const show = quoter(text);
  const entries = new Map<string, HeaderEntry>();
  let metadata: Map<string, string> | null = null;
  for (const { key, value } of root.entries) {
    if (key !== METADATA_KEY) {
      entries.set(key, readEntry(key, value, show));
      continue;
    }
    if (metadata) throw new ModelFileError('duplicate-key', 'the header gives "__metadata__" twice; safetensors readers refuse a repeated field');
    metadata = readMetadata(value, show);
  }
  return { entries: [...entries.values()], metadata: metadata ?? new Map(), dataStart };
}
