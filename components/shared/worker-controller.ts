import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { EngineClient, WorkerError } from '../../src/worker/client.ts';
import { sharedClient } from '../../src/worker/shared-client.ts';

/** Where a widget's engine-side object stands; one status type for every controller. */
export type ControllerStatus = 'idle' | 'building' | 'ready' | 'training' | 'error';

/** What every controller's state has. */
export interface ControllerState {
  status: ControllerStatus;
  /** What went wrong, for the error panel; null unless status is 'error'. */
  error: string | null;
}

/** The message of anything thrown. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** True if `p` settles within `ms`; never rejects, so a wait on a stuck promise ends. */
export async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const settled = p.then(
    () => true,
    () => true,
  );
  const result = await Promise.race([settled, late]);
  clearTimeout(timer);
  return result;
}

/**
 * The background run of a controller (training, a GAN run). Its progress events travel on a
 * channel of their own, so a run's last events can arrive after the reply that ended it, or
 * after the next run started: only events of the current run may change state.
 */
export class RunTracker {
  private current: { token: object; ended: Promise<void>; end: () => void } | null = null;

  /** Starts a new run (the previous one becomes stale) and returns its token. */
  start(): object {
    this.end();
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    const token = {};
    this.current = { token, ended, end };
    return token;
  }

  /** The current run's token, or null when none runs. */
  token(): object | null {
    return this.current?.token ?? null;
  }

  /** True while `token`'s run is the current one. */
  isCurrent(token: object): boolean {
    return this.current?.token === token;
  }

  /** Ends the current run; its later events are ignored. */
  end(): void {
    this.current?.end();
    this.current = null;
  }

  /**
   * Starts a run: `start` gets the event callback, which passes on only this run's events to
   * `onEvent`. If `start` throws while the run is still current, the run ends and `onError` has
   * the error.
   */
  async launch<E>(start: (onEvent: (e: E) => void) => Promise<void>, onEvent: (e: E) => void, onError: (e: unknown) => void): Promise<void> {
    const run = this.start();
    try {
      await start((e) => {
        if (this.isCurrent(run)) onEvent(e);
      });
    } catch (e) {
      if (!this.isCurrent(run)) return;
      this.end();
      onError(e);
    }
  }

  /**
   * Asks the current run to stop (`ask`), then waits up to `ms` for its stop event (see
   * awaitEnd). Resolves 'ended' once it ended through its event (or none was going), 'forced'
   * when it was ended here, 'failed' when `ask` threw (`onError` has the error while the run is
   * still current).
   */
  async stop(ask: () => Promise<void>, ms: number, onError: (e: unknown) => void): Promise<'ended' | 'forced' | 'failed'> {
    const run = this.token();
    if (!run) return 'ended';
    try {
      await ask();
    } catch (e) {
      if (this.isCurrent(run)) onError(e);
      return 'failed';
    }
    return (await this.awaitEnd(run, ms)) ? 'ended' : 'forced';
  }

  /**
   * Waits up to `ms` for `token`'s run to end through its own stop event, and ends it here if
   * the event did not come. Resolves false if it had to.
   */
  async awaitEnd(token: object, ms: number): Promise<boolean> {
    const run = this.current;
    if (!run || run.token !== token) return true;
    if (await settlesWithin(run.ended, ms)) return true;
    if (this.current === run) this.end();
    return false;
  }
}

/** Shortest time between two redraws of state changed through `patchSoon`. */
const REDRAW_INTERVAL_MS = 100;

/**
 * The base of the controllers that hold something outside the element (a session in the engine
 * worker, a GPU device of its own) for a Lit element.
 *
 * State: subclasses declare their state fields `declare readonly` (the host reads them, nobody
 * writes them) and change them only through `patch`, which TypeScript checks against the state
 * type and which redraws the host.
 *
 * Lifecycle, symmetric: a disconnect releases what the element holds and the next connect
 * restores it. A move (disconnect and connect in one task, as frameworks and editors do)
 * releases nothing and keeps working; a removal releases once the task is over, and a re-added
 * element builds again what it had.
 */
export abstract class HostController<S extends ControllerState> implements ReactiveController {
  private releaseTimer: ReturnType<typeof setTimeout> | null = null;
  private released = false;
  private redrawTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    protected readonly host: ReactiveControllerHost,
    initial: S,
  ) {
    Object.assign(this, initial);
    host.addController(this);
  }

  /** Changes state (type-checked against S) and asks the host to redraw. */
  protected patch(p: Partial<S>): void {
    Object.assign(this, p);
    this.host.requestUpdate();
  }

  /**
   * Changes state like `patch` but redraws in a task of its own, at most every 100 ms: for
   * progress that arrives dozens of times a second, and so that drawing never runs inside the
   * message that brought the data.
   */
  protected patchSoon(p: Partial<S>): void {
    Object.assign(this, p);
    if (this.redrawTimer !== null) return;
    this.redrawTimer = setTimeout(() => {
      this.redrawTimer = null;
      this.host.requestUpdate();
    }, REDRAW_INTERVAL_MS);
  }

  /** Shows an error; `extra` changes more state in the same update. */
  protected fail(error: unknown, extra: Partial<S> = {}): void {
    this.patch({ ...extra, status: 'error', error: messageOf(error) });
  }

  hostConnected(): void {
    if (this.releaseTimer !== null) {
      clearTimeout(this.releaseTimer);
      this.releaseTimer = null;
    }
    if (this.released) {
      this.released = false;
      void this.restore();
    }
  }

  hostDisconnected(): void {
    if (this.releaseTimer !== null) return;
    this.releaseTimer = setTimeout(() => {
      this.releaseTimer = null;
      this.released = true;
      void this.release();
    }, 0);
  }

  /** Frees everything the element holds outside itself; state goes back to 'idle'. */
  protected abstract release(): Promise<void>;

  /** Builds again what `release` freed. */
  protected abstract restore(): Promise<void>;
}

/** A HostController whose element works through the page's shared engine worker. */
export abstract class WorkerController<S extends ControllerState> extends HostController<S> {
  private client: EngineClient | null = null;

  constructor(
    host: ReactiveControllerHost,
    /** The worker script, or a function giving it when the worker starts (an element's `assets` attribute). */
    private readonly workerUrl: URL | (() => URL),
    initial: S,
  ) {
    super(host, initial);
  }

  /** The page's shared worker client; a dead one is replaced by exactly one new worker. */
  protected engine(): EngineClient {
    if (!this.client || this.client.dead) {
      const client = sharedClient(typeof this.workerUrl === 'function' ? this.workerUrl() : this.workerUrl);
      this.client = client;
      client.onDeath((e) => {
        if (this.client === client) this.workerDied(e);
      });
    }
    return this.client;
  }

  /** The worker client in use, if any, while it is alive (for releasing without starting one). */
  protected liveClient(): EngineClient | null {
    return this.client && !this.client.dead ? this.client : null;
  }

  /** The worker died under this element. */
  protected workerDied(e: WorkerError): void {
    this.fail(e);
  }
}
