import { expect } from '@esm-bundle/chai';
import '../../../components/charts/sp-network-diagram.ts';
import type { SpNetworkDiagram } from '../../../components/charts/sp-network-diagram.ts';
import { arenaLayout } from '../../../src/nn/arena.ts';
import type { ModelSpec } from '../../../src/nn/spec.ts';

const IRIS: ModelSpec = {
  inputSize: 4,
  hidden: [
    { units: 64, activation: 'relu' },
    { units: 64, activation: 'relu' },
  ],
  outputSize: 3,
  loss: 'softmax_ce',
};

async function diagram(spec: ModelSpec): Promise<SpNetworkDiagram> {
  const el = document.createElement('sp-network-diagram');
  el.style.width = '480px';
  el.spec = spec;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

function canvasOf(el: SpNetworkDiagram): HTMLCanvasElement {
  return el.shadowRoot!.querySelector('canvas')!;
}

/** Counts drawn pixels, and those clearly blue (positive edges) or orange (negative edges). */
function pixels(canvas: HTMLCanvasElement): { drawn: number; blue: number; orange: number } {
  const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
  let drawn = 0;
  let blue = 0;
  let orange = 0;
  for (let i = 0; i < data.length; i += 4) {
    const [r, , b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
    if (a === 0) continue;
    drawn++;
    if (a > 40 && b - r > 100) blue++;
    if (a > 40 && r - b > 100) orange++;
  }
  return { drawn, blue, orange };
}

/** Alternating-sign weights of growing size, so both colours and a range of widths appear. */
function arena(spec: ModelSpec): Float32Array {
  const params = new Float32Array(arenaLayout(spec).totalFloats);
  for (let i = 0; i < params.length; i++) params[i] = (i % 2 === 0 ? 1 : -1) * (0.1 + (i % 7) / 7);
  return params;
}

describe('<sp-network-diagram>', () => {
  afterEach(() => document.body.replaceChildren());

  it('draws grey edges before the first snapshot and coloured ones after', async () => {
    const el = await diagram(IRIS);
    const canvas = canvasOf(el);
    expect(canvas.width).to.equal(Math.round(canvas.clientWidth * (window.devicePixelRatio || 1)));
    const before = pixels(canvas);
    expect(before.drawn).to.be.greaterThan(0);
    expect(before.blue + before.orange).to.equal(0);

    el.params = arena(IRIS);
    await el.updateComplete;
    const after = pixels(canvas);
    expect(after.blue).to.be.greaterThan(0);
    expect(after.orange).to.be.greaterThan(0);
  });

  it('ignores an arena that does not fit the spec', async () => {
    const el = await diagram(IRIS);
    el.params = new Float32Array(10).fill(1);
    await el.updateComplete;
    expect(pixels(canvasOf(el)).blue).to.equal(0);
  });

  it('summarizes layer sizes and the parameter count in its label', async () => {
    const el = await diagram(IRIS);
    const canvas = canvasOf(el);
    expect(canvas.getAttribute('role')).to.equal('img');
    const label = canvas.getAttribute('aria-label')!;
    expect(label).to.contain('4 inputs → 64 relu → 64 relu → 3 outputs');
    expect(label).to.contain('4,675 parameters');

    el.spec = { ...IRIS, hidden: [{ units: 1000, activation: 'tanh' }] };
    await el.updateComplete;
    expect(canvas.getAttribute('aria-label')).to.contain('4 inputs → 1000 tanh → 3 outputs');
    expect(pixels(canvas).drawn).to.be.greaterThan(0);
  });
});

describe('<sp-network-diagram> with neuron maps', () => {
  const SPIRAL: ModelSpec = { inputSize: 2, hidden: [{ units: 3, activation: 'tanh' }], outputSize: 2, loss: 'softmax_ce' };
  /** Unit u of a layer is u + 1 times a ramp from -1 to 1 over a 4² grid (outputs: a ramp from 0 to 1). */
  const maps = {
    resolution: 4,
    layers: [
      { units: 3, values: Float32Array.from({ length: 48 }, (_, i) => ((i % 16) / 7.5 - 1) * (Math.floor(i / 16) + 1)), min: -3, max: 3 },
      { units: 2, values: Float32Array.from({ length: 32 }, (_, i) => (i % 16) / 15), min: 0, max: 1 },
    ],
  };

  afterEach(() => document.querySelectorAll('sp-network-diagram').forEach((e) => e.remove()));

  it('draws a map over every hidden unit and output, and opens one large with its scale', async () => {
    const el = await diagram(SPIRAL);
    el.maps = maps;
    await el.updateComplete;
    await el.updateComplete;
    const tiles = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[data-testid="neuron-heatmap"]')];
    expect(tiles.map((t) => `${t.dataset.layer}:${t.dataset.unit}`)).to.deep.equal(['0:0', '0:1', '0:2', '1:0', '1:1']);
    expect(tiles[4]!.getAttribute('aria-label')).to.equal('Map of output 2 (probability)');
    // The first cell of hidden unit 3 is its most negative value: full orange; the last full blue.
    const pixels = tiles[2]!.querySelector('canvas')!.getContext('2d')!.getImageData(0, 0, 4, 4).data;
    expect([...pixels.slice(0, 3)]).to.deep.equal([0xe8, 0x59, 0x0c]);
    expect([...pixels.slice(60, 63)]).to.deep.equal([0x1f, 0x6f, 0xeb]);
    tiles[1]!.click();
    await el.updateComplete;
    const detail = el.shadowRoot!.querySelector('sp-neuron-detail')!;
    await detail.updateComplete;
    const section = detail.shadowRoot!.querySelector('[data-testid="neuron-detail"]')!;
    expect(section.querySelector('h3')!.textContent).to.equal('hidden layer 1, unit 2 (tanh)');
    expect(tiles[1]!.getAttribute('aria-pressed')).to.equal('true');
    detail.shadowRoot!.querySelector('button')!.click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('sp-neuron-detail')).to.equal(null);
  });

  it("draws no maps for another network's layers", async () => {
    const el = await diagram({ ...SPIRAL, hidden: [{ units: 5, activation: 'tanh' }] });
    el.maps = maps;
    await el.updateComplete;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('[data-testid="neuron-heatmap"]')).to.have.length(0);
  });
});
