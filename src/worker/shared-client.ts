import type { GpuMemoryReport } from './api.ts';
import { EngineClient } from './client.ts';

/**
 * The page's workers, kept on globalThis so that every copy of this module shares them: the
 * widgets bundle (shaderprop.js) and the engine API (api.js, or an author's bundle of it) are
 * separate bundles, and both must reach the same worker for the same worker URL.
 */
interface Registry {
  clients: Map<string, EngineClient>;
  started: number;
  lastJobId: number;
}

const REGISTRY_KEY = Symbol.for('shaderprop.clients');
const registry: Registry = ((globalThis as unknown as Record<symbol, Registry | undefined>)[REGISTRY_KEY] ??= { clients: new Map(), started: 0, lastJobId: 0 });
const clients = registry.clients;

/**
 * One worker per page and worker URL, shared by every widget on it (each keeps its own session).
 * A dead worker is replaced by exactly one new one on the next request.
 */
export function sharedClient(url: URL): EngineClient {
  const key = url.href;
  let client = clients.get(key);
  if (!client || client.dead) {
    client = EngineClient.start(url);
    clients.set(key, client);
    registry.started++;
  }
  installDebugHook();
  return client;
}

/** A job id (for cancelJob) unique on this page, whichever widget asks: the worker is shared. */
export function nextJobId(): number {
  return ++registry.lastJobId;
}

/** What `globalThis[Symbol.for('shaderprop.engine')]` offers tests and leak checks. */
export interface EngineDebugHook {
  /** Workers started on this page so far (a dead one replaced counts again). */
  workers(): number;
  /** Pings every live worker; resolves when all answered, rejects if one is hung or dead. */
  ping(): Promise<void>;
  /** GPU memory the live workers hold, summed. */
  gpuMemory(): Promise<GpuMemoryReport>;
}

/**
 * Installs the debug hook once, under a Symbol.for key so it cannot collide with a host page's
 * globals. It only reads: it starts no worker of its own.
 */
function installDebugHook(): void {
  const key = Symbol.for('shaderprop.engine');
  const g = globalThis as unknown as Record<symbol, EngineDebugHook | undefined>;
  if (g[key]) return;
  const live = () => [...clients.values()].filter((c) => !c.dead);
  g[key] = {
    workers: () => registry.started,
    ping: async () => {
      await Promise.all(live().map((c) => c.ping()));
    },
    gpuMemory: async () => {
      const reports = await Promise.all(live().map((c) => c.gpuMemory()));
      const zero: GpuMemoryReport = { bytes: 0, stagingBytes: 0, buffers: 0, sessions: 0, gans: 0, jobs: 0 };
      return reports.reduce(
        (a, r) =>
          Object.fromEntries(Object.keys(zero).map((k) => [k, a[k as keyof GpuMemoryReport] + r[k as keyof GpuMemoryReport]])) as unknown as GpuMemoryReport,
        zero,
      );
    },
  };
}
