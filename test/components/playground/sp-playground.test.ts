import { expect } from '@esm-bundle/chai';
import '../../../components/playground/sp-playground.ts';
import type { SpPlayground } from '../../../components/playground/sp-playground.ts';
import { setEngineWorkerUrl } from '../../../src/worker/worker-url.ts';
import { DEFAULT_EXPERIMENT } from '../../../src/config/experiment.ts';

setEngineWorkerUrl(new URL('../../../src/worker/worker.ts', import.meta.url));

async function until(check: () => boolean, timeout = 60000): Promise<void> {
  const end = performance.now() + timeout;
  while (!check()) {
    if (performance.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function text(el: SpPlayground, testid: string): string {
  const status = el.shadowRoot?.querySelector('sp-run-status');
  return status?.shadowRoot?.querySelector(`[data-testid="${testid}"]`)?.textContent?.trim() ?? '';
}

describe('<sp-playground>', () => {
  afterEach(() => {
    history.replaceState(null, '', location.pathname + location.search);
    document.querySelectorAll('sp-playground').forEach((e) => e.remove());
  });

  it('builds the experiment from the URL hash and shows the backend', async () => {
    history.replaceState(null, '', '#dataset=xor&layers=6&activation=tanh&epochs=3&seed=5&backend=webgpu');
    const el = document.createElement('sp-playground');
    el.urlState = true;
    document.body.append(el);
    await until(() => text(el, 'backend').startsWith('WebGPU'));
    expect(el.config.dataset.name).to.equal('xor');
    expect(el.config.hidden).to.deep.equal([{ units: 6, activation: 'tanh' }]);
    expect(el.shadowRoot!.querySelector('sp-decision-boundary')).to.not.equal(null);
  });

  it('writes edits from child elements into the hash; a live learning-rate change keeps the model', async () => {
    history.replaceState(null, '', '#dataset=iris&epochs=5&seed=1&backend=webgpu');
    const el = document.createElement('sp-playground');
    el.urlState = true;
    document.body.append(el);
    await until(() => text(el, 'backend').startsWith('WebGPU'));
    const editor = el.shadowRoot!.querySelector('sp-network-editor')!;
    editor.dispatchEvent(new CustomEvent('sp-layers-change', { detail: { layers: [{ units: 5, activation: 'sigmoid' }] }, bubbles: true, composed: true }));
    await el.updateComplete;
    expect(location.hash).to.contain('layers=5').and.contain('activation=sigmoid');
    const status = el.shadowRoot!.querySelector('sp-run-status')!;
    // The rebuilt session (5 sigmoid units), not the one it replaces.
    await until(() => status.info?.spec.hidden[0]?.units === 5 && text(el, 'backend').startsWith('WebGPU'));
    const infoBefore = status.info;
    const controls = el.shadowRoot!.querySelector('sp-training-controls')!;
    const oneEpoch = () => controls.dispatchEvent(new CustomEvent('sp-epoch', { bubbles: true, composed: true }));
    oneEpoch();
    await until(() => text(el, 'epoch') === '1');
    const hyper = el.shadowRoot!.querySelector('sp-hyperparams')!;
    const config = { ...el.config, optimizer: { ...el.config.optimizer, learningRate: 0.05, l2: 0.01 } };
    hyper.dispatchEvent(new CustomEvent('sp-config-change', { detail: { config, live: true }, bubbles: true, composed: true }));
    await el.updateComplete;
    expect(location.hash).to.contain('lr=0.05').and.contain('l2=0.01');
    // The next epoch continues the same model: a rebuild would have started again from epoch 0.
    oneEpoch();
    await until(() => text(el, 'epoch') !== '1');
    expect(text(el, 'epoch'), 'a live change must not rebuild the session').to.equal('2');
    expect(status.info).to.equal(infoBefore);
  });

  it('without url-state it leaves the hash alone', async () => {
    const el = document.createElement('sp-playground');
    el.config = { ...DEFAULT_EXPERIMENT, epochs: 2 };
    document.body.append(el);
    await until(() => /WebGPU|CPU/.test(text(el, 'backend')));
    expect(location.hash).to.equal('');
  });
});
