/**
 * Runs a CPU backend's operations one after another in call order, like commands on a GPU queue:
 * a readParams called right after runSteps sees the parameters after those steps. An operation
 * starts once every earlier one has settled, resolved or rejected.
 */
export class OpQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private closed: string | null = null;

  /** Runs `op` after every operation run before it; rejects at once after `close`. */
  run<T>(op: () => Promise<T> | T): Promise<T> {
    if (this.closed !== null) return Promise.reject(new Error(this.closed));
    const result = this.tail.then(op);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Rejects every later `run` with `message` (a disposed backend's). */
  close(message: string): void {
    this.closed = message;
  }
}
