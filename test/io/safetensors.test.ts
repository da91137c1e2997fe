import { expect } from '@esm-bundle/chai';
import { decodeSafetensors, encodeSafetensors, ModelFileError, type ModelFileReason } from '../../src/io/safetensors.ts';
import { ACCEPTED, REFUSED } from './safetensors-vectors.ts';

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

/** A file from a raw header text (padded with spaces to `pad` bytes if given) and data bytes. */
function fileOf(header: string, data: number[] | Uint8Array = [], lengthOverride?: bigint): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** Little-endian bytes of float32 values. */
function f32(...values: number[]): number[] {
  const b = new Uint8Array(values.length * 4);
  values.forEach((v, i) => new DataView(b.buffer).setFloat32(4 * i, v, true));
  return [...b];
}

function reasonOf(fn: () => unknown): ModelFileReason {
  try {
    fn();
  } catch (e) {
    expect(e, String(e)).to.be.instanceOf(ModelFileError);
    expect((e as ModelFileError).message.length).to.be.greaterThan(10);
    return (e as ModelFileError).reason;
  }
  throw new Error('expected a ModelFileError');
}

/** `bytes` with one byte replaced. */
function withByte(bytes: Uint8Array, at: number, value: number): Uint8Array {
  bytes[at] = value;
  return bytes;
}

const bits = (a: Float32Array): number[] => [...new Uint32Array(a.buffer, a.byteOffset, a.length)];

describe('safetensors encoding', () => {
  it('writes the specification layout byte for byte (the reference implementation writes the same bytes)', () => {
    const bytes = encodeSafetensors([{ name: 'a', shape: [2], data: new Float32Array([1, 2]) }], {});
    // 54 bytes of JSON, padded with 2 spaces to 56, a multiple of 8.
    const header = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}  ';
    const expected = [
      ...[56, 0, 0, 0, 0, 0, 0, 0], // u64 little-endian header length
      ...ascii(header),
      ...[0x00, 0x00, 0x80, 0x3f], // 1.0f little-endian
      ...[0x00, 0x00, 0x00, 0x40], // 2.0f little-endian
    ];
    expect([...bytes]).to.deep.equal(expected);
  });

  it('writes __metadata__ first and tensors back to back in the given order', () => {
    const bytes = encodeSafetensors(
      [
        { name: 'w', shape: [1, 2], data: new Float32Array([3, 4]) },
        { name: 'b', shape: [1], data: new Float32Array([5]) },
      ],
      { k: 'v' },
    );
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).to.equal(0);
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(text.trimEnd()).to.equal(
      '{"__metadata__":{"k":"v"},"w":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}',
    );
    expect(text.slice(text.trimEnd().length)).to.match(/^ *$/);
    expect([...bytes.subarray(8 + n)]).to.deep.equal(f32(3, 4, 5));
  });

  it('round-trips bit for bit, including -0, subnormals and the float32 extremes', () => {
    const values = new Float32Array([0, -0, 1e-45, -1e-45, 1.1754942e-38, 3.4028235e38, -3.4028235e38, 1.1754944e-38, Math.PI, -1 / 3]);
    const empty = new Float32Array(0);
    const bytes = encodeSafetensors(
      [
        { name: 'x', shape: [2, 5], data: values },
        { name: 'empty', shape: [0, 3], data: empty },
        { name: 'scalar', shape: [], data: new Float32Array([7]) },
      ],
      { note: 'é 😀 "quoted"' },
    );
    const file = decodeSafetensors(bytes);
    expect(bits(file.tensors.get('x')!.data)).to.deep.equal(bits(values));
    expect(Object.is(file.tensors.get('x')!.data[1], -0)).to.equal(true);
    expect(file.tensors.get('x')!.shape).to.deep.equal([2, 5]);
    expect(file.tensors.get('empty')!.shape).to.deep.equal([0, 3]);
    expect(file.tensors.get('scalar')!.data[0]).to.equal(7);
    expect(file.metadata.get('note')).to.equal('é 😀 "quoted"');
  });

  it('refuses to write non-finite values', () => {
    expect(reasonOf(() => encodeSafetensors([{ name: 'a', shape: [1], data: new Float32Array([NaN]) }], {}))).to.equal('not-finite');
  });
});

const ok = (name = 'a') => `"${name}":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}`;

