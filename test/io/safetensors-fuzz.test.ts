// Seeded mutation fuzz of a saved model file (issue 22): every mutated file is either refused
// with the reader's own ModelFileError, or loads bit-exactly what its bytes say. No other error
// (RangeError, SyntaxError, an engine's recursion error) may escape, and no message may carry an
// engine's wording.
import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT } from '../../src/config/experiment.ts';
import { modelFromSafetensors, modelToSafetensors } from '../../src/io/model-file.ts';
import { decodeSafetensors, ModelFileError, type DecodedSafetensors, type ModelFileReason } from '../../src/io/safetensors.ts';
import { arenaLayout } from '../../src/nn/arena.ts';
import { Rng } from '../../src/nn/rng.ts';
import type { ModelSpec } from '../../src/nn/spec.ts';

const CASES = 2000;
const SPEC: ModelSpec = { inputSize: 3, hidden: [{ units: 4, activation: 'relu' }], outputSize: 2, loss: 'softmax_ce' };
const ENGINE_WORDING =
  /RangeError|InternalError|SyntaxError|TypeError|too much recursion|call stack|JSON\.parse|in JSON at position|Unexpected token|encoded data/i;
const latin1 = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
/** Bytes that steer JSON somewhere interesting: structure, numbers, escapes, UTF-8 lead bytes, controls. */
const BYTES = latin1('{}[]":,\\u0123456789.eE+-tfn \t\n').concat([0x00, 0x1f, 0x7f, 0x80, 0xbf, 0xc3, 0xed, 0xef, 0xf4, 0xff]);
/** Tokens spliced into the header text (its length prefix follows), for mutations past the JSON syntax. */
const TOKENS = [
  '[',
  ']',
  '{',
  '}',
  ',',
  ':',
  '"',
  ' ',
  '\\uD800',
  '\\uDC00',
  '\\uD83D\\uDE00',
  '1e400',
  '-0',
  '.0',
  'e0',
  '4.0',
  '-1',
  '18446744073709551616',
  'null',
  '\xEF\xBB\xBF',
];
/** Members inserted where a member may start (after `{` or `,`): repeated fields, ignored fields, deep nesting. */
const MEMBERS = [
  '"dtype":"F32",',
  '"shape":[2],',
  '"data_offsets":[0,8],',
  '"__metadata__":{},',
  '"x":1e400,',
  '"x":1,',
  '"x":"\\uDC00",',
  '"x":[-0,4.0,1e-400],',
];
/** Special float32 bit patterns written over a data value. */
const SPECIAL_FLOATS = [0x7f800000, 0xff800000, 0x7fc00000, 0xffffffff, 0x80000000, 0x00000001, 0x7f7fffff];

/** A member with an ignored value nested around the reference's limit (128 counting the two enclosing objects). */
function nestedMember(rng: Rng): string {
  const d = 120 + rng.int(12);
  return `"x":${'['.repeat(d)}${']'.repeat(d)},`;
}

/** Where a new member may start: right after a `{` or `,` of the header (strings included: they break, as they should). */
function memberStart(header: number[], rng: Rng): number {
  const starts = header.flatMap((c, i) => (c === 0x7b || c === 0x2c ? [i + 1] : []));
  return starts[rng.int(starts.length)]!;
}

function baseFile(): Uint8Array {
  const rng = new Rng(7);
  const params = new Float32Array(arenaLayout(SPEC).totalFloats).map(() => rng.normal());
  return modelToSafetensors(SPEC, params, DEFAULT_EXPERIMENT, { epochs: 3, steps: 30, trainLoss: 0.5, validationAccuracy: 0.75 });
}

function headerLength(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
}

/** The header bytes replaced by `header`, with the length prefix rewritten to match. */
function withHeader(bytes: Uint8Array, header: number[]): Uint8Array {
  const n = headerLength(bytes);
  const out = new Uint8Array(8 + header.length + bytes.length - 8 - n);
  new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  out.set(bytes.subarray(8 + n), 8 + header.length);
  return out;
}

