// Auto's backend trial remembered across visits. The worker keeps every trial for its lifetime in
// memory (backend-trial.ts); this keeps it in the browser's IndexedDB too, per adapter and model
// shape, so a second visit moves to the faster backend without timing both again.
import { clear, createStore, del, get, set, type UseStore } from 'idb-keyval';
import { version } from '../../package.json';
import type { BackendTrial, TrialKind } from './backend-trial.ts';

/** A trial as it is stored: what was measured and chosen, without the `cached` flag. */
export type StoredTrial = Omit<BackendTrial, 'cached'>;

/** What a lookup found: a trial, nothing, or an entry that cannot be used (and why, for the status line once). */
export type TrialLookup = { trial: StoredTrial } | { missing: true } | { problem: string };

/** Where trials are kept; `createTrialStore` gives the browser's, tests may pass their own database name. */
export interface TrialStore {
  load(adapter: string, shape: string): Promise<TrialLookup>;
  save(adapter: string, shape: string, trial: StoredTrial): Promise<void>;
  /** Forgets every stored trial. */
  clear(): Promise<void>;
}

/** The project's version: an entry saved by another one is ignored (and dropped), since kernels and backends change between them. */
export const TRIAL_STORE_VERSION = version;

interface Entry {
  version: string;
  savedAt: number;
  trial: StoredTrial;
}

const KINDS: readonly TrialKind[] = ['webgpu', 'cpu'];

/** The trial in `raw`, or why it is not one (a hand-edited or truncated entry). */
function parseEntry(raw: unknown): { entry: Entry } | { problem: string } {
  const e = raw as Partial<Entry> | null;
  if (typeof e !== 'object' || e === null || typeof e.version !== 'string') return { problem: 'the saved backend trial is unreadable' };
  if (e.version !== TRIAL_STORE_VERSION) return { problem: `the saved backend trial is from shaderprop ${e.version}, not ${TRIAL_STORE_VERSION}` };
  const t = e.trial as Partial<StoredTrial> | undefined;
  const ms = t?.ms as Record<string, unknown> | undefined;
  const valid =
    t &&
    KINDS.includes(t.choice as TrialKind) &&
    KINDS.includes(t.hint as TrialKind) &&
    typeof t.summary === 'string' &&
    ms &&
    KINDS.every((k) => typeof ms[k] === 'number' || ms[k] === null);
  if (!valid) return { problem: 'the saved backend trial is unreadable' };
  // IndexedDB keeps NaN, but a copy made through JSON (devtools, an export) turns it into null.
  const fixed = { ...t, ms: { webgpu: Number(ms.webgpu ?? NaN), cpu: Number(ms.cpu ?? NaN) } } as StoredTrial;
  return { entry: { version: e.version, savedAt: Number(e.savedAt), trial: fixed } };
}

/**
 * The browser's trial store: one IndexedDB database (`dbName`) keyed by adapter and shape. Where
 * IndexedDB is missing or refuses (private windows in some browsers), lookups find nothing and
 * saves are dropped: the trial then runs again on the next visit, which is all that is lost.
 */
export function createTrialStore(dbName = 'shaderprop-backend-trials'): TrialStore {
  let store: UseStore | null = null;
  const db = () => (store ??= createStore(dbName, 'trials'));
  const usable = () => typeof indexedDB !== 'undefined';
  const key = (adapter: string, shape: string) => `${adapter}\n${shape}`;
  return {
    async load(adapter, shape) {
      if (!usable()) return { missing: true };
      let raw: unknown;
      try {
        raw = await get(key(adapter, shape), db());
      } catch (e) {
        return { problem: `the saved backend trials could not be read (${e instanceof Error ? e.message : String(e)})` };
      }
      if (raw === undefined) return { missing: true };
      const parsed = parseEntry(raw);
      if ('problem' in parsed) {
        await del(key(adapter, shape), db()).catch(() => undefined);
        return parsed;
      }
      return { trial: parsed.entry.trial };
    },
    async save(adapter, shape, trial) {
      if (!usable()) return;
      const entry: Entry = { version: TRIAL_STORE_VERSION, savedAt: Date.now(), trial };
      await set(key(adapter, shape), entry, db()).catch(() => undefined);
    },
    async clear() {
      if (!usable()) return;
      await clear(db());
    },
  };
}
