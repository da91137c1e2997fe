/** What a piece of WGSL is, for highlighting. */
export type TokenKind = 'keyword' | 'type' | 'builtin' | 'number' | 'comment' | 'attribute' | 'ident' | 'text';

/** A run of characters of one kind on one line. */
export interface Token {
  kind: TokenKind;
  text: string;
}

const KEYWORDS = new Set([
  'alias',
  'break',
  'case',
  'const',
  'const_assert',
  'continue',
  'continuing',
  'default',
  'diagnostic',
  'discard',
  'else',
  'enable',
  'false',
  'fn',
  'for',
  'if',
  'let',
  'loop',
  'override',
  'requires',
  'return',
  'struct',
  'switch',
  'true',
  'var',
  'while',
  'uniform',
  'storage',
  'read',
  'read_write',
  'write',
  'workgroup',
  'private',
  'function',
]);
const TYPE = /^(?:[fiu]32|f16|bool|vec[234][fiuh]?|mat[234]x[234][fh]?|array|atomic|ptr|sampler|sampler_comparison|texture_\w+)$/;
const BUILTINS = new Set([
  'abs',
  'acos',
  'all',
  'any',
  'asin',
  'atan',
  'atan2',
  'atomicAdd',
  'atomicLoad',
  'atomicMax',
  'atomicMin',
  'atomicStore',
  'bitcast',
  'ceil',
  'clamp',
  'cos',
  'cosh',
  'cross',
  'distance',
  'dot',
  'exp',
  'exp2',
  'floor',
  'fma',
  'fract',
  'inverseSqrt',
  'length',
  'log',
  'log2',
  'max',
  'min',
  'mix',
  'normalize',
  'pow',
  'round',
  'select',
  'sign',
  'sin',
  'sinh',
  'smoothstep',
  'sqrt',
  'step',
  'storageBarrier',
  'tan',
  'tanh',
  'trunc',
  'workgroupBarrier',
  'workgroupUniformLoad',
  'arrayLength',
]);

// Order matters: comments, attributes, numbers, identifiers, then any other run.
const PATTERN =
  /(\/\/[^\n]*)|(@[A-Za-z_]\w*)|(0[xX][0-9a-fA-F]+[iu]?|(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?[fh]?|\d+[eE][+-]?\d+[fh]?|\d+[iufh]?)|([A-Za-z_]\w*)|(\s+|[^\sA-Za-z_0-9@/]+|[@/])/y;

/**
 * Splits WGSL into lines of tokens: keywords (and address spaces), types, built-in functions,
 * numbers, comments (line and nested block comments, across lines), attributes, identifiers and
 * the rest. Concatenating a line's tokens gives the line back exactly.
 */
export function tokenizeWgsl(source: string): Token[][] {
  const lines: Token[][] = [];
  let depth = 0; // nesting of /* */ carried from line to line
  for (const line of source.split('\n')) {
    const tokens: Token[] = [];
    let i = 0;
    while (i < line.length) {
      if (depth > 0 || line.startsWith('/*', i)) {
        const start = i;
        ({ i, depth } = skipBlockComment(line, i, depth));
        tokens.push({ kind: 'comment', text: line.slice(start, i) });
        continue;
      }
      PATTERN.lastIndex = i;
      const m = PATTERN.exec(line)!;
      const [text, comment, attribute, number, ident] = m;
      const kind: TokenKind = comment ? 'comment' : attribute ? 'attribute' : number ? 'number' : ident ? identKind(ident) : 'text';
      push(tokens, kind, text);
      i += text.length;
    }
    lines.push(tokens);
  }
  return lines;
}

function skipBlockComment(line: string, i: number, depth: number): { i: number; depth: number } {
  while (i < line.length) {
    if (line.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (line.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) break;
    } else {
      i++;
    }
  }
  return { i, depth };
}

function identKind(ident: string): TokenKind {
  if (KEYWORDS.has(ident)) return 'keyword';
  if (TYPE.test(ident)) return 'type';
  if (BUILTINS.has(ident)) return 'builtin';
  return 'ident';
}

/** Appends, merging a run of plain text into the previous token of the same kind. */
function push(tokens: Token[], kind: TokenKind, text: string): void {
  const last = tokens[tokens.length - 1];
  if (last && last.kind === kind && kind === 'text') last.text += text;
  else tokens.push({ kind, text });
}
