import type { GpuMemoryReport } from '../src/worker/api.ts';
import { EngineClient } from '../src/worker/client.ts';

const clients = new Map<string, EngineClient>();

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
    started++;
  }
  installDebugHook();
  return client;
}

let lastJobId = 0;

/** A job id (for cancelJob) unique on this page, whichever widget asks: the worker is shared. */
export function nextJobId(): number {
  return ++lastJobId;
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

let started = 0;

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
    workers: () => started,
    ping: async () => {
      await Promise.all(live().map((c) => c.ping()));
    },
    gpuMemory: async () => {
      const reports = await Promise.all(live().map((c) => c.gpuMemory()));
      const zero: GpuMemoryReport = { bytes: 0, stagingBytes: 0, buffers: 0, sessions: 0, gans: 0, jobs: 0 };
      return reports.reduce((a, r) => Object.fromEntries(Object.keys(zero).map((k) => [k, a[k as keyof GpuMemoryReport] + r[k as keyof GpuMemoryReport]])) as unknown as GpuMemoryReport, zero);
    },
  };
}
