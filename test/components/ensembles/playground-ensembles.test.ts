import { expect } from '@esm-bundle/chai';
import '../../../components/playground/sp-playground.ts';
import type { SpPlayground } from '../../../components/playground/sp-playground.ts';
import { DEFAULT_BOOST, DEFAULT_STACK } from '../../../src/config/ensembles.ts';
import { setEngineWorkerUrl } from '../../../src/worker/worker-url.ts';
import { findTags, settle, until } from '../../helpers/sweep.ts';

setEngineWorkerUrl(new URL('../../../src/worker/worker.ts', import.meta.url));

const boosting = (el: SpPlayground) => findTags<HTMLElementTagNameMap['sp-boosting']>(el, 'sp-boosting')[0]!;
const stacking = (el: SpPlayground) => findTags<HTMLElementTagNameMap['sp-stacking']>(el, 'sp-stacking')[0]!;

describe('boosting and stacking in the playground link', () => {
  afterEach(() => {
    history.replaceState(null, '', location.pathname + location.search);
    document.querySelectorAll('sp-playground').forEach((e) => e.remove());
  });

  it('reads boost= and stack= from the hash, writes edits back, and a bad field keeps the previous value with a message', async () => {
    history.replaceState(
      null,
      '',
      '#dataset=iris&epochs=3&seed=1&backend=cpu&boost=rounds:4;layers:6;act:relu;epochs:5;shrink:0.5&stack=k:3;meta:4;pass:1;l:5/tanh/sgd/0.1',
    );
    const el = document.createElement('sp-playground');
    el.urlState = true;
    el.controls = 'runs';
    document.body.append(el);
    await until(() => boosting(el) !== undefined, 'the Several runs section');
    await settle(el);
    expect(boosting(el).settings).to.deep.equal({ rounds: 4, layers: [6], activation: 'relu', epochs: 5, shrinkage: 0.5 });
    expect(stacking(el).settings).to.deep.equal({ k: 3, meta: 4, pass: true, learners: [{ layers: [5], activation: 'tanh', optimizer: 'sgd', lr: 0.1 }] });

    // An edit in the panel goes into the link.
    boosting(el).dispatchEvent(new CustomEvent('sp-boost-change', { detail: { ...DEFAULT_BOOST, rounds: 12 }, bubbles: true, composed: true }));
    await settle(el);
    expect(decodeURIComponent(location.hash)).to.contain('boost=rounds:12;layers:8;act:tanh;epochs:100;shrink:1');
    stacking(el).dispatchEvent(new CustomEvent('sp-stack-change', { detail: DEFAULT_STACK, bubbles: true, composed: true }));
    await settle(el);
    expect(location.hash).to.not.contain('stack=');

    // A bad field in a new link: a message, and the value before it stays.
    location.hash = '#dataset=iris&epochs=3&seed=1&backend=cpu&boost=rounds:0;layers:7';
    await until(() => boosting(el).settings.layers[0] === 7, 'the new link');
    await settle(el);
    expect(boosting(el).settings.rounds).to.equal(12);
    const notice = el.shadowRoot!.querySelector('.notice')!.textContent!;
    expect(notice).to.contain('Boosting: "rounds:0" was not used (rounds: must be a whole number from 1 to 50); keeping the previous value.');
  });
});
