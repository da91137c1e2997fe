import { expect } from '@esm-bundle/chai';
import '../../../components/playground/sp-model-io.ts';
import type { ExportDetail, LoadModelDetail, SpModelIo } from '../../../components/playground/sp-model-io.ts';
import { DEFAULT_EXPERIMENT } from '../../../src/config/experiment.ts';
import { modelToSafetensors } from '../../../src/io/model-file.ts';
import { decodeSafetensors, encodeSafetensors } from '../../../src/io/safetensors.ts';
import { initParams } from '../../../src/nn/init.ts';
import type { ModelSpec } from '../../../src/nn/spec.ts';
import { waitFor } from '../../helpers/async.ts';

const SPEC: ModelSpec = { inputSize: 4, hidden: [{ units: 6, activation: 'relu' }], outputSize: 3, loss: 'softmax_ce' };
const CONFIG = { ...DEFAULT_EXPERIMENT, hidden: SPEC.hidden };
const PARAMS = initParams(SPEC, 11);

async function element(props: Partial<SpModelIo> = {}): Promise<SpModelIo> {
  const el = document.createElement('sp-model-io');
  Object.assign(el, props);
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const part = <T extends Element>(el: SpModelIo, testid: string): T | null => el.shadowRoot!.querySelector<T>(`[data-testid="${testid}"]`);

function modelFile(bytes: Uint8Array, name = 'model.safetensors'): File {
  return new File([bytes.slice()], name, { type: 'application/octet-stream' });
}

const cleanups: (() => void)[] = [];

/** Collects events of the given names that reach the document (until the test ends). */
function record(...names: string[]): CustomEvent[] {
  const seen: CustomEvent[] = [];
  const listener = (e: Event) => seen.push(e as CustomEvent);
  for (const n of names) {
    document.addEventListener(n, listener);
    cleanups.push(() => document.removeEventListener(n, listener));
  }
  return seen;
}

function until(check: () => boolean): Promise<void> {
  return waitFor('the element to update', check);
}

describe('<sp-model-io>', () => {
  afterEach(() => {
    document.body.replaceChildren();
    cleanups.splice(0).forEach((undo) => undo());
  });

  it('save and export buttons emit their events out of the shadow root', async () => {
    const el = await element();
    const seen = record('sp-save-model', 'sp-export');
    part<HTMLButtonElement>(el, 'save-model')!.click();
    part<HTMLButtonElement>(el, 'export-pytorch')!.click();
    part<HTMLButtonElement>(el, 'export-keras')!.click();
    part<HTMLButtonElement>(el, 'export-init')!.click();
    expect(seen.map((e) => e.type)).to.deep.equal(['sp-save-model', 'sp-export', 'sp-export', 'sp-export']);
    expect(seen.slice(1).map((e) => (e.detail as ExportDetail).format)).to.deep.equal(['pytorch', 'keras', 'init']);
    expect(seen.every((e) => e.bubbles && e.composed)).to.equal(true);
  });

  it('disables saving and export while not ready, but still accepts files', async () => {
    const el = await element({ ready: false });
    expect(part<HTMLButtonElement>(el, 'save-model')!.disabled).to.equal(true);
    expect(part<HTMLButtonElement>(el, 'export-keras')!.disabled).to.equal(true);
    expect(part<HTMLButtonElement>(el, 'export-init')!.disabled).to.equal(true);
    expect(part<HTMLInputElement>(el, 'load-model')!.disabled).to.equal(false);
    expect(part<HTMLInputElement>(el, 'load-model')!.accept).to.equal('.safetensors');
  });

  it('a chosen file is checked and sent out as sp-load-model', async () => {
    const el = await element();
    const seen = record('sp-load-model');
    const input = part<HTMLInputElement>(el, 'load-model')!;
    const dt = new DataTransfer();
    dt.items.add(modelFile(modelToSafetensors(SPEC, PARAMS, CONFIG, { epochs: 3, steps: 12 })));
    input.files = dt.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await until(() => seen.length === 1);
    const detail = seen[0]!.detail as LoadModelDetail;
    expect(detail.spec).to.deep.equal(SPEC);
    expect([...detail.params]).to.deep.equal([...PARAMS]);
    expect(detail.config!.hidden).to.deep.equal(SPEC.hidden);
    expect(detail.name).to.equal('model.safetensors');
    await el.updateComplete;
    expect(part(el, 'model-io-status')!.textContent).to.contain('4 → 6 relu → 3');
    expect(part(el, 'model-io-error')).to.equal(null);
  });

  it('shows why a broken file was refused, in an alert, and emits nothing', async () => {
    const el = await element();
    const seen = record('sp-load-model');
    const bytes = modelToSafetensors(SPEC, PARAMS, CONFIG, null);
    await el.loadFile(modelFile(bytes.subarray(0, bytes.length - 4), 'cut.safetensors'));
    await el.updateComplete;
    const alert = part(el, 'model-io-error')!;
    expect(alert.getAttribute('role')).to.equal('alert');
    expect(alert.textContent).to.contain('cut.safetensors was not loaded').and.contain('cut short');
    expect(seen).to.deep.equal([]);
  });

  it('refuses a file over the size cap without reading it', async () => {
    const el = await element({ maxBytes: 100 });
    const file = modelFile(modelToSafetensors(SPEC, PARAMS, CONFIG, null), 'huge.safetensors');
    let read = false;
    file.arrayBuffer = () => {
      read = true;
      return Promise.reject(new Error('read'));
    };
    await el.loadFile(file);
    await el.updateComplete;
    expect(read).to.equal(false);
    expect(part(el, 'model-io-error')!.textContent).to.contain('at most 100');
  });

  it('loads a dropped file', async () => {
    const el = await element();
    const seen = record('sp-load-model');
    const dt = new DataTransfer();
    dt.items.add(modelFile(modelToSafetensors(SPEC, PARAMS, null, null), 'dropped.safetensors'));
    el.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, cancelable: true }));
    await el.updateComplete;
    expect(el.hasAttribute('dragging')).to.equal(true);
    el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, cancelable: true }));
    await until(() => seen.length === 1);
    expect((seen[0]!.detail as LoadModelDetail).name).to.equal('dropped.safetensors');
    expect((seen[0]!.detail as LoadModelDetail).config).to.equal(null);
    expect(el.hasAttribute('dragging')).to.equal(false);
  });

  it('fills the current network from a file without a network description when shapes match', async () => {
    const file = decodeSafetensors(modelToSafetensors(SPEC, PARAMS, null, null));
    const bare = encodeSafetensors(
      [...file.tensors].map(([name, t]) => ({ name, ...t })),
      {},
    );
    const seen = record('sp-load-model');
    const without = await element();
    await without.loadFile(modelFile(bare, 'torch.safetensors'));
    await without.updateComplete;
    expect(part(without, 'model-io-error')!.textContent).to.contain('does not describe its network');
    const el = await element({ currentSpec: SPEC });
    await el.loadFile(modelFile(bare, 'torch.safetensors'));
    expect(seen.length).to.equal(1);
    const detail = seen[0]!.detail as LoadModelDetail;
    expect(detail.spec).to.deep.equal(SPEC);
    expect([...detail.params]).to.deep.equal([...PARAMS]);
    expect(detail.messages.join(' ')).to.contain('loaded into the current one');
  });
});