/** Broken files and the reason each must be refused with. */
const CORPUS: [string, () => Uint8Array, ModelFileReason, Partial<{ maxBytes: number }>?][] = [
  ['shorter than the length prefix', () => new Uint8Array([1, 0, 0]), 'truncated'],
  ['data cut short', () => fileOf(`{${ok()}}`, f32(1)), 'truncated'],
  ['header length past the end of the file', () => fileOf(`{${ok()}}`, f32(1, 2), 10_000n), 'header-length'],
  ['huge header length (2^63)', () => fileOf(`{${ok()}}`, f32(1, 2), 2n ** 63n), 'header-length'],
  ['header length over the 1 MiB cap', () => fileOf(`{${ok()}}`, f32(1, 2), 2n ** 20n + 1n), 'header-length'],
  ['file over the size cap', () => fileOf(`{${ok()}}`, f32(1, 2)), 'too-large', { maxBytes: 32 }],
  ['broken header JSON', () => fileOf(`{${ok()}`, f32(1, 2)), 'header-json'],
  ['header is an array', () => fileOf('[]'), 'header-json'],
  ['header is not UTF-8', () => withByte(fileOf('{"?":1}'), 10, 0xff), 'header-json'],
  ['metadata value not a string', () => fileOf(`{"__metadata__":{"k":1},${ok()}}`, f32(1, 2)), 'header-json'],
  ['__proto__ tensor', () => fileOf(`{${ok()},"__proto__":{"dtype":"F32","shape":[0],"data_offsets":[8,8]}}`, f32(1, 2)), 'header-json'],
  ['__proto__ metadata key', () => fileOf(`{"__metadata__":{"__proto__":"x"},${ok()}}`, f32(1, 2)), 'header-json'],
  ['constructor inside a tensor entry', () => fileOf(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"constructor":1}}`, f32(1, 2)), 'header-json'],
  ['dtype F16', () => fileOf('{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}', [0, 60, 0, 64]), 'dtype'],
  ['dtype I64', () => fileOf('{"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}', f32(1, 2)), 'dtype'],
  ['negative shape', () => fileOf('{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}', f32(1, 2)), 'shape'],
  ['fractional shape', () => fileOf('{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,8]}}', f32(1, 2)), 'shape'],
  ['shape product overflows', () => fileOf('{"a":{"dtype":"F32","shape":[4294967296,4294967296,2],"data_offsets":[0,8]}}', f32(1, 2)), 'shape'],
  ['shape is not a list', () => fileOf('{"a":{"dtype":"F32","shape":"2","data_offsets":[0,8]}}', f32(1, 2)), 'shape'],
  [
    'overlapping offsets',
    () => fileOf(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}`, f32(1, 2, 3)),
    'offsets',
  ],
  [
    'gap in the data',
    () => fileOf(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}`, f32(1, 2, 3)),
    'offsets',
  ],
  ['bytes nobody owns at the end', () => fileOf(`{${ok()}}`, f32(1, 2, 3)), 'offsets'],
  ['offsets out of range (negative)', () => fileOf('{"a":{"dtype":"F32","shape":[2],"data_offsets":[-8,0]}}', f32(1, 2)), 'offsets'],
  ['offsets out of range (end before begin)', () => fileOf('{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}', f32(1, 2)), 'offsets'],
  ['offsets do not match the shape', () => fileOf('{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', f32(1, 2)), 'offsets'],
  ['NaN weight', () => fileOf(`{${ok()}}`, f32(1, NaN)), 'not-finite'],
  ['infinite weight', () => fileOf(`{${ok()}}`, f32(-Infinity, 1)), 'not-finite'],
];

describe('safetensors decoding of untrusted files', () => {
  for (const [name, make, reason, limits] of CORPUS) {
    it(`refuses: ${name} (${reason})`, () => {
      expect(reasonOf(() => decodeSafetensors(make(), limits))).to.equal(reason);
    });
  }

  it('names the refused dtype in the message', () => {
    try {
      decodeSafetensors(fileOf('{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}', [0, 60, 0, 64]));
      expect.fail('should throw');
    } catch (e) {
      expect((e as Error).message).to.contain('"F16"');
    }
  });

  it('leaves Object.prototype alone and reads unpadded headers at odd offsets', () => {
    let header = `{"__metadata__":{"a":"b"},"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`;
    while ((8 + header.length) % 4 !== 1) header += ' ';
    const bytes = fileOf(header, f32(2.5));
    const file = decodeSafetensors(bytes);
    expect(file.tensors.get('x')!.data[0]).to.equal(2.5);
    expect(({} as Record<string, unknown>).a).to.equal(undefined);
  });
});

describe("safetensors headers read by the reference reader's rules (issue 22)", () => {
  for (const v of REFUSED) {
    it(`refuses ${v.name} (${v.reason}), with the message every engine gives`, () => {
      try {
        decodeSafetensors(v.bytes);
      } catch (e) {
        expect(e, String(e)).to.be.instanceOf(ModelFileError);
        expect((e as ModelFileError).reason).to.equal(v.reason);
        expect((e as ModelFileError).message).to.equal(v.message);
        return;
      }
      expect.fail('the file was accepted');
    });
  }

  for (const v of ACCEPTED) {
    it(`reads ${v.name}, as the reference does`, () => {
      const file = decodeSafetensors(v.bytes);
      const tensors = Object.fromEntries([...file.tensors].map(([k, t]) => [k, { shape: t.shape, values: [...t.data] }]));
      expect(tensors).to.deep.equal(v.tensors);
      expect(Object.fromEntries(file.metadata)).to.deep.equal(v.metadata);
    });
  }

  it('refuses nesting of 1,000,000 levels in a tensor entry by name, without a stack overflow', () => {
    const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    const header = `{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"x":${deep}}}`;
    expect(reasonOf(() => decodeSafetensors(fileOf(header, f32(1, 2)), { maxHeaderBytes: 4_000_000 }))).to.equal('header-depth');
  });

  it('quotes a refused value as the file spells it, cut at 60 characters', () => {
    const dtype = `"${'x'.repeat(100)}"`;
    try {
      decodeSafetensors(fileOf(`{"a":{"dtype":${dtype},"shape":[2],"data_offsets":[0,8]}}`, f32(1, 2)));
      expect.fail('should throw');
    } catch (e) {
      expect((e as Error).message).to.contain(`has dtype ${dtype.slice(0, 60)}…;`);
    }
  });
});
