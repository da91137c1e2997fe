import type { BatchSetup } from '../train/training-backend.ts';
import { createFastCpuBackend, type FastCpuBackend } from './fast-cpu-backend.ts';
import type { PoolOp } from './pool-worker.ts';

/**
 * The slice of a pooled batch that the calling thread (the engine worker) trains itself, with
 * PoolSlice's `call` surface: its own fast CPU backend over `models` (batch numbers in order; the
 * backend knows them as 0, 1, ...), on the thread's own copy of the data. While the pool workers
 * train the other slices this thread would otherwise only wait for them, so it takes a share of
 * the models. No log and no copies: it cannot die apart from the engine that holds it, and
 * operations run in call order on the backend's queue, as on a pool worker.
 */
export class LocalSlice {
  private backend: FastCpuBackend | null = null;
  private closed = false;
  /** Resolves once the slice's backend is built (rejects if it cannot be). */
  readonly ready: Promise<void>;

  constructor(
    setup: BatchSetup,
    readonly models: number[],
  ) {
    this.ready = createFastCpuBackend({ ...setup, models: models.map((z) => setup.models[z]!) }).then((b) => {
      this.backend = b;
      if (this.closed) b.dispose();
    });
  }

  /** Runs op on the slice's backend; `mutates` is PoolSlice's (nothing is logged here). */
  call<T>(op: PoolOp, args: unknown[], _mutates?: boolean): Promise<T> {
    if (this.closed) return Promise.reject(new Error('this CPU backend was disposed'));
    const run = (b: FastCpuBackend) => (b[op] as (...a: unknown[]) => unknown)(...args) as T | Promise<T>;
    try {
      // Built before the batch's backend is handed out, so calls reach the backend's queue in order.
      return Promise.resolve(this.backend ? run(this.backend) : this.ready.then(() => run(this.backend!)));
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  /** Frees the slice's backend; later calls reject. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.backend?.dispose();
  }
}
