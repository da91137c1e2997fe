// The files of issue 22 as byte literals, each with the exact refusal the reader must give. One
// table for every engine: the Chromium tests (safetensors.test.ts) and the Node test
// (test/e2e/safetensors-node.test.mjs, which bundles this file) assert the same messages.
import type { ModelFileReason } from '../../src/io/safetensors.ts';

/** Bytes from a byte string: each character is one byte (write non-ASCII as \xNN escapes). */
export function b(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) throw new Error(`b(): character ${i} is not a byte`);
    out[i] = c;
  }
  return out;
}

/** A whole file: the u64 little-endian length of `header`, then `header`, then `data` (all byte strings). */
export function file(header: string, data = ''): Uint8Array {
  const n = header.length;
  const prefix = String.fromCharCode(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff, 0, 0, 0, 0);
  return b(prefix + header + data);
}

/** 1.0f and 2.0f little-endian: the data of the one-tensor files below. */
export const ONE_TWO = '\x00\x00\x80\x3f\x00\x00\x00\x40';
const A = '"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}';
const nest = (depth: number, inner: string): string => '['.repeat(depth) + inner + ']'.repeat(depth);
const JSON_PREFIX = 'the header is not JSON that safetensors readers accept: ';
const depthMessage = (at: number): string =>
  `${JSON_PREFIX}arrays and objects nest 128 levels deep; the reference reader (serde_json) allows at most 127 (at byte ${at})`;
const HINT = '; whole numbers must be written as plain integers (4, not 4.0, 4e0 or -0), as the format reads them';

/** A file the reader must refuse, and exactly how. */
export interface RefusedVector {
  name: string;
  bytes: Uint8Array;
  reason: ModelFileReason;
  message: string;
}

