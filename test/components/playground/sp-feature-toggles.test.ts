import { expect } from '@esm-bundle/chai';
import '../../../components/playground/sp-feature-toggles.ts';
import type { SpFeatureToggles } from '../../../components/playground/sp-feature-toggles.ts';
import type { InputFeature } from '../../../src/data/features.ts';

async function make(features: InputFeature[]): Promise<SpFeatureToggles> {
  const el = document.createElement('sp-feature-toggles');
  el.features = features;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

function box(el: SpFeatureToggles, f: InputFeature): HTMLInputElement {
  return el.shadowRoot!.querySelector<HTMLInputElement>(`[data-testid="feature-toggle"][data-feature="${f}"]`)!;
}

describe('<sp-feature-toggles>', () => {
  afterEach(() => document.querySelectorAll('sp-feature-toggles').forEach((e) => e.remove()));

  it('has one labelled box per feature and emits the whole list, in order, on a change', async () => {
    const el = await make(['x1', 'x2']);
    const boxes = [...el.shadowRoot!.querySelectorAll<HTMLInputElement>('[data-testid="feature-toggle"]')];
    expect(boxes.map((b) => b.dataset.feature)).to.deep.equal(['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2']);
    expect(boxes.map((b) => b.checked)).to.deep.equal([true, true, false, false, false, false, false]);
    expect(boxes[2]!.closest('label')!.textContent!.trim()).to.equal('x₁²');
    let got: InputFeature[] | null = null;
    el.addEventListener('sp-features-change', (e) => (got = (e as CustomEvent<{ features: InputFeature[] }>).detail.features));
    box(el, 'x1sq').click();
    expect(got).to.deep.equal(['x1', 'x2', 'x1sq']);
  });

  it('refuses to turn the last feature off: the box stays on and a message says why, nothing is emitted', async () => {
    const el = await make(['x2']);
    let emitted = false;
    el.addEventListener('sp-features-change', () => (emitted = true));
    box(el, 'x2').click();
    await el.updateComplete;
    expect(box(el, 'x2').checked).to.equal(true);
    expect(emitted).to.equal(false);
    expect(el.shadowRoot!.querySelector('[data-testid="features-error"]')!.textContent).to.equal('At least one input feature must stay on.');
  });
});
