import { expect } from '@esm-bundle/chai';
import '../../../components/playground/sp-saved-experiments.ts';
import type { ExperimentOpenDetail, SpSavedExperiments } from '../../../components/playground/sp-saved-experiments.ts';
import { DEFAULT_EXPERIMENT } from '../../../src/config/experiment.ts';
import { encodeHash } from '../../../src/config/url.ts';
import { openExperimentStore, type ExperimentStore } from '../../../src/io/experiments-store.ts';
import { arenaLayout } from '../../../src/nn/arena.ts';
import type { ModelSpec } from '../../../src/nn/spec.ts';
import { waitFor } from '../../helpers/async.ts';

const SPEC: ModelSpec = { inputSize: 4, hidden: DEFAULT_EXPERIMENT.hidden, outputSize: 3, loss: 'softmax_ce' };
let counter = 0;
const stores: ExperimentStore[] = [];
const cleanups: (() => void)[] = [];

async function element(store: ExperimentStore): Promise<SpSavedExperiments> {
  const el = document.createElement('sp-saved-experiments');
  el.store = store;
  document.body.append(el);
  await el.refresh();
  await el.updateComplete;
  return el;
}

function freshStore(wrapStore?: (s: IDBObjectStore) => IDBObjectStore): ExperimentStore {
  const store = openExperimentStore({ dbName: `sp-el-test-${Date.now()}-${counter++}`, wrapStore });
  stores.push(store);
  return store;
}

function record(name: string): CustomEvent[] {
  const seen: CustomEvent[] = [];
  const listener = (e: Event) => seen.push(e as CustomEvent);
  document.addEventListener(name, listener);
  cleanups.push(() => document.removeEventListener(name, listener));
  return seen;
}

const all = (el: SpSavedExperiments, testid: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`)];
const one = <T extends HTMLElement>(el: SpSavedExperiments, testid: string) => el.shadowRoot!.querySelector<T>(`[data-testid="${testid}"]`);

function until(check: () => boolean): Promise<void> {
  return waitFor('the element to update', check);
}

describe('<sp-saved-experiments>', () => {
  afterEach(() => {
    document.body.replaceChildren();
    cleanups.splice(0).forEach((undo) => undo());
    stores.splice(0).forEach((s) => s.close());
  });

  it('asks the playground to save under the typed name, then lists what it saved', async () => {
    const el = await element(freshStore());
    const seen = record('sp-experiment-save');
    const input = one<HTMLInputElement>(el, 'experiment-name')!;
    input.value = '  my run ';
    input.dispatchEvent(new Event('input'));
    one<HTMLButtonElement>(el, 'experiment-save')!.click();
    expect(seen.map((e) => e.detail)).to.deep.equal([{ name: 'my run' }]);
    const params = new Float32Array(arenaLayout(SPEC).totalFloats).fill(0.5);
    expect(await el.saveExperiment({ name: 'my run', config: DEFAULT_EXPERIMENT, spec: SPEC, params })).to.equal(true);
    await el.updateComplete;
    expect(all(el, 'saved-experiment').map((li) => li.querySelector('.name')!.textContent)).to.deep.equal(['my run']);
  });

  it('opens a saved experiment as sp-experiment-open and deletes one', async () => {
    const store = freshStore();
    const params = new Float32Array(arenaLayout(SPEC).totalFloats).fill(0.25);
    await store.save({ name: 'a', config: DEFAULT_EXPERIMENT, spec: SPEC, params });
    await store.save({ name: 'b', config: DEFAULT_EXPERIMENT, spec: SPEC });
    const el = await element(store);
    const seen = record('sp-experiment-open');
    const rows = all(el, 'saved-experiment');
    const rowA = rows.find((li) => li.querySelector('.name')!.textContent === 'a')!;
    rowA.querySelector<HTMLButtonElement>('[data-testid="experiment-open"]')!.click();
    await until(() => seen.length === 1);
    const detail = seen[0]!.detail as ExperimentOpenDetail;
    expect(detail.configHash).to.equal(encodeHash(DEFAULT_EXPERIMENT));
    expect(detail.spec).to.deep.equal(SPEC);
    expect(detail.params!.length).to.equal(params.length);
    rowA.querySelector<HTMLButtonElement>('[data-testid="experiment-delete"]')!.click();
    await until(() => all(el, 'saved-experiment').length === 1);
    expect((await store.list()).map((x) => x.name)).to.deep.equal(['b']);
  });

  it('shows a full disk as an alert saying nothing was saved', async () => {
    const quota = (s: IDBObjectStore) =>
      new Proxy(s, {
        get(target, prop) {
          if (prop === 'put')
            return () => {
              throw new DOMException('full', 'QuotaExceededError');
            };
          const v = Reflect.get(target, prop, target) as unknown;
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
    const el = await element(freshStore(quota));
    expect(await el.saveExperiment({ name: 'x', config: DEFAULT_EXPERIMENT, spec: SPEC })).to.equal(false);
    await el.updateComplete;
    const alert = one(el, 'experiments-error')!;
    expect(alert.getAttribute('role')).to.equal('alert');
    expect(alert.textContent).to.contain('not saved');
  });

  it('asks for a name instead of emitting an empty one', async () => {
    const el = await element(freshStore());
    const seen = record('sp-experiment-save');
    one<HTMLButtonElement>(el, 'experiment-save')!.click();
    await el.updateComplete;
    expect(seen).to.deep.equal([]);
    expect(one(el, 'experiments-error')!.textContent).to.contain('name');
  });
});