/** The refusals of issue 22 (and the reference reader's), byte for byte. */
export const REFUSED: RefusedVector[] = [
  // Deep nesting: about 4,500 levels broke Firefox and Node; the 128th level is where serde_json stops.
  {
    name: 'dtype nested 4,500 arrays deep',
    bytes: file(`{"a":{"dtype":${nest(4500, '"F32"')},"shape":[2],"data_offsets":[0,8]}}`, ONE_TWO),
    reason: 'header-depth',
    message: depthMessage(139),
  },
  {
    name: 'shape nested 4,500 arrays deep',
    bytes: file(`{"a":{"dtype":"F32","shape":${nest(4500, '2')},"data_offsets":[0,8]}}`, ONE_TWO),
    reason: 'header-depth',
    message: depthMessage(153),
  },
  {
    name: 'data_offsets nested 4,500 arrays deep',
    bytes: file(`{"a":{"dtype":"F32","shape":[2],"data_offsets":${nest(4500, '0')}}}`, ONE_TWO),
    reason: 'header-depth',
    message: depthMessage(172),
  },
  {
    name: 'a metadata value nested 4,500 arrays deep',
    bytes: file(`{"__metadata__":{"k":${nest(4500, '"v"')}},${A}}`, ONE_TWO),
    reason: 'header-depth',
    message: depthMessage(146),
  },
  {
    name: 'an ignored field nested 128 levels deep',
    bytes: file(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"x":${nest(126, '0')}}}`, ONE_TWO),
    reason: 'header-depth',
    message: depthMessage(182),
  },
  { name: '100,000 unclosed brackets', bytes: file(`{"x":${'['.repeat(100_000)}`), reason: 'header-depth', message: depthMessage(131) },
  // Integers spelled as floats, where the format reads unsigned integers.
  {
    name: 'data_offsets [0, 8.0]',
    bytes: file('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8.0]}}', ONE_TWO),
    reason: 'offsets',
    message: `tensor "a" has data_offsets [0,8.0]; expected [begin, end] with 0 ≤ begin ≤ end${HINT}`,
  },
  {
    name: 'data_offsets [0, 8e0]',
    bytes: file('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8e0]}}', ONE_TWO),
    reason: 'offsets',
    message: `tensor "a" has data_offsets [0,8e0]; expected [begin, end] with 0 ≤ begin ≤ end${HINT}`,
  },
  {
    name: 'data_offsets [-0, 8]',
    bytes: file('{"a":{"dtype":"F32","shape":[2],"data_offsets":[-0,8]}}', ONE_TWO),
    reason: 'offsets',
    message: `tensor "a" has data_offsets [-0,8]; expected [begin, end] with 0 ≤ begin ≤ end${HINT}`,
  },
  {
    name: 'shape [2.0]',
    bytes: file('{"a":{"dtype":"F32","shape":[2.0],"data_offsets":[0,8]}}', ONE_TWO),
    reason: 'shape',
    message: `tensor "a" has shape [2.0]; a shape is a list of non-negative whole numbers whose product fits in memory${HINT}`,
  },
  {
    name: 'shape [1e0, 2]',
    bytes: file('{"a":{"dtype":"F32","shape":[1e0,2],"data_offsets":[0,8]}}', ONE_TWO),
    reason: 'shape',
    message: `tensor "a" has shape [1e0,2]; a shape is a list of non-negative whole numbers whose product fits in memory${HINT}`,
  },
  {
    name: 'shape [2, -0]',
    bytes: file('{"a":{"dtype":"F32","shape":[2,-0],"data_offsets":[0,0]}}'),
    reason: 'shape',
    message: `tensor "a" has shape [2,-0]; a shape is a list of non-negative whole numbers whose product fits in memory${HINT}`,
  },
  // Repeated fields: serde's "duplicate field".
  {
    name: 'dtype given twice ("F16" then "F32")',
    bytes: file('{"a":{"dtype":"F16","dtype":"F32","shape":[2],"data_offsets":[0,8]}}', ONE_TWO),
    reason: 'duplicate-key',
    message: 'tensor "a" gives "dtype" twice; safetensors readers refuse a repeated field',
  },
  {
    name: 'shape given twice',
    bytes: file('{"a":{"dtype":"F32","shape":[2],"shape":[2],"data_offsets":[0,8]}}', ONE_TWO),
    reason: 'duplicate-key',
    message: 'tensor "a" gives "shape" twice; safetensors readers refuse a repeated field',
  },
  {
    name: 'data_offsets given twice',
    bytes: file('{"a":{"data_offsets":[0,4],"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', ONE_TWO),
    reason: 'duplicate-key',
    message: 'tensor "a" gives "data_offsets" twice; safetensors readers refuse a repeated field',
  },
  {
    name: '__metadata__ given twice',
    bytes: file(`{"__metadata__":{"k":"v"},${A},"__metadata__":{"k":"w"}}`, ONE_TWO),
    reason: 'duplicate-key',
    message: 'the header gives "__metadata__" twice; safetensors readers refuse a repeated field',
  },
  // Text the reference's JSON parser refuses.
  {
    name: 'a UTF-8 byte-order mark before {',
    bytes: file(`\xEF\xBB\xBF{${A}}`, ONE_TWO),
    reason: 'header-json',
    message: `${JSON_PREFIX}the text starts with a byte-order mark (U+FEFF), which JSON does not allow (at byte 0)`,
  },
  {
    name: 'a lone leading surrogate in a metadata value',
    bytes: file(`{"__metadata__":{"k":"x\\uD800"},${A}}`, ONE_TWO),
    reason: 'header-json',
    message: `${JSON_PREFIX}the escape \\uD800 is a lone leading surrogate (at byte 23)`,
  },
  {
    name: 'a leading surrogate followed by another escape',
    bytes: file(`{"__metadata__":{"k":"\\uD800\\u0041"},${A}}`, ONE_TWO),
    reason: 'header-json',
    message: `${JSON_PREFIX}the escape \\uD800 is a leading surrogate without its trailing half (at byte 22)`,
  },
  {
    name: 'a lone trailing surrogate in a tensor name',
    bytes: file('{"\\uDC00":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', ONE_TWO),
    reason: 'header-json',
    message: `${JSON_PREFIX}the escape \\uDC00 is a lone trailing surrogate (at byte 2)`,
  },
  {
    name: '1e400 in an ignored field',
    bytes: file('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"x":1e400}}', ONE_TWO),
    reason: 'header-json',
    message: `${JSON_PREFIX}the number 1e400 is beyond the float64 range (at byte 57)`,
  },
  {
    name: '-1e400 in a metadata-free header',
    bytes: file(`{${A},"b":{"dtype":"F32","shape":[0],"data_offsets":[8,8],"x":[-1e400]}}`, ONE_TWO),
    reason: 'header-json',
    message: `${JSON_PREFIX}the number -1e400 is beyond the float64 range (at byte 111)`,
  },
  {
    name: 'a 400-digit integer',
    bytes: file(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"x":1${'0'.repeat(400)}}}`, ONE_TWO),
    reason: 'header-json',
    message: `${JSON_PREFIX}the number 100000000000000000000000… is beyond the float64 range (at byte 57)`,
  },
  {
    name: 'an unescaped control character in a name',
    bytes: file('{"a\x01":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', ONE_TWO),
    reason: 'header-json',
    message: `${JSON_PREFIX}a string holds the control character U+0001 unescaped (at byte 3)`,
  },
  {
    name: 'a trailing comma',
    bytes: file(`{${A},}`, ONE_TWO),
    reason: 'header-json',
    message: `${JSON_PREFIX}expected a quoted key but found "}" (at byte 54)`,
  },
  { name: 'invalid UTF-8 (an encoded surrogate)', bytes: file(`{"\xED\xA0\x80":1}`), reason: 'header-json', message: 'the header is not valid UTF-8 text' },
  // From the reference's own tests (safetensors/src/tensor.rs): refused there too, for its reasons.
  {
    name: 'reference test_invalid_header_not_json',
    bytes: b('\x01\x00\x00\x00\x00\x00\x00\x00{'),
    reason: 'header-json',
    message: `${JSON_PREFIX}expected a quoted key but found the end of the text (at byte 1)`,
  },
  {
    name: 'reference test_invalid_info',
    bytes: b('<\x00\x00\x00\x00\x00\x00\x00{"test":{"dtype":"F32","shape":[2,2],"data_offsets":[0, 4]}}'),
    reason: 'offsets',
    message: 'tensor "test" spans 4 bytes but its shape [2,2] needs 16',
  },
];

