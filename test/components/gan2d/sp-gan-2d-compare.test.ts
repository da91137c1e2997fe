import { expect } from '@esm-bundle/chai';
import '../../../components/gan2d/sp-gan-2d.ts';
import type { SpGan2d } from '../../../components/gan2d/sp-gan-2d.ts';
import type { SpGan2dCompare } from '../../../components/gan2d/sp-gan-2d-compare.ts';
import { setEngineWorkerUrl } from '../../../src/worker/worker-url.ts';
import { waitFor } from '../../helpers/async.ts';

setEngineWorkerUrl(new URL('../../../src/worker/worker.ts', import.meta.url));

/** Small networks so that 4 variants train a few hundred iterations in a few seconds on the CPU. */
const SMALL = 'g=16&d=16&batch=64';

async function lab(hash: string): Promise<SpGan2d> {
  history.replaceState(null, '', `#${hash}`);
  const el = document.createElement('sp-gan-2d');
  el.setAttribute('backend', 'cpu');
  el.setAttribute('url-state', '');
  document.body.append(el);
  await el.updateComplete;
  await waitFor('the GAN to build', () => el.gan.status === 'ready' || el.gan.status === 'error', 60_000);
  return el;
}

const linked = () => new URLSearchParams(location.hash.slice(1)).get('compare');
const testid = (root: ParentNode, id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const compareOf = (el: SpGan2d) => el.shadowRoot!.querySelector<SpGan2dCompare>('sp-gan-2d-compare');
const variants = (c: SpGan2dCompare) => [...c.shadowRoot!.querySelectorAll<HTMLElement>('[data-testid="gan2d-variant"]')];

async function ready(c: SpGan2dCompare, count: number): Promise<void> {
  await waitFor(`${count} variants built`, () => c.set.status === 'ready' && c.set.variants.length === count, 60_000);
  await c.updateComplete;
}

function enter(c: SpGan2dCompare, id: string, value: string): void {
  const input = testid(c.shadowRoot!, id) as HTMLInputElement | HTMLSelectElement;
  input.value = value;
  input.dispatchEvent(new Event('change'));
}

describe('<sp-gan-2d> compare mode', () => {
  afterEach(() => {
    document.body.replaceChildren();
    history.replaceState(null, '', location.pathname + location.search);
  });

  it('trains 4 seeds side by side, each with its figures, pauses, and keeps the spec in the link', async () => {
    const el = await lab(`mode=2d&${SMALL}`);
    expect(compareOf(el)).to.equal(null);
    const toggle = testid(el.shadowRoot!, 'gan2d-compare') as HTMLInputElement;
    toggle.click();
    await el.updateComplete;
    const c = compareOf(el)!;
    await ready(c, 8);
    expect(linked()).to.equal('seed:8');
    enter(c, 'gan2d-compare-count', '4');
    await ready(c, 4);
    expect(linked()).to.equal('seed:4');
    expect(location.hash).to.contain('mode=2d');
    expect(variants(c).map((v) => v.dataset.label)).to.deep.equal(['seed 1', 'seed 2', 'seed 3', 'seed 4']);
    for (const id of ['gan2d-compare-kind', 'gan2d-compare-from', 'gan2d-compare-to']) expect(testid(c.shadowRoot!, id), id).to.not.equal(null);
    (testid(c.shadowRoot!, 'gan2d-compare-toggle') as HTMLButtonElement).click();
    await waitFor('a few hundred iterations', () => c.set.iteration >= 300, 60_000);
    (testid(c.shadowRoot!, 'gan2d-compare-toggle') as HTMLButtonElement).click();
    await waitFor('the pause', () => c.set.status === 'ready', 10_000);
    await waitFor('the figures of the last frames', () => c.set.variants.every((v) => (v.frame?.iteration ?? 0) >= 300), 10_000);
    await waitFor('the figures drawn', () => variants(c).every((v) => /^\d\/8$/.test(testid(v, 'gan2d-variant-modes')!.textContent!.trim())), 10_000);
    for (const v of variants(c)) expect(Number(testid(v, 'gan2d-variant-js')!.textContent)).to.be.within(0, Math.log(2));
    expect(c.framesDrawn).to.be.greaterThan(0);
    // The 360-px column holds the small multiples without overflowing.
    el.style.width = '360px';
    await new Promise(requestAnimationFrame);
    expect(c.scrollWidth).to.be.at.most(c.clientWidth + 1);
    // A new element reads the spec back from the link.
    const hash = location.hash.slice(1);
    document.body.replaceChildren();
    const again = await lab(hash);
    const c2 = compareOf(again)!;
    await ready(c2, 4);
    expect(c2.spec).to.deep.equal({ kind: 'seed', count: 4, from: 0, to: 0 });
    expect((testid(again.shadowRoot!, 'gan2d-compare') as HTMLInputElement).checked).to.equal(true);
    // Off: the small multiples go, and so does the link's key.
    (testid(again.shadowRoot!, 'gan2d-compare') as HTMLInputElement).click();
    await again.updateComplete;
    expect(compareOf(again)).to.equal(null);
    expect(linked()).to.equal(null);
  });

  it('a variant that diverges shows its message and keeps its last frame; the others train on', async () => {
    // SGD at 0.3, 64-64 networks, batches of 8: non-saturating and least squares diverge within
    // 16 iterations at seed 1, minimax trains on (measured on the fast CPU).
    const el = await lab('g=64,64&d=64,64&gopt=sgd&dopt=sgd&glr=0.3&dlr=0.3&batch=8&compare=loss');
    const c = compareOf(el)!;
    await ready(c, 3);
    // A frame of each before Play: the divergence comes within the first chunk, and a frame kept needs one drawn.
    await waitFor('a first frame of each variant', () => c.set.variants.every((v) => v.frame !== null), 30_000);
    (testid(c.shadowRoot!, 'gan2d-compare-toggle') as HTMLButtonElement).click();
    await waitFor('a variant to fail', () => c.set.variants.some((v) => v.error !== null), 60_000);
    const failed = c.set.variants.find((v) => v.error !== null)!;
    expect(failed.error).to.match(/diverged/);
    expect(c.set.variants.find((v) => v.label === 'minimax')!.error).to.equal(null);
    await waitFor('the others to train on', () => c.set.iteration > (failed.frame?.iteration ?? 0) + 100, 60_000);
    (testid(c.shadowRoot!, 'gan2d-compare-toggle') as HTMLButtonElement).click();
    await waitFor('the pause', () => c.set.status === 'ready', 10_000);
    await c.updateComplete;
    await waitFor('the message shown', () => testid(c.shadowRoot!, 'gan2d-variant-error') !== null, 10_000);
    const cell = variants(c).find((v) => v.dataset.label === failed.label)!;
    expect(testid(cell, 'gan2d-variant-error')!.textContent).to.contain('last frame kept');
    const kept = c.set.variants.find((v) => v.label === failed.label)!.frame!;
    expect([...kept.fake].every(Number.isFinite)).to.equal(true);
  });

  it('shows why a bad spec was not used and keeps the running variants; a bad link value says so', async () => {
    const el = await lab(`${SMALL}&compare=d-steps:1-3`);
    const c = compareOf(el)!;
    await ready(c, 3);
    expect(variants(c).map((v) => v.dataset.label)).to.deep.equal(['1 D steps', '2 D steps', '3 D steps']);
    enter(c, 'gan2d-compare-to', '12');
    await c.updateComplete;
    expect(testid(c.shadowRoot!, 'gan2d-compare-error')!.textContent).to.contain('compare.dSteps');
    expect(c.set.variants).to.have.length(3);
    expect(linked()).to.equal('d-steps:1-3');
    enter(c, 'gan2d-compare-kind', 'lr-ratio');
    await ready(c, 5);
    expect(variants(c)[0]!.dataset.label).to.equal('G/D rate ×0.1');
    expect(testid(c.shadowRoot!, 'gan2d-compare-error')).to.equal(null);
    enter(c, 'gan2d-compare-from', '0');
    await c.updateComplete;
    expect(testid(c.shadowRoot!, 'gan2d-compare-error')!.textContent).to.contain('compare.from');
    document.body.replaceChildren();
    const bad = await lab(`${SMALL}&compare=seed:12`);
    expect(compareOf(bad)).to.equal(null);
    expect(testid(bad.shadowRoot!, 'gan2d-message')!.textContent).to.contain('compare=seed:12').and.contain('compare.count');
  });
});
