import { expect } from '@esm-bundle/chai';
import '../../../components/playground/sp-training-controls.ts';
import type { SpTrainingControls } from '../../../components/playground/sp-training-controls.ts';

async function controls(props: { ready: boolean; training: boolean }): Promise<SpTrainingControls> {
  const el = document.createElement('sp-training-controls');
  el.ready = props.ready;
  el.training = props.training;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

function button(el: SpTrainingControls, testid: string): HTMLButtonElement {
  return el.shadowRoot!.querySelector<HTMLButtonElement>(`[data-testid="${testid}"]`)!;
}

/** Clicks a button and returns the names of the events that reached the document. */
function clickAndRecord(el: SpTrainingControls, testid: string): string[] {
  const names = ['sp-play', 'sp-pause', 'sp-step', 'sp-epoch', 'sp-reset'];
  const seen: string[] = [];
  const listener = (e: Event) => seen.push(e.type);
  for (const n of names) document.addEventListener(n, listener);
  button(el, testid).click();
  for (const n of names) document.removeEventListener(n, listener);
  return seen;
}

describe('<sp-training-controls>', () => {
  afterEach(() => document.body.replaceChildren());

  it('each button emits its event, bubbling out of the shadow root', async () => {
    const el = await controls({ ready: true, training: false });
    expect(clickAndRecord(el, 'train-toggle')).to.deep.equal(['sp-play']);
    expect(clickAndRecord(el, 'step-once')).to.deep.equal(['sp-step']);
    expect(clickAndRecord(el, 'epoch-once')).to.deep.equal(['sp-epoch']);
    expect(clickAndRecord(el, 'reset')).to.deep.equal(['sp-reset']);
  });

  it('offers Pause while training and disables Step and Epoch', async () => {
    const el = await controls({ ready: true, training: false });
    expect(button(el, 'train-toggle').textContent).to.contain('Train');
    expect(button(el, 'train-toggle').getAttribute('aria-pressed')).to.equal('false');
    el.training = true;
    await el.updateComplete;
    expect(button(el, 'train-toggle').textContent).to.contain('Pause');
    expect(button(el, 'train-toggle').getAttribute('aria-pressed')).to.equal('true');
    expect(button(el, 'step-once').disabled).to.equal(true);
    expect(button(el, 'epoch-once').disabled).to.equal(true);
    expect(clickAndRecord(el, 'train-toggle')).to.deep.equal(['sp-pause']);
    expect(clickAndRecord(el, 'step-once')).to.deep.equal([]);
  });

  it('offers only Reset while not ready', async () => {
    const el = await controls({ ready: false, training: false });
    expect(button(el, 'train-toggle').disabled).to.equal(true);
    expect(button(el, 'step-once').disabled).to.equal(true);
    expect(button(el, 'epoch-once').disabled).to.equal(true);
    expect(button(el, 'reset').disabled).to.equal(false);
    expect(clickAndRecord(el, 'reset')).to.deep.equal(['sp-reset']);
  });
});
