import { expect } from '@esm-bundle/chai';
import matmulSource from '../../shaders/matmul.wgsl';
import { MAX_SOURCE_BYTES, position } from '../../src/explorer/edit.ts';
import { decodeSharedEdit, encodeSharedEdit } from '../../src/explorer/share.ts';
import { tokenizeWgsl } from '../../src/explorer/wgsl-tokens.ts';

describe('tokenizeWgsl', () => {
  it('gives every line back exactly', () => {
    const lines = tokenizeWgsl(matmulSource);
    expect(lines.map((l) => l.map((t) => t.text).join('')).join('\n')).to.equal(matmulSource);
  });

  it('classifies keywords, types, built-ins, numbers, attributes and comments', () => {
    const [line] = tokenizeWgsl('@compute @workgroup_size(16) fn f(i: u32) -> vec4f { let x = max(1.5e-3, 0x1Fu); } // done');
    const kinds = (kind: string) => line!.filter((t) => t.kind === kind).map((t) => t.text);
    expect(kinds('attribute')).to.deep.equal(['@compute', '@workgroup_size']);
    expect(kinds('keyword')).to.deep.equal(['fn', 'let']);
    expect(kinds('type')).to.deep.equal(['u32', 'vec4f']);
    expect(kinds('builtin')).to.deep.equal(['max']);
    expect(kinds('number')).to.deep.equal(['16', '1.5e-3', '0x1Fu']);
    expect(kinds('comment')).to.deep.equal(['// done']);
    expect(kinds('ident')).to.deep.equal(['f', 'i', 'x']);
  });

  it('carries nested block comments across lines', () => {
    const lines = tokenizeWgsl('a /* one /* two */\nstill */ b');
    expect(lines[0]!.map((t) => t.kind)).to.deep.equal(['ident', 'text', 'comment']);
    expect(lines[1]!.map((t) => [t.kind, t.text])).to.deep.equal([
      ['comment', 'still */'],
      ['text', ' '],
      ['ident', 'b'],
    ]);
  });

  it('survives stray characters', () => {
    expect(
      tokenizeWgsl('@ / # ` 1')[0]!
        .map((t) => t.text)
        .join(''),
    ).to.equal('@ / # ` 1');
  });
});

describe('position', () => {
  it('maps an offset to a 1-based line and column', () => {
    expect(position('ab\ncd\nef', 0)).to.deep.equal({ line: 1, column: 1 });
    expect(position('ab\ncd\nef', 4)).to.deep.equal({ line: 2, column: 2 });
  });
});

describe('shared edits in a link', () => {
  it('round-trips a source with non-ASCII characters', () => {
    const edit = { family: 'matmul', source: matmulSource + '\n// Σ ⊙ ✓' };
    const hash = encodeSharedEdit(edit);
    expect(hash).to.match(/^#kernel=matmul&wgsl=[A-Za-z0-9_-]+$/);
    expect(decodeSharedEdit(hash, ['matmul'])).to.deep.equal(edit);
  });

  it('is null without one, and refuses unknown families, bad encodings and oversized sources', () => {
    expect(decodeSharedEdit('#dataset=iris', ['matmul'])).to.equal(null);
    expect(() => decodeSharedEdit('#kernel=matmul', ['matmul'])).to.throw(/both/);
    expect(() => decodeSharedEdit('#kernel=evil&wgsl=AAAA', ['matmul'])).to.throw(/unknown kernel family/);
    expect(() => decodeSharedEdit('#kernel=matmul&wgsl=a+b', ['matmul'])).to.throw(/base64url/);
    const big = encodeSharedEdit({ family: 'matmul', source: 'x'.repeat(MAX_SOURCE_BYTES + 10) });
    expect(() => decodeSharedEdit(big, ['matmul'])).to.throw(/64 KiB/);
  });
});
