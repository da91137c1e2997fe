// Worker entry: exposes the engine over Comlink. Everything heavy (data, GPU, training) lives
// here so the page never freezes. Started under the CPU pool's name (by the engine itself, see
// src/cpu/cpu-pool.ts), the same script serves as a pool worker instead.
import * as Comlink from 'comlink';
import { Engine } from './engine.ts';
import { assetBaseOf } from './asset-base.ts';
import { setCpuPoolScript } from '../cpu/cpu-pool.ts';
import { CPU_POOL_WORKER_NAME, servePool } from '../cpu/pool-worker.ts';

if ((globalThis as { name?: string }).name === CPU_POOL_WORKER_NAME) {
  servePool(globalThis as unknown as Parameters<typeof servePool>[0]);
} else {
  // Pool workers start from this very script (import.meta.url is the script, not a blob: starter).
  setCpuPoolScript(new URL(import.meta.url));
  // The page may name where MNIST lives with ?assets= on this script's URL (an author's `assets`
  // attribute); by default data/ sits beside this script, wherever it came from.
  Comlink.expose(new Engine(undefined, assetBaseOf(import.meta.url)));
}