/** One seeded mutation of `base`: byte-level anywhere, or text-level in the header with its length kept true. */
function mutate(base: Uint8Array, rng: Rng): Uint8Array {
  const bytes = base.slice();
  const n = headerLength(base);
  const header = [...base.subarray(8, 8 + n)];
  const at = rng.int(header.length + 1);
  const dataFloats = (bytes.length - 8 - n) / 4;
  switch (rng.int(10)) {
    case 0: // a bit flip anywhere (the length prefix included)
      bytes[rng.int(bytes.length)]! ^= 1 << rng.int(8);
      return bytes;
    case 1: // a bit flip in the tensor data
      bytes[8 + n + rng.int(bytes.length - 8 - n)]! ^= 1 << rng.int(8);
      return bytes;
    case 2: // a special float (NaN, ±Inf, -0, subnormal, max) over a data value
      new DataView(bytes.buffer).setUint32(8 + n + 4 * rng.int(dataFloats), SPECIAL_FLOATS[rng.int(SPECIAL_FLOATS.length)]!, true);
      return bytes;
    case 3: // an interesting byte in the header, length unchanged
      bytes[8 + rng.int(n)] = BYTES[rng.int(BYTES.length)]!;
      return bytes;
    case 4: // a token inserted anywhere in the header
      header.splice(at, 0, ...latin1(TOKENS[rng.int(TOKENS.length)]!));
      return withHeader(base, header);
    case 5: // a member inserted where members start
      header.splice(memberStart(header, rng), 0, ...latin1(rng.uniform() < 0.4 ? nestedMember(rng) : MEMBERS[rng.int(MEMBERS.length)]!));
      return withHeader(base, header);
    case 6: // a span of the header deleted
      header.splice(at, 1 + rng.int(12));
      return withHeader(base, header);
    case 7: // a span of the header repeated (duplicate keys, entries, fields)
      header.splice(at, 0, ...header.slice(rng.int(header.length), rng.int(header.length)));
      return withHeader(base, header);
    case 8: // one header byte replaced, length rewritten (same length: exercises the JSON only)
      header[rng.int(header.length)] = BYTES[rng.int(BYTES.length)]!;
      return withHeader(base, header);
    default: // cut short or extended
      return rng.uniform() < 0.5
        ? bytes.slice(0, rng.int(bytes.length))
        : Uint8Array.from([...bytes, ...Array.from({ length: 1 + rng.int(8) }, () => rng.int(256))]);
  }
}

/** Throws unless `e` is the reader's own error with a reason and a message in its own words. */
function expectOwnError(e: unknown, what: string): ModelFileReason {
  expect(e, `${what}: ${String(e)}`).to.be.instanceOf(ModelFileError);
  const { reason, message } = e as ModelFileError;
  expect(message.length, what).to.be.greaterThan(10);
  expect(message, what).not.to.match(ENGINE_WORDING);
  return reason;
}

/** An accepted file must hold exactly its bytes: checked against JSON.parse of its (valid) header, an independent reading. */
function expectBitExact(bytes: Uint8Array, file: DecodedSafetensors, what: string): void {
  const n = headerLength(bytes);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, { shape: number[]; data_offsets: [number, number] }>;
  const { __metadata__: metadata, ...tensors } = header as unknown as Record<string, unknown>;
  expect([...file.tensors.keys()].sort(), what).to.deep.equal(Object.keys(tensors).sort());
  expect(Object.fromEntries(file.metadata), what).to.deep.equal(metadata ?? {});
  for (const [name, t] of file.tensors) {
    const [begin, end] = header[name]!.data_offsets;
    expect(t.shape, what).to.deep.equal(header[name]!.shape);
    expect([...new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength)], `${what} ${name}`).to.deep.equal([
      ...bytes.subarray(8 + n + begin, 8 + n + end),
    ]);
  }
}

describe('safetensors mutation fuzz (seeded)', () => {
  it(`${CASES} mutations of a saved model: refused with the reader's own reason, or loaded bit for bit`, () => {
    const base = baseFile();
    const rng = new Rng(22);
    const reasons = new Map<string, number>();
    let loaded = 0;
    let models = 0;
    for (let i = 0; i < CASES; i++) {
      const bytes = mutate(base, rng);
      const what = `mutation ${i}`;
      let file: DecodedSafetensors;
      try {
        file = decodeSafetensors(bytes);
      } catch (e) {
        const reason = expectOwnError(e, what);
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        expect(() => modelFromSafetensors(bytes), what).to.throw(ModelFileError);
        continue;
      }
      loaded++;
      expectBitExact(bytes, file, what);
      try {
        const model = modelFromSafetensors(bytes);
        // The arena, saved again, must give back the file's tensors bit for bit.
        const again = decodeSafetensors(modelToSafetensors(model.spec, model.params, null, null));
        for (const [name, t] of again.tensors)
          expect([...new Uint32Array(t.data.buffer)], `${what} ${name}`).to.deep.equal([...new Uint32Array(file.tensors.get(name)!.data.buffer)]);
        models++;
      } catch (e) {
        expectOwnError(e, `${what} (model)`);
      }
    }
    console.log(`safetensors fuzz: ${CASES} mutations, ${loaded} loaded (${models} as models), refused: ${JSON.stringify(Object.fromEntries(reasons))}`);
    // The mix must reach both sides and the new refusals, or the fuzz proves little.
    expect(loaded).to.be.greaterThan(CASES / 10);
    for (const reason of ['header-json', 'header-depth', 'duplicate-key', 'header-length', 'offsets', 'not-finite'])
      expect(reasons.get(reason) ?? 0, reason).to.be.greaterThan(0);
  });
});
