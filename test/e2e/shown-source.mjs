// In-page probe shared by the browser smoke suites (Firefox over BiDi, WebKit over classic
// WebDriver): what the shader explorer's source view really shows for one file tab. Comparing
// the text area's value alone missed a bug every engine drew: the highlighted copy under it had
// template whitespace, so each line showed ~18 spaces in and the code began a line low.
import assert from 'node:assert/strict';

/**
 * Runs in the page: clicks the `index`-th kernel file tab (searched through open shadow roots)
 * and reports the tab's name, the text area's value, the highlighted copy's text, and, for
 * line 1 and the first line indented by two spaces, how far from its place (its line's slot,
 * its column) the copy draws the line's first visible character, in px. Self-contained, so a
 * driver can send its source text.
 */
export async function shownSource(index) {
  const search = (root) => {
    const hit = root.querySelector('[data-testid="family-tab"]');
    if (hit) return hit;
    for (const el of root.querySelectorAll('*')) {
      const inner = el.shadowRoot && search(el.shadowRoot);
      if (inner) return inner;
    }
    return null;
  };
  const first = search(document);
  const tab = first.parentElement.querySelectorAll('[data-testid="family-tab"]')[index];
  tab.click();
  const host = first.getRootNode().host;
  await host.updateComplete;
  const editor = host.shadowRoot.querySelector('sp-shader-editor');
  await editor.updateComplete;
  const root = editor.shadowRoot;
  const pre = root.querySelector('pre');
  const value = root.querySelector('[data-testid="source-editor"]').value;
  /** The drawn box of character `offset` of `line`'s text. */
  const charBox = (line, offset) => {
    const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (offset < node.textContent.length) {
        const range = document.createRange();
        range.setStart(node, offset);
        range.setEnd(node, offset + 1);
        return range.getBoundingClientRect();
      }
      offset -= node.textContent.length;
    }
    return null;
  };
  const lines = [...root.querySelectorAll('.line')];
  const box = pre.getBoundingClientRect();
  const lineHeight = lines[0].getBoundingClientRect().height;
  const sourceLines = value.split('\n');
  /** Line n's first visible character: drawn px minus where the file puts it (its column, its line's slot). */
  const offPlace = (n) => {
    const drawn = charBox(lines[n], lines[n].textContent.search(/\S/));
    const column = sourceLines[n].search(/\S/);
    return { left: drawn.left - (box.left + column * drawn.width), top: drawn.top - (box.top + n * lineHeight) };
  };
  const indented = sourceLines.findIndex((l) => /^ {2}\S/.test(l));
  return {
    tab: tab.textContent.trim(),
    value,
    drawn: pre.textContent,
    lineHeight,
    firstLine: offPlace(0),
    indentedLine: indented >= 0 ? offPlace(indented) : { left: 0, top: 0 },
  };
}

/**
 * Asserts, in Node, that `shown` (shownSource's report for `file`) is the file exactly as
 * shipped, in the text area and in the highlighted copy drawn over it (first line first, no
 * added indentation), drawn where it belongs.
 */
export function assertShownExactly(shown, file, shipped) {
  assert.equal(shown.tab.split(' ')[0], file);
  assert.equal(shown.value, shipped, `${file}: the text area holds the file exactly`);
  assert.equal(shown.drawn, shipped, `${file}: the highlighted copy shows the file exactly`);
  for (const [which, off] of [
    ['line 1', shown.firstLine],
    ['the first line indented by two spaces', shown.indentedLine],
  ]) {
    assert.ok(Math.abs(off.left) < 0.5, `${file}: ${which} is drawn at its column (${off.left} px off)`);
    assert.ok(Math.abs(off.top) < shown.lineHeight / 2, `${file}: ${which} is drawn on its own line (${off.top} px off)`);
  }
}
