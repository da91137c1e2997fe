// Named experiments kept in the browser with raw IndexedDB. Metadata and parameters live in two
// object stores so listing never reads megabytes of weights; both are written in one transaction.
import { decodeHash, encodeHash } from '../config/url.ts';
import type { ExperimentConfig } from '../config/experiment.ts';
import { arenaLayout } from '../nn/arena.ts';
import { validateModelSpec, type ModelSpec } from '../nn/spec.ts';

/** What a saved experiment remembers of its training run. */
export interface HistorySummary {
  epochs: number;
  trainLoss: number | null;
  validationAccuracy: number | null;
  testAccuracy: number | null;
}

/** One saved experiment as listed: everything but the parameters. */
export interface ExperimentListing {
  name: string;
  /** Milliseconds since the epoch. */
  savedAt: number;
  /** The experiment as a URL hash (encodeHash). */
  configHash: string;
  spec: ModelSpec;
  hasParams: boolean;
  history: HistorySummary | null;
}

/** A saved experiment read back and validated. */
export interface LoadedExperiment extends ExperimentListing {
  config: ExperimentConfig;
  /** The arena for `spec`, or null when none was saved or it did not fit the network. */
  params: Float32Array | null;
  /** Settings that fell back to defaults, or parts that were skipped. */
  messages: string[];
}

/** What `save` takes: the config itself (encoded here) and optionally the trained parameters. */
export interface ExperimentToSave {
  name: string;
  config: ExperimentConfig;
  spec: ModelSpec;
  params?: Float32Array | null;
  history?: HistorySummary | null;
}

/** Why a store operation failed. */
export type ExperimentStoreReason = 'name' | 'quota' | 'not-found' | 'unavailable' | 'invalid';

/** A store failure with a message meant for people. */
export class ExperimentStoreError extends Error {
  constructor(
    readonly reason: ExperimentStoreReason,
    message: string,
  ) {
    super(message);
    this.name = 'ExperimentStoreError';
  }
}

/** Save, list, load and delete named experiments. */
export interface ExperimentStore {
  save(experiment: ExperimentToSave): Promise<void>;
  /** Newest first, without parameters. */
  list(): Promise<ExperimentListing[]>;
  load(name: string): Promise<LoadedExperiment>;
  delete(name: string): Promise<void>;
  close(): void;
}

/** Options, mainly for tests: a separate database, and a hook around each object store. */
export interface ExperimentStoreOptions {
  dbName?: string;
  factory?: IDBFactory;
  /** Wraps every object store handle before use (tests inject faults such as a full disk). */
  wrapStore?: (store: IDBObjectStore) => IDBObjectStore;
}

/** Longest experiment name, in UTF-16 code units after trimming. */
export const MAX_EXPERIMENT_NAME = 100;
const META = 'experiments';
const PARAMS = 'params';

/** Trims a name and checks its length; throws ExperimentStoreError('name'). */
export function normalizeExperimentName(name: string): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed.length < 1 || trimmed.length > MAX_EXPERIMENT_NAME) {
    throw new ExperimentStoreError('name', `A name needs 1 to ${MAX_EXPERIMENT_NAME} characters.`);
  }
  return trimmed;
}

function storeError(e: unknown, doing: string): ExperimentStoreError {
  if (e instanceof ExperimentStoreError) return e;
  const name = e instanceof DOMException || e instanceof Error ? e.name : '';
  if (name === 'QuotaExceededError') {
    return new ExperimentStoreError(
      'quota',
      `The browser's storage for this site is full, so the experiment was not saved. Delete saved experiments (or free space) and try again.`,
    );
  }
  return new ExperimentStoreError('unavailable', `Could not ${doing}: ${e instanceof Error ? e.message : String(e)}`);
}

function requestDone<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function openDb(factory: IDBFactory, dbName: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = factory.open(dbName, 1);
    req.onupgradeneeded = () => {
      req.result.createObjectStore(META, { keyPath: 'name' });
      req.result.createObjectStore(PARAMS);
    };
    req.onsuccess = () => {
      const db = req.result;
      db.onversionchange = () => db.close();
      resolve(db);
    };
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error('another tab holds an older version of the database open'));
  });
}

