import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import '../../../components/metrics/sp-confusion-matrix.ts';
import type { CellSelectDetail, SpConfusionMatrix } from '../../../components/metrics/sp-confusion-matrix.ts';
import { contrast, parseColor, type Rgb } from '../../../components/metrics/cell-colors.ts';

async function make(): Promise<SpConfusionMatrix> {
  const el = document.createElement('sp-confusion-matrix');
  el.matrix = [
    [3, 1],
    [0, 0],
  ];
  el.classNames = ['cat', 'dog'];
  document.body.append(el);
  await el.updateComplete;
  return el;
}

function cells(el: SpConfusionMatrix): HTMLButtonElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('td button')];
}

describe('<sp-confusion-matrix>', () => {
  afterEach(() => document.querySelectorAll('sp-confusion-matrix').forEach((e) => e.remove()));

  it('renders an accessible table: caption, column and row headers, counts', async () => {
    const el = await make();
    const root = el.shadowRoot!;
    expect(root.querySelector('caption')!.textContent).to.contain('rows are true classes');
    const cols = [...root.querySelectorAll('thead th[scope=col]')].map((th) => th.textContent!.trim());
    expect(cols.slice(1)).to.deep.equal(['cat', 'dog']);
    const rows = [...root.querySelectorAll('tbody th[scope=row]')].map((th) => th.textContent!.trim());
    expect(rows).to.deep.equal(['cat', 'dog']);
    expect(cells(el).map((b) => b.textContent!.trim())).to.deep.equal(['3', '1', '0', '0']);
    expect(cells(el)[1]!.getAttribute('aria-label')).to.equal('True cat, predicted dog: 1');
  });

  it('shades cells by value', async () => {
    const el = await make();
    const level = (b: HTMLElement) => b.style.getPropertyValue('--level');
    expect(cells(el).map(level)).to.deep.equal(['100.0%', '33.3%', '0.0%', '0.0%']);
  });

  it('keeps every count readable (4.5:1) on its shade, in the light theme and in a dark one', async () => {
    for (const dark of [false, true]) {
      const el = document.createElement('sp-confusion-matrix');
      if (dark)
        for (const [name, value] of Object.entries({ bg: '#15181c', fg: '#e6e9ee', accent: '#6ea0ff', 'accent-fg': '#0b0d10' }))
          el.style.setProperty(`--sp-theme-${name}`, value);
      // Every shade from 0 to 100% of the largest count: the band that failed (axe: 3.11, 2.46, 3.72) included.
      el.matrix = [Array.from({ length: 21 }, (_, i) => i * 5)];
      el.classNames = ['a'];
      document.body.append(el);
      await el.updateComplete;
      for (const b of cells(el)) {
        const style = getComputedStyle(b);
        const ratio = contrast(parseColor(style.color) as Rgb, parseColor(style.backgroundColor) as Rgb);
        expect(ratio, `${dark ? 'dark' : 'light'}: "${b.textContent!.trim()}" on ${style.backgroundColor}`).to.be.at.least(4.5);
      }
      el.remove();
    }
  });

  it('toggles row shares with aria-pressed and emits sp-normalize-change', async () => {
    const el = await make();
    const toggle = el.shadowRoot!.querySelector<HTMLButtonElement>('[data-testid=normalize]')!;
    expect(toggle.getAttribute('aria-pressed')).to.equal('false');
    let detail: unknown = null;
    document.body.addEventListener('sp-normalize-change', (e) => (detail = (e as CustomEvent).detail), { once: true });
    toggle.click();
    await el.updateComplete;
    expect(detail).to.deep.equal({ normalized: true });
    expect(toggle.getAttribute('aria-pressed')).to.equal('true');
    // An empty row stays 0%, not NaN.
    expect(cells(el).map((b) => b.textContent!.trim())).to.deep.equal(['75%', '25%', '0%', '0%']);
  });

  it('emits sp-cell-select from a click and from the keyboard (cells are buttons)', async () => {
    const el = await make();
    const got: CellSelectDetail[] = [];
    const listener = (e: Event) => got.push((e as CustomEvent<CellSelectDetail>).detail);
    document.body.addEventListener('sp-cell-select', listener);
    cells(el)[1]!.click();
    const cell = cells(el)[2]!;
    expect(cell.tagName).to.equal('BUTTON');
    cell.focus();
    expect(el.shadowRoot!.activeElement).to.equal(cell);
    await sendKeys({ press: 'Enter' });
    cells(el)[3]!.focus();
    await sendKeys({ press: 'Space' });
    document.body.removeEventListener('sp-cell-select', listener);
    expect(got).to.deep.equal([
      { trueClass: 0, predictedClass: 1 },
      { trueClass: 1, predictedClass: 0 },
      { trueClass: 1, predictedClass: 1 },
    ]);
  });

  it('shows a placeholder without a matrix', async () => {
    const el = document.createElement('sp-confusion-matrix');
    document.body.append(el);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('table')).to.equal(null);
    expect(el.shadowRoot!.textContent).to.contain('No confusion matrix');
  });
});
