/** Longest stretch of synchronous float64 work between two yields to the event loop. */
export const SLICE_MS = 8;

/**
 * Lets the event loop run (a "pause" or a heartbeat reaching a worker that trains on the CPU)
 * once per SLICE_MS of work. A MessageChannel message, not setTimeout(0): browsers clamp nested
 * timers to 4 ms, which used to cost more than an Iris step's arithmetic on every step.
 */
export class TimeSlicer {
  private last = performance.now();

  /** Resolves at once inside a slice; after a new macrotask when the slice is used up. */
  async maybeYield(): Promise<void> {
    if (performance.now() - this.last < SLICE_MS) return;
    await macrotask();
    this.last = performance.now();
  }
}

/** A fresh macrotask, without the 4 ms clamp of nested timers. */
export function macrotask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
