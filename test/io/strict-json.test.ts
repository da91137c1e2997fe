import { expect } from '@esm-bundle/chai';
import { parseJsonValue, parseStrictJson, StrictJsonError, type JsonNode, type StrictJsonProblem } from '../../src/io/strict-json.ts';

/** The plain value of a node (test helper: inputs here are shallow, so recursion is fine). */
function plain(node: JsonNode): unknown {
  switch (node.kind) {
    case 'null':
      return null;
    case 'array':
      return node.items.map(plain);
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const e of node.entries) o[e.key] = plain(e.value);
      return o;
    }
    default:
      return node.value;
  }
}

function problemOf(text: string, limit?: number): StrictJsonProblem {
  try {
    parseStrictJson(text, limit);
  } catch (e) {
    expect(e, String(e)).to.be.instanceOf(StrictJsonError);
    expect((e as StrictJsonError).message).to.match(/\(at byte \d+\)$/);
    return (e as StrictJsonError).problem;
  }
  throw new Error(`accepted: ${text}`);
}

const VALID = [
  '{}',
  '[]',
  ' \t\r\n[ 1 , -2 , 0.5 , -0.0 , 1E+2 , 2e-3 , 0 ] \n',
  '{"a":{"b":[true,false,null]},"":"","c":"\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\uD83D\\uDE00"}',
  '"é 😀 \u007f"',
  '123456789012345678901234567890',
  '1e-400',
  '0e400',
  '-1.7976931348623157e308',
];

/** Outside RFC 8259: JSON.parse refuses these too, so both must agree. */
const INVALID = [
  '',
  ' ',
  '{a:1}',
  "'x'",
  '[1 2]',
  '01',
  '-01',
  '1.',
  '.5',
  '+1',
  '-',
  '1e',
  '1e+',
  'NaN',
  'Infinity',
  '[1,]',
  '{"a":1,}',
  '{"a"}',
  '{"a" 1}',
  '"\\x"',
  '"\\u12"',
  '"\\u12G4"',
  'tru',
  'nul',
  '[',
  ']',
  '{"a":1}}',
  '/*c*/1',
  '"a',
  '[1]x',
  '\f[]',
  '\u00a0[]',
  '{"a":1 "b":2}',
];

describe("strict JSON (serde_json's rules)", () => {
  it('reads what RFC 8259 allows, to the values JSON.parse gives', () => {
    for (const text of VALID) expect(plain(parseStrictJson(text)), text).to.deep.equal(JSON.parse(text));
  });

  it('refuses what RFC 8259 refuses, as JSON.parse does', () => {
    for (const text of INVALID) {
      expect(() => JSON.parse(text), text).to.throw();
      expect(['syntax', 'escape']).to.include(problemOf(text));
    }
  });

  it("refuses the 128th nested container, as serde_json's recursion limit of 128 does", () => {
    for (const [open, close] of [
      ['[', ']'],
      ['{"k":', '}'],
    ]) {
      expect(() => parseStrictJson(`${open!.repeat(127)}0${close!.repeat(127)}`)).not.to.throw();
      expect(problemOf(`${open!.repeat(128)}0${close!.repeat(128)}`)).to.equal('depth');
    }
    expect(problemOf('[[[]]]', 3)).to.equal('depth');
    expect(() => parseStrictJson('[[]]', 3)).not.to.throw();
  });

  it('refuses 1,000,000 levels quickly and by name, without recursing', () => {
    expect(problemOf('['.repeat(1_000_000))).to.equal('depth');
    expect(problemOf('{"a":'.repeat(1_000_000))).to.equal('depth');
  });

  it('refuses lone surrogate escapes and accepts pairs', () => {
    for (const text of ['"\\uD800"', '"\\udbff x"', '"\\uDC00"', '"\\uDFFF\\uD800"', '"\\uD800\\n"', '"\\uD800\\u0041"', '"\\uD800\\uD800"', '{"\\uD800":1}']) {
      expect(problemOf(text), text).to.equal('surrogate');
    }
    expect(plain(parseStrictJson('"\\uD83D\\uDE00\\udbff\\udfff"'))).to.equal('😀\u{10ffff}');
  });

  it('refuses numbers beyond float64 and keeps tiny ones', () => {
    for (const text of ['1e400', '-1e400', '[1.8e308]', `1${'0'.repeat(400)}`, '1e99999999999']) expect(problemOf(text), text).to.equal('number-range');
    expect(plain(parseStrictJson('[1e-400, 1.7976931348623157e308]'))).to.deep.equal([0, 1.7976931348623157e308]);
  });

  it('marks as unsigned exactly the spellings serde_json reads as u64', () => {
    const unsigned = (text: string) => (parseStrictJson(text) as Extract<JsonNode, { kind: 'number' }>).unsigned;
    for (const text of ['0', '7', '4096', '18446744073709551615']) expect(unsigned(text), text).to.equal(true);
    for (const text of ['18446744073709551616', '-1', '-0', '1.0', '1e0', '10E2', '0.0']) expect(unsigned(text), text).to.equal(false);
  });

  it('refuses a byte-order mark and unescaped control characters', () => {
    expect(problemOf('\ufeff{}')).to.equal('byte-order-mark');
    for (let c = 0; c < 0x20; c++) expect(problemOf(`"a${String.fromCharCode(c)}"`), `U+${c}`).to.equal('control-character');
  });

  it('keeps duplicate keys in order and spans that quote the source', () => {
    const text = '{"k": [1, 2.50] , "k" :"x"}';
    const root = parseStrictJson(text) as Extract<JsonNode, { kind: 'object' }>;
    expect(root.entries.map((e) => e.key)).to.deep.equal(['k', 'k']);
    expect(root.entries.map((e) => text.slice(e.value.start, e.value.end))).to.deep.equal(['[1, 2.50]', '"x"']);
    expect([root.start, root.end]).to.deep.equal([0, text.length]);
  });

  it('counts error offsets in UTF-8 bytes', () => {
    try {
      parseStrictJson('{"é😀":\u0001}');
      expect.fail('should throw');
    } catch (e) {
      // { " é(2) 😀(4) " : → the control character is byte 10.
      expect((e as StrictJsonError).offset).to.equal(10);
    }
  });

  it("parseJsonValue gives JSON.parse's value, or a StrictJsonError", () => {
    expect(parseJsonValue('{"a":[1,{"b":null}],"a":2}')).to.deep.equal({ a: 2 });
    expect(() => parseJsonValue('{"a":"\\uDC00"}')).to.throw(StrictJsonError);
  });
});
