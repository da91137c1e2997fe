// A JSON reader that accepts exactly what serde_json (the parser behind the safetensors reference
// reader, huggingface/safetensors) accepts when it reads a document into typed values: RFC 8259
// plus serde_json's own refusals (nesting of 128 containers, lone surrogate escapes, numbers
// beyond float64). It never recurses, so no input can overflow the stack, and its messages are
// its own, so they read the same in every JavaScript engine.

/** serde_json's default `remaining_depth`: the container that would make it reach 0 is refused. */
export const SERDE_JSON_RECURSION_LIMIT = 128;

/** What is wrong with a text, named so callers can tell the user (and tests can tell them apart). */
export type StrictJsonProblem = 'syntax' | 'depth' | 'byte-order-mark' | 'control-character' | 'escape' | 'surrogate' | 'number-range';

/** A text that is not JSON serde_json would read; `offset` is a UTF-8 byte offset into the text. */
export class StrictJsonError extends Error {
  constructor(
    readonly problem: StrictJsonProblem,
    readonly offset: number,
    message: string,
  ) {
    super(message);
    this.name = 'StrictJsonError';
  }
}

/** Where a value is spelled in the text (UTF-16 indices), so messages can quote it without walking it. */
export interface JsonSpan {
  start: number;
  end: number;
}

/** One `"key": value` of an object, duplicates kept in order: what they mean is the caller's rule. */
export interface JsonEntry {
  key: string;
  value: JsonNode;
}

/**
 * A parsed value. Numbers keep whether serde_json would read them as an unsigned integer (u64):
 * only a plain digit string (no sign, fraction or exponent) that fits in 64 bits is one.
 */
export type JsonNode = JsonSpan &
  (
    | { kind: 'null' }
    | { kind: 'boolean'; value: boolean }
    | { kind: 'number'; value: number; unsigned: boolean }
    | { kind: 'string'; value: string }
    | { kind: 'array'; items: JsonNode[] }
    | { kind: 'object'; entries: JsonEntry[] }
  );

type Container = Extract<JsonNode, { kind: 'array' } | { kind: 'object' }>;

