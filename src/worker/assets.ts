import type { MnistSource } from '../data/load.ts';
import { loadMnist, type Mnist, type MnistProgress } from '../data/mnist.ts';

/**
 * MNIST for a worker: loaded once from `base` (the build's data/ folder, on the page's own
 * origin) and shared by every session; a failed load is not cached, so a retry fetches again.
 * Progress goes to every listener registered while the load runs.
 */
export class MnistAssets {
  private loading: Promise<Mnist> | null = null;
  private readonly listeners = new Set<MnistProgress>();

  constructor(private readonly base: URL) {}

  /** The source sessions call. */
  readonly source: MnistSource = () => {
    if (!this.loading) {
      const load = loadMnist(this.base, (loaded, total, stage) => this.listeners.forEach((l) => l(loaded, total, stage)));
      this.loading = load;
      load.catch(() => {
        if (this.loading === load) this.loading = null;
      });
    }
    return this.loading;
  };

  /** Reports load progress to `listener` until it is removed. */
  listen(listener: MnistProgress): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
