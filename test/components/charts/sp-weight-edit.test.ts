import { expect } from '@esm-bundle/chai';
import '../../../components/charts/sp-weight-edit.ts';
import type { SpWeightEdit } from '../../../components/charts/sp-weight-edit.ts';

async function make(): Promise<SpWeightEdit> {
  const el = document.createElement('sp-weight-edit');
  Object.assign(el, {
    layer: 1,
    from: 2,
    to: 0,
    value: 0.5,
    shape: [
      { inputs: 2, units: 4 },
      { inputs: 4, units: 3 },
    ],
  });
  document.body.append(el);
  await el.updateComplete;
  return el;
}

function submit(el: SpWeightEdit, value: string): void {
  el.shadowRoot!.querySelector<HTMLInputElement>('[data-testid="weight-value"]')!.value = value;
  el.shadowRoot!.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
}

describe('<sp-weight-edit>', () => {
  afterEach(() => document.querySelectorAll('sp-weight-edit').forEach((e) => e.remove()));

  it('starts from the edge and its value, counted from 1, and emits the typed weight 0-based', async () => {
    const el = await make();
    const field = (n: string) => el.shadowRoot!.querySelector<HTMLInputElement>(`[name="${n}"]`)!.value;
    expect([field('layer'), field('from'), field('to'), field('value')]).to.deep.equal(['2', '3', '1', '0.5']);
    const got: unknown[] = [];
    el.addEventListener('sp-weight-edit', (e) => got.push((e as CustomEvent).detail));
    submit(el, '-1.25');
    expect(got).to.deep.equal([{ layer: 1, from: 2, to: 0, value: -1.25 }]);
  });

  it('refuses abc, 1e40, NaN and an empty field where the reader is looking, and emits nothing', async () => {
    const el = await make();
    let emitted = 0;
    el.addEventListener('sp-weight-edit', () => emitted++);
    for (const bad of ['abc', '1e40', 'NaN', '']) {
      submit(el, bad);
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('[data-testid="weight-error"]')!.textContent, bad).to.contain('is not a weight: type a number from -1e6 to 1e6');
    }
    expect(emitted).to.equal(0);
  });
});