/** Files the reference reads and so must this reader, with what they hold. */
export interface AcceptedVector {
  name: string;
  bytes: Uint8Array;
  tensors: Record<string, { shape: number[]; values: number[] }>;
  metadata: Record<string, string>;
}

export const ACCEPTED: AcceptedVector[] = [
  {
    name: 'an ignored field nested 127 levels deep',
    bytes: file(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"x":${nest(125, '0')}}}`, ONE_TWO),
    tensors: { a: { shape: [2], values: [1, 2] } },
    metadata: {},
  },
  {
    name: 'a tensor name given twice: the last entry wins (a HashMap in the reference)',
    bytes: file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},${A}}`, ONE_TWO),
    tensors: { a: { shape: [2], values: [1, 2] } },
    metadata: {},
  },
  {
    name: 'a metadata key given twice: the last value wins',
    bytes: file(`{"__metadata__":{"k":"v","k":"w"},${A}}`, ONE_TWO),
    tensors: { a: { shape: [2], values: [1, 2] } },
    metadata: { k: 'w' },
  },
  {
    name: 'an ignored field given twice',
    bytes: file('{"a":{"x":1,"dtype":"F32","x":2,"shape":[2],"data_offsets":[0,8]}}', ONE_TWO),
    tensors: { a: { shape: [2], values: [1, 2] } },
    metadata: {},
  },
  {
    name: 'a paired surrogate escape, 1e-400 and 1.5e300 in ignored places',
    bytes: file(`{"__metadata__":{"k":"\\uD83D\\uDE00 \xC3\xA9"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"x":[1e-400,1.5e300,-0,4.0]}}`, ONE_TWO),
    tensors: { a: { shape: [2], values: [1, 2] } },
    metadata: { k: '😀 é' },
  },
  {
    name: 'whitespace around the object, null metadata',
    bytes: file(`\t\n {"__metadata__":null,${A}}\r `, ONE_TWO),
    tensors: { a: { shape: [2], values: [1, 2] } },
    metadata: {},
  },
];
