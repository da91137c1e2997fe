import { expect } from '@esm-bundle/chai';
import '../../../components/playground/sp-network-editor.ts';
import type { SpNetworkEditor } from '../../../components/playground/sp-network-editor.ts';
import { MODEL_LIMITS, type LayerSpec } from '../../../src/nn/spec.ts';

const IRIS: LayerSpec[] = [
  { units: 64, activation: 'relu' },
  { units: 64, activation: 'relu' },
];

async function editor(layers: LayerSpec[], inputSize = 4, outputSize = 3): Promise<SpNetworkEditor> {
  const el = document.createElement('sp-network-editor');
  el.layers = layers;
  el.inputSize = inputSize;
  el.outputSize = outputSize;
  el.outputLabel = 'softmax (3 classes)';
  document.body.append(el);
  await el.updateComplete;
  return el;
}

/** Every `sp-layers-change` detail the element emits, in order. */
function recordChanges(el: HTMLElement): LayerSpec[][] {
  const seen: LayerSpec[][] = [];
  el.addEventListener('sp-layers-change', (e) => seen.push((e as CustomEvent<{ layers: LayerSpec[] }>).detail.layers));
  return seen;
}

function q<T extends Element>(el: SpNetworkEditor, selector: string): T {
  const found = el.shadowRoot!.querySelector<T>(selector);
  if (!found) throw new Error(`no ${selector}`);
  return found;
}

function qa<T extends Element>(el: SpNetworkEditor, selector: string): T[] {
  return [...el.shadowRoot!.querySelectorAll<T>(selector)];
}

async function typeUnits(el: SpNetworkEditor, row: number, text: string): Promise<void> {
  const input = qa<HTMLInputElement>(el, '[data-testid="units"]')[row]!;
  input.value = text;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  await el.updateComplete;
}

describe('<sp-network-editor>', () => {
  afterEach(() => document.body.replaceChildren());

  it('shows the Iris network with 4,675 parameters and read-only input and output rows', async () => {
    // 4·64+64 + 64·64+64 + 64·3+3: the count Keras' model.summary() prints for the article's net.
    const el = await editor(IRIS);
    expect(q(el, '[data-testid="param-count"]').textContent).to.equal('4,675');
    expect(qa(el, '[data-testid="layer-row"]')).to.have.length(2);
    expect(q(el, '[data-testid="input-row"]').textContent).to.contain('4');
    expect(q(el, '[data-testid="output-row"]').textContent).to.contain('softmax (3 classes)');
    expect(q(el, '[data-testid="input-row"]').querySelector('input')).to.equal(null);
  });

  it('adds a layer that copies the last activation, without mutating the property', async () => {
    const layers: LayerSpec[] = [{ units: 16, activation: 'tanh' }];
    const el = await editor(layers);
    const seen = recordChanges(el);
    q<HTMLButtonElement>(el, '[data-testid="add-layer"]').click();
    expect(seen).to.deep.equal([
      [
        { units: 16, activation: 'tanh' },
        { units: 8, activation: 'tanh' },
      ],
    ]);
    expect(seen[0]).to.not.equal(layers);
    expect(layers).to.deep.equal([{ units: 16, activation: 'tanh' }]);
  });

  it('removes and reorders layers', async () => {
    const layers: LayerSpec[] = [
      { units: 5, activation: 'relu' },
      { units: 6, activation: 'tanh' },
      { units: 7, activation: 'sigmoid' },
    ];
    const el = await editor(layers);
    const seen = recordChanges(el);
    q<HTMLButtonElement>(el, '[aria-label="Remove layer 2"]').click();
    q<HTMLButtonElement>(el, '[aria-label="Move layer 2 up"]').click();
    q<HTMLButtonElement>(el, '[aria-label="Move layer 1 down"]').click();
    expect(seen).to.deep.equal([
      [layers[0], layers[2]],
      [layers[1], layers[0], layers[2]],
      [layers[1], layers[0], layers[2]],
    ]);
    expect(q<HTMLButtonElement>(el, '[aria-label="Move layer 1 up"]').disabled).to.equal(true);
    expect(q<HTMLButtonElement>(el, '[aria-label="Move layer 3 down"]').disabled).to.equal(true);
  });

  it('emits a new width and a new activation', async () => {
    const el = await editor(IRIS);
    const seen = recordChanges(el);
    await typeUnits(el, 1, '128');
    const select = qa<HTMLSelectElement>(el, '[data-testid="activation"]')[0]!;
    select.value = 'leaky_relu';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    expect(seen).to.deep.equal([
      [IRIS[0], { units: 128, activation: 'relu' }],
      [{ units: 64, activation: 'leaky_relu' }, IRIS[1]],
    ]);
  });

  it('rejects widths out of range with an inline message and emits nothing', async () => {
    const el = await editor(IRIS);
    const seen = recordChanges(el);
    for (const bad of ['0', '-3', '2.5', String(MODEL_LIMITS.maxUnits + 1), '']) {
      await typeUnits(el, 0, bad);
      const error = q(el, '[role="alert"]');
      expect(error.textContent).to.contain('4,096');
      expect(qa<HTMLInputElement>(el, '[data-testid="units"]')[0]!.getAttribute('aria-invalid')).to.equal('true');
    }
    expect(seen).to.deep.equal([]);
    await typeUnits(el, 0, String(MODEL_LIMITS.maxUnits));
    expect(el.shadowRoot!.querySelector('[role="alert"]')).to.equal(null);
    expect(seen).to.have.length(1);
    expect(seen[0]![0]!.units).to.equal(MODEL_LIMITS.maxUnits);
  });

  it('disables Add layer at the limit', async () => {
    const full = Array.from({ length: MODEL_LIMITS.maxHiddenLayers }, () => ({ units: 2, activation: 'relu' as const }));
    const el = await editor(full);
    const seen = recordChanges(el);
    const add = q<HTMLButtonElement>(el, '[data-testid="add-layer"]');
    expect(add.disabled).to.equal(true);
    add.click();
    expect(seen).to.deep.equal([]);
    el.layers = full.slice(1);
    await el.updateComplete;
    expect(add.disabled).to.equal(false);
  });

  it('labels every control', async () => {
    const el = await editor(IRIS);
    for (const control of qa<HTMLElement>(el, 'input, select')) {
      expect(control.closest('label'), control.outerHTML).to.not.equal(null);
    }
    for (const button of qa<HTMLButtonElement>(el, 'button')) {
      expect(button.getAttribute('aria-label') ?? button.textContent!.trim()).to.not.equal('');
    }
  });
});