const U64_MAX = '18446744073709551615';
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** UTF-8 length of text[0, index): messages count bytes, like the file and serde_json do. */
function byteOffset(text: string, index: number): number {
  let bytes = 0;
  for (let i = 0; i < index && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < index) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** A printable name for the character at `i`, or "the end of the text". */
function describe(text: string, i: number): string {
  if (i >= text.length) return 'the end of the text';
  const c = text.codePointAt(i)!;
  const hex = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  return c >= 0x21 && c <= 0x7e ? `"${String.fromCodePoint(c)}"` : hex;
}

class Reader {
  pos = 0;
  private readonly stack: { node: Container; key: string }[] = [];

  constructor(
    private readonly text: string,
    private readonly limit: number,
  ) {}

  fail(problem: StrictJsonProblem, message: string, at = this.pos): never {
    const offset = byteOffset(this.text, at);
    throw new StrictJsonError(problem, offset, `${message} (at byte ${offset})`);
  }

  expected(what: string): never {
    this.fail('syntax', `expected ${what} but found ${describe(this.text, this.pos)}`);
  }

  skipWhitespace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.pos++;
    }
  }

  /** The whole text as one value: whitespace around it is allowed, anything else after it is not. */
  document(): JsonNode {
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 0xfeff) this.fail('byte-order-mark', 'the text starts with a byte-order mark (U+FEFF), which JSON does not allow');
    const root = this.values();
    this.skipWhitespace();
    if (this.pos < this.text.length) this.fail('syntax', `unexpected ${describe(this.text, this.pos)} after the end of the value`);
    return root;
  }

  /** Reads one value and everything nested in it with an explicit stack instead of recursion. */
  private values(): JsonNode {
    for (;;) {
      this.skipWhitespace();
      const opened = this.open();
      let node: JsonNode | null = opened === undefined ? this.scalar() : opened;
      // `node` is complete: hand it to its container, closing containers as their ends arrive.
      while (node) {
        const frame = this.stack.at(-1);
        if (!frame) return node;
        if (frame.node.kind === 'array') frame.node.items.push(node);
        else frame.node.entries.push({ key: frame.key, value: node });
        node = this.afterMember(frame);
      }
    }
  }

  /** Opens `[` or `{`; returns the container if it closes at once, else null (its members follow). */
  private open(): JsonNode | null | undefined {
    const c = this.text[this.pos];
    if (c !== '[' && c !== '{') return undefined;
    const depth = this.stack.length + 1;
    if (depth >= this.limit) {
      this.fail('depth', `arrays and objects nest ${depth} levels deep; the reference reader (serde_json) allows at most ${this.limit - 1}`);
    }
    const node: Container = c === '[' ? { kind: 'array', items: [], start: this.pos, end: -1 } : { kind: 'object', entries: [], start: this.pos, end: -1 };
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === (c === '[' ? ']' : '}')) {
      node.end = ++this.pos;
      return node;
    }
    const frame = { node, key: '' };
    this.stack.push(frame);
    if (node.kind === 'object') frame.key = this.memberKey();
    return null;
  }

  /** After a member: `,` and the next key (returns null), or the closing bracket (returns the container). */
  private afterMember(frame: { node: Container; key: string }): JsonNode | null {
    this.skipWhitespace();
    const c = this.text[this.pos];
    const close = frame.node.kind === 'array' ? ']' : '}';
    if (c === ',') {
      this.pos++;
      if (frame.node.kind === 'object') frame.key = this.memberKey();
      return null;
    }
    if (c !== close) this.expected(`"," or "${close}"`);
    this.pos++;
    this.stack.pop();
    frame.node.end = this.pos;
    return frame.node;
  }

  private memberKey(): string {
    this.skipWhitespace();
    if (this.text[this.pos] !== '"') this.expected('a quoted key');
    const key = this.string();
    this.skipWhitespace();
    if (this.text[this.pos] !== ':') this.expected('":"');
    this.pos++;
    return key;
  }

  private scalar(): JsonNode {
    const start = this.pos;
    const c = this.text[this.pos];
    if (c === '"') return { kind: 'string', value: this.string(), start, end: this.pos };
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    if (this.word('null')) return { kind: 'null', start, end: this.pos };
    if (this.word('true')) return { kind: 'boolean', value: true, start, end: this.pos };
    if (this.word('false')) return { kind: 'boolean', value: false, start, end: this.pos };
    this.expected('a value');
  }

  private word(w: string): boolean {
    if (!this.text.startsWith(w, this.pos)) return false;
    this.pos += w.length;
    return true;
  }

  private digits(what: string): void {
    const t = this.text;
    if (!(t[this.pos]! >= '0' && t[this.pos]! <= '9')) this.expected(what);
    while (t[this.pos]! >= '0' && t[this.pos]! <= '9') this.pos++;
  }

  /** RFC 8259 number grammar; refused when it rounds beyond float64, as serde_json refuses it. */
  private number(): JsonNode {
    const t = this.text;
    const start = this.pos;
    const negative = t[this.pos] === '-';
    if (negative) this.pos++;
    if (t[this.pos] === '0') this.pos++;
    else this.digits('a digit');
    const intEnd = this.pos;
    if (t[this.pos] === '.') {
      this.pos++;
      this.digits('a digit after the decimal point');
    }
    if (t[this.pos] === 'e' || t[this.pos] === 'E') {
      this.pos++;
      if (t[this.pos] === '+' || t[this.pos] === '-') this.pos++;
      this.digits('a digit in the exponent');
    }
    const spelled = t.slice(start, this.pos);
    const value = Number(spelled);
    if (!Number.isFinite(value))
      this.fail('number-range', `the number ${spelled.length > 24 ? `${spelled.slice(0, 24)}…` : spelled} is beyond the float64 range`, start);
    const plain = !negative && intEnd === this.pos;
    const unsigned = plain && (spelled.length < U64_MAX.length || (spelled.length === U64_MAX.length && spelled <= U64_MAX));
    return { kind: 'number', value, unsigned, start, end: this.pos };
  }

  /** A string from its opening quote; escapes decoded, surrogate escapes paired as serde_json demands. */
  private string(): string {
    const t = this.text;
    const parts: string[] = [];
    let run = ++this.pos;
    for (;;) {
      if (this.pos >= t.length) this.fail('syntax', 'a string is not closed');
      const c = t.charCodeAt(this.pos);
      if (c === 0x22 || c === 0x5c) {
        parts.push(t.slice(run, this.pos));
        if (c === 0x22) {
          this.pos++;
          return parts.join('');
        }
        parts.push(this.escape());
        run = this.pos;
      } else if (c < 0x20) {
        this.fail('control-character', `a string holds the control character ${describe(t, this.pos)} unescaped`);
      } else this.pos++;
    }
  }

  private hex4(): number {
    const h = this.text.slice(this.pos, this.pos + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(h)) this.fail('escape', 'a \\u escape needs four hex digits');
    this.pos += 4;
    return parseInt(h, 16);
  }

  private escape(): string {
    const at = this.pos;
    const c = this.text[++this.pos];
    this.pos++;
    if (c !== 'u') {
      if (c === undefined || !Object.hasOwn(ESCAPES, c)) this.fail('escape', `a backslash followed by ${describe(this.text, at + 1)} is not a JSON escape`, at);
      return ESCAPES[c]!;
    }
    const unit = this.hex4();
    if (unit >= 0xdc00 && unit <= 0xdfff) this.fail('surrogate', `the escape \\u${unit.toString(16).toUpperCase()} is a lone trailing surrogate`, at);
    if (unit < 0xd800 || unit > 0xdbff) return String.fromCharCode(unit);
    if (this.text.slice(this.pos, this.pos + 2) !== '\\u')
      this.fail('surrogate', `the escape \\u${unit.toString(16).toUpperCase()} is a lone leading surrogate`, at);
    this.pos += 2;
    const low = this.hex4();
    if (low < 0xdc00 || low > 0xdfff)
      this.fail('surrogate', `the escape \\u${unit.toString(16).toUpperCase()} is a leading surrogate without its trailing half`, at);
    return String.fromCharCode(unit, low);
  }
}

/**
 * Parses `text` as serde_json would before typing it: containers nested `limit` deep (128 by
 * default, so at most 127 levels), lone surrogate escapes, numbers beyond float64, a leading
 * byte-order mark and anything outside RFC 8259 throw a StrictJsonError naming the problem and
 * its byte offset. Never recurses; duplicate keys are kept for the caller to judge.
 */
export function parseStrictJson(text: string, limit = SERDE_JSON_RECURSION_LIMIT): JsonNode {
  return new Reader(text, limit).document();
}

/**
 * `JSON.parse` behind the strict check: the same value for accepted text (duplicate keys: the
 * last wins), and for anything else a StrictJsonError whose message no engine has worded.
 */
export function parseJsonValue(text: string): unknown {
  parseStrictJson(text);
  return JSON.parse(text) as unknown;
}
