import { expect } from '@esm-bundle/chai';
import '../../../components/explorer/sp-shader-editor.ts';
import type { SpShaderEditor } from '../../../components/explorer/sp-shader-editor.ts';
import { KERNEL_SOURCES } from '../../../src/explorer/sources.ts';

async function make(source: string, messages: SpShaderEditor['messages'] = []): Promise<SpShaderEditor> {
  const el = document.createElement('sp-shader-editor');
  el.source = source;
  el.messages = messages;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

/** The box of the `offset`-th character of `line`'s text, as drawn. */
function charBox(line: Element, offset: number): DOMRect {
  const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
  let left = offset;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const length = node.textContent!.length;
    if (left < length) {
      const range = document.createRange();
      range.setStart(node, left);
      range.setEnd(node, left + 1);
      return range.getBoundingClientRect();
    }
    left -= length;
  }
  throw new Error(`line ${line.getAttribute('data-line')} has no character ${offset}`);
}

describe('<sp-shader-editor>', () => {
  afterEach(() => document.querySelectorAll('sp-shader-editor').forEach((e) => e.remove()));

  it('numbers the lines and highlights WGSL tokens as spans', async () => {
    const el = await make('// head\nfn f(x: f32) -> f32 {\n  return max(x, 1.0);\n}');
    const root = el.shadowRoot!;
    expect([...root.querySelectorAll('.gutter div')].map((d) => d.textContent)).to.deep.equal(['1', '2', '3', '4']);
    expect(root.querySelector('.line[data-line="1"] .comment')!.textContent).to.equal('// head');
    expect([...root.querySelectorAll('.line[data-line="2"] .keyword')].map((s) => s.textContent)).to.deep.equal(['fn']);
    expect([...root.querySelectorAll('.line[data-line="2"] .type')].map((s) => s.textContent)).to.deep.equal(['f32', 'f32']);
    expect(root.querySelector('.line[data-line="3"] .builtin')!.textContent).to.equal('max');
    expect(root.querySelector('.line[data-line="3"] .number')!.textContent).to.equal('1.0');
    expect(root.querySelector('textarea')!.value).to.equal(el.source);
  });

  it('shows the text exactly: no leading newline, no added indentation, every shipped file byte for byte', async () => {
    const tricky = '\n  two spaces\n\ttab\n\n// last, then a newline\n';
    for (const source of [tricky, 'no newline at the end', ...KERNEL_SOURCES.map((k) => k.source)]) {
      const el = await make(source);
      expect(el.shadowRoot!.querySelector('pre')!.textContent, JSON.stringify(source.slice(0, 40))).to.equal(source);
      el.remove();
    }
  });

  it("draws each line's first character at the start of its own line, under the text area's", async () => {
    const el = await make('// first\n  indented\n\nlast');
    const root = el.shadowRoot!;
    const pre = root.querySelector('pre')!.getBoundingClientRect();
    const textarea = root.querySelector('textarea')!.getBoundingClientRect();
    const ch = charBox(root.querySelector('.line[data-line="1"]')!, 1).left - charBox(root.querySelector('.line[data-line="1"]')!, 0).left;
    const line = (n: number) => root.querySelector(`.line[data-line="${n}"]`)!;
    expect([1, 2, 3, 4].map((n) => line(n).textContent)).to.deep.equal(['// first\n', '  indented\n', '\n', 'last']);
    const first = charBox(line(1), 0);
    expect(Math.abs(first.left - pre.left), 'line 1 starts at the left edge').to.be.below(0.5);
    expect(Math.abs(first.left - textarea.left), 'under the text area').to.be.below(0.5);
    expect(first.top, 'line 1 is the first line').to.be.below(pre.top + 18);
    const indented = charBox(line(2), 2);
    expect(Math.abs(indented.left - (pre.left + 2 * ch)), 'two spaces, not more').to.be.below(0.5);
    expect(indented.top).to.be.within(line(2).getBoundingClientRect().top - 0.5, line(2).getBoundingClientRect().top + 18);
    expect(Math.abs(charBox(line(4), 0).left - pre.left)).to.be.below(0.5);
  });

  it('renders markup in the source as text, never as elements', async () => {
    const el = await make('// <img src=x onerror="window.__pwned = 1"><b>bold</b>');
    expect(el.shadowRoot!.querySelector('img, b')).to.equal(null);
    expect(el.shadowRoot!.querySelector('.comment')!.textContent).to.contain('<img src=x');
    expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('marks compile messages at their line and column and lists them', async () => {
    const el = await make('fn a() {\n  let x: f32 = 1u;\n}', [
      { type: 'error', line: 2, column: 7, length: 1, message: "cannot initialize 'let' of type 'f32' with value of type 'u32'" },
      { type: 'info', line: 0, column: 0, length: 0, message: 'no position' },
    ]);
    const root = el.shadowRoot!;
    expect(root.querySelector('.line[data-line="2"]')!.classList.contains('error')).to.equal(true);
    const mark = root.querySelector<HTMLElement>('[data-testid="compile-mark"]')!;
    expect(mark.closest('.line')!.getAttribute('data-line')).to.equal('2');
    expect(mark.style.left).to.equal('6ch');
    expect(mark.style.width).to.equal('1ch');
    const items = [...root.querySelectorAll('[data-testid="compile-message"]')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
    expect(items[0]).to.match(/^error 2:7 cannot initialize/);
    expect(items[1]).to.equal('info no position');
  });

  it('emits sp-source-input (and the deprecated source-input) as the text changes and puts the caret at a message', async () => {
    const el = await make('abc\ndef');
    const seen: string[] = [];
    const seenByOldName: string[] = [];
    el.addEventListener('sp-source-input', (e) => seen.push(e.detail.source));
    el.addEventListener('source-input', (e) => seenByOldName.push((e as CustomEvent<{ source: string }>).detail.source));
    const ta = el.shadowRoot!.querySelector('textarea')!;
    ta.value = 'abc\ndeg';
    ta.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(seen).to.deep.equal(['abc\ndeg']);
    expect(seenByOldName).to.deep.equal(['abc\ndeg']);
    expect(el.value).to.equal('abc\ndeg');
    el.reveal(2, 3);
    expect(ta.selectionStart).to.equal(6);
  });

  it('indents with two spaces on Tab', async () => {
    const el = await make('x');
    const ta = el.shadowRoot!.querySelector('textarea')!;
    ta.setSelectionRange(0, 0);
    ta.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', cancelable: true }));
    await el.updateComplete;
    expect(el.value).to.equal('  x');
  });
});
