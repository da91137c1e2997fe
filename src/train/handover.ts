import type { BatchBackend } from './training-backend.ts';

interface Offer {
  next: BatchBackend;
  wanted: () => boolean;
  settle: (left: BatchBackend | null) => void;
  fail: (e: unknown) => void;
}

/**
 * A backend waiting to take over a batch's training, and the moment it does: between two submits
 * while training (the loop calls take() when `offered`), or at once when idle. Moving copies every
 * model's whole state (ModelState) from the backend training now to the new one before the swap,
 * then waits for everything already asked of the old one (a boundary or an evaluation that raced
 * the move) so the caller can free it.
 */
export class Handover {
  private pending: Offer | null = null;
  private busy = false;
  private moving: Promise<void> = Promise.resolve();

  constructor(
    private readonly current: () => BatchBackend,
    private readonly swap: (next: BatchBackend) => Promise<void>,
  ) {}

  /** True while an offer waits for a boundary. */
  get offered(): boolean {
    return this.pending !== null;
  }

  /**
   * Offers `next`; resolves with the backend it replaced once it trains, or null if an offer made
   * later replaced this one or `wanted()` no longer held at the boundary. Rejects, leaving the
   * old backend in place, when the state could not be moved (a device lost on the way).
   */
  offer(next: BatchBackend, wanted: () => boolean): Promise<BatchBackend | null> {
    return new Promise((settle, fail) => {
      this.pending?.settle(null);
      this.pending = { next, wanted, settle, fail };
      if (!this.busy) void this.take();
    });
  }

  /**
   * Marks the batch busy (training or stepping) until the returned release is called; waits for
   * a move already under way first. An offer that comes while busy waits for take() or release.
   */
  async hold(): Promise<() => void> {
    await this.moving;
    this.busy = true;
    return () => {
      this.busy = false;
      if (this.pending) void this.take();
    };
  }

  /** Moves to the pending offer now (the caller is at a submit boundary, or idle). Never rejects. */
  take(): Promise<void> {
    const offer = this.pending;
    if (!offer) return this.moving;
    this.pending = null;
    this.moving = this.moving.then(() => this.move(offer));
    return this.moving;
  }

  private async move(offer: Offer): Promise<void> {
    if (!offer.wanted()) return offer.settle(null);
    const from = this.current();
    try {
      if (offer.next.models !== from.models) throw new Error(`a backend of ${offer.next.models} models cannot take over a batch of ${from.models}`);
      for (let z = 0; z < from.models; z++) await offer.next.writeState(z, await from.readState(z));
      await this.swap(offer.next);
    } catch (e) {
      return offer.fail(e);
    }
    await from.readParams(0).catch(() => undefined);
    offer.settle(from);
  }
}
