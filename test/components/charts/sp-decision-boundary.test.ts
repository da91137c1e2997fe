import { expect } from '@esm-bundle/chai';
import '../../../components/charts/sp-decision-boundary.ts';
import type { SpDecisionBoundary } from '../../../components/charts/sp-decision-boundary.ts';
import { classColor } from '../../../components/shared/palette.ts';

const POINTS = {
  features: new Float32Array([-1, -1, 1, 1]),
  labels: new Uint32Array([0, 1]),
  split: new Uint8Array([0, 2]),
  bounds: { xMin: -2, xMax: 2, yMin: -2, yMax: 2 },
};

async function mount(): Promise<SpDecisionBoundary> {
  const el = document.createElement('sp-decision-boundary');
  el.points = POINTS;
  el.classNames = ['a', 'b'];
  document.body.append(el);
  await el.updateComplete;
  return el;
}

function pixel(el: SpDecisionBoundary, x: number, y: number): number[] {
  const canvas = el.shadowRoot!.querySelector('canvas')!;
  return [...canvas.getContext('2d')!.getImageData(x, y, 1, 1).data];
}

describe('<sp-decision-boundary>', () => {
  it('says it needs 2-D data when there are no points', async () => {
    const el = document.createElement('sp-decision-boundary');
    document.body.append(el);
    await el.updateComplete;
    expect(el.shadowRoot!.textContent).to.contain('2-D');
    el.remove();
  });

  it('paints each half of the plane in its predicted class colour, more opaque where confident', async () => {
    const el = await mount();
    // Left half class 0, right half class 1; the right half at full confidence.
    const n = 4;
    const classes = new Uint8Array(n * n).map((_, i) => (i % n < n / 2 ? 0 : 1));
    const confidence = new Float32Array(n * n).map((_, i) => (i % n < n / 2 ? 0.55 : 1));
    el.grid = { resolution: n, bounds: POINTS.bounds, classes, confidence };
    await el.updateComplete;
    const left = pixel(el, 30, 240);
    const right = pixel(el, 450, 240);
    // Canvas alpha is premultiplied, so channels may round by a few levels.
    const near = (rgba: number[], hex: string) => {
      const want = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
      want.forEach((v, i) => expect(Math.abs(rgba[i]! - v), `channel ${i} of ${rgba} vs ${hex}`).to.be.at.most(4));
    };
    near(left, classColor(0));
    near(right, classColor(1));
    expect(right[3]!).to.be.greaterThan(left[3]!);
    el.remove();
  });

  it('draws the data points and labels the legend with class names', async () => {
    const el = await mount();
    // The training point (-1, -1) maps to (120, 360) on the 480-pixel canvas.
    expect(pixel(el, 120, 360)[3]).to.be.greaterThan(0);
    expect(el.shadowRoot!.querySelector('.legend')!.textContent).to.contain('a').and.contain('b');
    el.remove();
  });
});