function finite(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** Rebuilds a listing from a stored record, picking known fields only. */
function listingOf(raw: unknown): ExperimentListing {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const s = (typeof r.spec === 'object' && r.spec !== null ? r.spec : {}) as Record<string, unknown>;
  const hidden = Array.isArray(s.hidden)
    ? s.hidden.map((l: { units?: unknown; activation?: unknown }) => ({ units: l?.units, activation: l?.activation }))
    : s.hidden;
  const h = (typeof r.history === 'object' && r.history !== null ? r.history : null) as Record<string, unknown> | null;
  return {
    name: String(r.name),
    savedAt: finite(r.savedAt) ?? 0,
    configHash: typeof r.configHash === 'string' ? r.configHash : '',
    spec: { inputSize: s.inputSize, hidden, outputSize: s.outputSize, loss: s.loss } as ModelSpec,
    hasParams: r.hasParams === true,
    history: h && {
      epochs: finite(h.epochs) ?? 0,
      trainLoss: finite(h.trainLoss),
      validationAccuracy: finite(h.validationAccuracy),
      testAccuracy: finite(h.testAccuracy),
    },
  };
}

/** Checks a stored experiment as untrusted input: the hash field by field, the spec, the params length. */
function validateLoaded(listing: ExperimentListing, params: unknown): LoadedExperiment {
  try {
    validateModelSpec(listing.spec);
  } catch (e) {
    throw new ExperimentStoreError(
      'invalid',
      `The saved experiment "${listing.name}" describes an invalid network (${e instanceof Error ? e.message : String(e)}).`,
    );
  }
  const { config, messages } = decodeHash(listing.configHash);
  let kept: Float32Array | null = null;
  if (params !== undefined && params !== null) {
    const want = arenaLayout(listing.spec).totalFloats;
    if (params instanceof Float32Array && params.length === want) kept = params;
    else messages.push(`The saved weights did not fit this network (${want} values expected) and were skipped.`);
  }
  return { ...listing, config: { ...config, hidden: listing.spec.hidden.map((l) => ({ ...l })) }, params: kept, messages };
}

/** The IndexedDB implementation; one lazily opened connection per store. */
class IdbExperimentStore implements ExperimentStore {
  private db: Promise<IDBDatabase> | null = null;

  constructor(private readonly options: ExperimentStoreOptions) {}

  private database(): Promise<IDBDatabase> {
    const factory = this.options.factory ?? (typeof indexedDB === 'undefined' ? undefined : indexedDB);
    if (!factory)
      return Promise.reject(
        new ExperimentStoreError('unavailable', 'This browser offers no IndexedDB storage (private mode?), so experiments cannot be saved.'),
      );
    this.db ??= openDb(factory, this.options.dbName ?? 'shaderprop-experiments').catch((e) => {
      this.db = null;
      throw e;
    });
    return this.db;
  }

  /** Runs `body` in one transaction over both stores; resolves once the transaction committed. */
  private async transact<T>(mode: IDBTransactionMode, doing: string, body: (meta: IDBObjectStore, params: IDBObjectStore) => Promise<T> | T): Promise<T> {
    const wrap = this.options.wrapStore ?? ((s: IDBObjectStore) => s);
    try {
      const tx = (await this.database()).transaction([META, PARAMS], mode);
      const done = new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error ?? new Error('the transaction was aborted'));
      });
      done.catch(() => undefined); // observed below, or superseded by body's own error
      try {
        const result = await body(wrap(tx.objectStore(META)), wrap(tx.objectStore(PARAMS)));
        await done;
        return result;
      } catch (e) {
        abortQuietly(tx);
        throw e;
      }
    } catch (e) {
      throw storeError(e, doing);
    }
  }

  async save(x: ExperimentToSave): Promise<void> {
    const name = normalizeExperimentName(x.name);
    try {
      validateModelSpec(x.spec);
    } catch (e) {
      throw new ExperimentStoreError('invalid', `The experiment was not saved: ${e instanceof Error ? e.message : String(e)}`);
    }
    const params = x.params ?? null;
    const record = {
      name,
      savedAt: Date.now(),
      configHash: encodeHash(x.config),
      spec: listingOf({ spec: x.spec }).spec,
      hasParams: params !== null,
      history: x.history ?? null,
    };
    await this.transact('readwrite', 'save the experiment', (meta, store) => {
      meta.put(record);
      if (params) store.put(params.slice(), name);
      else store.delete(name);
    });
  }

  async list(): Promise<ExperimentListing[]> {
    const rows = await this.transact('readonly', 'list saved experiments', (meta) => requestDone(meta.getAll()));
    return rows.map(listingOf).sort((a, b) => b.savedAt - a.savedAt);
  }

  async load(rawName: string): Promise<LoadedExperiment> {
    const name = normalizeExperimentName(rawName);
    const [raw, params] = await this.transact('readonly', 'open the experiment', (meta, store) =>
      Promise.all([requestDone(meta.get(name)), requestDone(store.get(name))]),
    );
    if (raw === undefined) throw new ExperimentStoreError('not-found', `There is no saved experiment named "${name}".`);
    return validateLoaded(listingOf(raw), params);
  }

  async delete(rawName: string): Promise<void> {
    const name = normalizeExperimentName(rawName);
    await this.transact('readwrite', 'delete the experiment', (meta, store) => {
      meta.delete(name);
      store.delete(name);
    });
  }

  close(): void {
    void this.db?.then((d) => d.close()).catch(() => undefined);
    this.db = null;
  }
}

function abortQuietly(tx: IDBTransaction): void {
  try {
    tx.abort();
  } catch {
    // Already finished or aborted: the original error is the one to report.
  }
}

/**
 * Opens the store (the database itself lazily, on first use). Every failure is an
 * ExperimentStoreError; a full disk ('quota') says plainly that the experiment was not saved.
 */
export function openExperimentStore(options: ExperimentStoreOptions = {}): ExperimentStore {
  return new IdbExperimentStore(options);
}
