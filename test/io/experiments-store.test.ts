import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import { encodeHash } from '../../src/config/url.ts';
import { ExperimentStoreError, openExperimentStore, type ExperimentStore, type ExperimentStoreOptions } from '../../src/io/experiments-store.ts';
import { arenaLayout } from '../../src/nn/arena.ts';
import type { ModelSpec } from '../../src/nn/spec.ts';
import { waitFor } from '../helpers/async.ts';

const SPEC: ModelSpec = { inputSize: 4, hidden: DEFAULT_EXPERIMENT.hidden, outputSize: 3, loss: 'softmax_ce' };
const SPIRAL: ExperimentConfig = {
  ...DEFAULT_EXPERIMENT,
  dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'spiral', classes: 3 },
  hidden: [{ units: 8, activation: 'tanh' }],
  seed: 5,
};
const SPIRAL_SPEC: ModelSpec = { inputSize: 2, hidden: SPIRAL.hidden, outputSize: 3, loss: 'softmax_ce' };

let counter = 0;
const open: ExperimentStore[] = [];

/** A store on a database of its own, so tests never see each other's experiments. */
function freshStore(options: ExperimentStoreOptions = {}): ExperimentStore {
  const store = openExperimentStore({ dbName: `sp-test-${Date.now()}-${counter++}`, ...options });
  open.push(store);
  return store;
}

async function errorOf(p: Promise<unknown>): Promise<ExperimentStoreError> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(ExperimentStoreError);
    return e as ExperimentStoreError;
  }
  throw new Error('expected an ExperimentStoreError');
}

/** Wraps object stores so that writes fail as a full disk does. */
function fullDisk(store: IDBObjectStore): IDBObjectStore {
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'put' || prop === 'add') {
        return () => {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('experiments store (IndexedDB)', () => {
  afterEach(() => {
    open.splice(0).forEach((s) => s.close());
  });

  it('saves, lists newest first, loads and deletes', async () => {
    const store = freshStore();
    const params = new Float32Array(arenaLayout(SPEC).totalFloats).map((_, i) => i / 7);
    await store.save({
      name: '  iris baseline  ',
      config: DEFAULT_EXPERIMENT,
      spec: SPEC,
      params,
      history: { epochs: 200, trainLoss: 0.05, validationAccuracy: 0.96, testAccuracy: 0.93 },
    });
    // Listed newest first by save time: the second save must come at a later millisecond.
    const first = Date.now();
    await waitFor('the clock to move on', () => Date.now() > first, 5000, 1);
    await store.save({ name: 'spiral', config: SPIRAL, spec: SPIRAL_SPEC });
    const list = await store.list();
    expect(list.map((x) => x.name)).to.deep.equal(['spiral', 'iris baseline']);
    expect(list[1]).to.deep.include({ configHash: encodeHash(DEFAULT_EXPERIMENT), hasParams: true });
    expect(list[1]!.history).to.deep.equal({ epochs: 200, trainLoss: 0.05, validationAccuracy: 0.96, testAccuracy: 0.93 });
    expect(list[0]!.hasParams).to.equal(false);

    const iris = await store.load('iris baseline');
    expect(iris.spec).to.deep.equal(SPEC);
    expect(encodeHash(iris.config)).to.equal(encodeHash(DEFAULT_EXPERIMENT));
    expect([...iris.params!]).to.deep.equal([...params]);
    expect(iris.messages).to.deep.equal([]);
    const spiral = await store.load('spiral');
    expect(spiral.params).to.equal(null);
    expect(spiral.config.dataset.name).to.equal('spiral');

    await store.delete('iris baseline');
    expect((await store.list()).map((x) => x.name)).to.deep.equal(['spiral']);
    expect((await errorOf(store.load('iris baseline'))).reason).to.equal('not-found');
  });

  it('keeps a drawing: the saved config carries its points', async () => {
    const store = freshStore();
    const drawn = Array.from({ length: 40 }, (_, i) => ({ x1: (i * 5 - 100) / 100, x2: (((i * 3) % 21) * 5 - 50) / 100, y: i % 3 }));
    const config: ExperimentConfig = { ...SPIRAL, dataset: { ...SPIRAL.dataset, name: 'drawn', drawn } };
    await store.save({ name: 'my drawing', config, spec: SPIRAL_SPEC });
    const loaded = await store.load('my drawing');
    expect(loaded.messages).to.deep.equal([]);
    expect(loaded.config).to.deep.equal(config);
  });

  it('overwrites an experiment saved under the same name', async () => {
    const store = freshStore();
    await store.save({ name: 'run', config: DEFAULT_EXPERIMENT, spec: SPEC, params: new Float32Array(arenaLayout(SPEC).totalFloats) });
    await store.save({ name: 'run', config: SPIRAL, spec: SPIRAL_SPEC });
    const list = await store.list();
    expect(list.length).to.equal(1);
    const run = await store.load('run');
    expect(run.spec).to.deep.equal(SPIRAL_SPEC);
    expect(run.params, 'the old, larger parameters are gone').to.equal(null);
  });

  it('refuses empty and over-long names', async () => {
    const store = freshStore();
    for (const name of ['', '   ', 'x'.repeat(101)]) {
      expect((await errorOf(store.save({ name, config: DEFAULT_EXPERIMENT, spec: SPEC }))).reason).to.equal('name');
    }
    await store.save({ name: 'x'.repeat(100), config: DEFAULT_EXPERIMENT, spec: SPEC });
  });

  it('turns a full disk into a clear "not saved" message and keeps nothing half-written', async () => {
    const name = `sp-test-quota-${Date.now()}`;
    const full = openExperimentStore({ dbName: name, wrapStore: fullDisk });
    open.push(full);
    const err = await errorOf(full.save({ name: 'big', config: DEFAULT_EXPERIMENT, spec: SPEC, params: new Float32Array(arenaLayout(SPEC).totalFloats) }));
    expect(err.reason).to.equal('quota');
    expect(err.message).to.contain('not saved');
    full.close();
    const plain = freshStore({ dbName: name });
    expect(await plain.list()).to.deep.equal([]);
  });

  it('treats stored records as untrusted: bad hash fields fall back, wrong-size params are skipped', async () => {
    const name = `sp-test-raw-${Date.now()}`;
    const store = freshStore({ dbName: name });
    await store.save({ name: 'ok', config: DEFAULT_EXPERIMENT, spec: SPEC });
    // Tamper with the records directly, as another version of the page or a user could.
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(name, 1);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(['experiments', 'params'], 'readwrite');
      tx.objectStore('experiments').put({ name: 'ok', savedAt: 1, configHash: 'dataset=iris&lr=oops&__proto__=x', spec: SPEC, hasParams: true, history: null });
      tx.objectStore('params').put(new Float32Array(3), 'ok');
      tx.objectStore('experiments').put({
        name: 'bad',
        savedAt: 2,
        configHash: '',
        spec: { inputSize: -1, hidden: [], outputSize: 2, loss: 'softmax_ce' },
        hasParams: false,
        history: null,
      });
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
    const ok = await store.load('ok');
    expect(ok.config.optimizer.learningRate).to.equal(DEFAULT_EXPERIMENT.optimizer.learningRate);
    expect(ok.params).to.equal(null);
    expect(ok.messages.join(' ')).to.contain('lr=oops').and.contain('__proto__').and.contain('weights did not fit');
    expect((await errorOf(store.load('bad'))).reason).to.equal('invalid');
  });
});
