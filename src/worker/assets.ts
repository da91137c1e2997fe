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
      this.preview = null;
      const load = loadMnist(this.base, (loaded, total, stage, preview) => {
        if (preview) this.preview = preview;
        this.listeners.forEach((l) => l(loaded, total, stage, preview));
      });
      this.loading = load;
      load.catch(() => {
        if (this.loading === load) this.loading = null;
      });
    }
    return this.loading;
  };

  /** The load's preview digits once they came (see MnistProgress). */
  private preview: Uint8Array | null = null;

  /** Reports load progress to `listener` until it is removed; a preview that already came is passed on its first report. */
  listen(listener: MnistProgress): () => void {
    let replay = this.preview;
    const wrapped: MnistProgress = (loaded, total, stage, preview) => {
      listener(loaded, total, stage, preview ?? replay ?? undefined);
      replay = null;
    };
    this.listeners.add(wrapped);
    return () => this.listeners.delete(wrapped);
  }
}
