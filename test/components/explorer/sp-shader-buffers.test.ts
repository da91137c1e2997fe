import { expect } from '@esm-bundle/chai';
import '../../../components/explorer/sp-shader-buffers.ts';
import type { SpShaderBuffers } from '../../../components/explorer/sp-shader-buffers.ts';
import { histogram, type BufferSnapshot } from '../../../src/explorer/snapshot.ts';

describe('histogram', () => {
  it('bins finite values over [min, max] and counts the rest', () => {
    const h = histogram([0, 1, 2, 3, NaN, Infinity], 4);
    expect(h.bins).to.deep.equal([1, 1, 1, 1]);
    expect([h.min, h.max, h.mean, h.count, h.nonFinite]).to.deep.equal([0, 3, 1.5, 4, 2]);
    expect(h.std).to.be.closeTo(Math.sqrt(1.25), 1e-12);
    expect(histogram([5, 5, 5], 4).bins).to.deep.equal([0, 0, 3, 0]);
    expect(histogram([], 3).count).to.equal(0);
  });
});

describe('<sp-shader-buffers>', () => {
  afterEach(() => document.querySelectorAll('sp-shader-buffers').forEach((e) => e.remove()));

  it('draws weights, gradients and activations per layer and asks for snapshots', async () => {
    const el = document.createElement('sp-shader-buffers') as SpShaderBuffers;
    document.body.append(el);
    await el.updateComplete;
    let asked = 0;
    let askedByOldName = 0;
    el.addEventListener('sp-snapshot-request', () => asked++);
    el.addEventListener('snapshot-request', () => askedByOldName++);
    el.shadowRoot!.querySelector<HTMLButtonElement>('[data-testid="take-snapshot"]')!.click();
    expect(asked).to.equal(1);
    expect(askedByOldName, 'the deprecated name still fires').to.equal(1);
    const snapshot: BufferSnapshot = {
      step: 12,
      layers: [0, 1].map((layer) => ({
        layer,
        title: `dense ${layer}`,
        weights: histogram([1, 2, 3], 6),
        gradients: histogram([0, NaN], 6),
        activations: histogram([0, 0, 1], 6),
      })),
    };
    el.snapshot = snapshot;
    await el.updateComplete;
    const figures = el.shadowRoot!.querySelectorAll('[data-testid="histogram"]');
    expect(figures.length).to.equal(6);
    expect(figures[0]!.querySelectorAll('rect').length).to.equal(6);
    expect(figures[1]!.textContent).to.contain('1 NaN/∞');
    expect(el.shadowRoot!.querySelector('[data-testid="snapshot-step"]')!.textContent).to.equal('after step 12');
  });
});
