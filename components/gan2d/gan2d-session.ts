// What the 2-D lab's two controllers share: one session in the engine worker (a GAN, or a compare
// set of them) built, replaced, played, paused and looked at through frames.
import type { ReactiveControllerHost } from 'lit';
import type { Gan2dEvent, Gan2dInfo } from '../../src/worker/api.ts';
import { messageOf, RunTracker, WorkerController, type ControllerState, type ControllerStatus } from '../shared/worker-controller.ts';

/** Iterations a press of Play asks for: in effect until paused. */
export const PLAY_ITERATIONS = 10_000_000;

/**
 * Least time between the starts of two frame fetches: at most 40 frames a second, a margin over
 * the 30 the lab promises. Each frame costs the worker several milliseconds of views away from
 * training, so more would buy smoothness with iterations.
 */
export const MIN_FRAME_MS = 25;

/**
 * A controller of one 2-D session of the engine worker. Building replaces the session (a build
 * that a newer one overtook frees what it made); a disconnect frees it and a reconnect builds it
 * again from the last request. Frames: one fetch in flight; while training, the next asked for
 * as soon as one arrives, at most one per MIN_FRAME_MS (on the next animation frame when the page
 * is hidden, so a background tab fetches none), so the page draws 30 frames a second or more
 * while the worker trains flat out.
 */
export abstract class Gan2dSession<S extends ControllerState & { info: Gan2dInfo | null }, R> extends WorkerController<S> {
  declare readonly status: ControllerStatus;
  /** The session's id in the worker, once built. */
  protected id: number | null = null;
  /** What the last build asked for: a reconnect builds it again. */
  protected request: R | null = null;
  protected readonly runs = new RunTracker();
  private generation = 0;
  private wantFrame = false;
  private fetching = false;
  private raf: number | null = null;
  private wait: ReturnType<typeof setTimeout> | null = null;
  private lastFetch = -Infinity;

  constructor(
    host: ReactiveControllerHost,
    workerUrl: URL | (() => URL),
    private readonly empty: S,
  ) {
    super(host, workerUrl, empty);
  }

  /** Builds `request` again (after a reconnect). */
  protected abstract rebuild(request: R): Promise<void>;

  /** Fetches the session's frame and shows it; only called with one fetch in flight. */
  protected abstract fetchFrame(id: number): Promise<void>;

  /** Frees the session in the worker without waiting; its later events and frames are ignored. */
  protected drop(): void {
    const id = this.id;
    this.id = null;
    this.generation++;
    this.runs.end();
    if (id !== null)
      this.liveClient()
        ?.disposeGan2d(id)
        .catch(() => undefined);
  }

  protected override async release(): Promise<void> {
    this.drop();
    this.patch(this.empty);
  }

  protected override async restore(): Promise<void> {
    if (this.request) await this.rebuild(this.request);
  }

  /** Frees the session, shows `building` over the empty state, and builds the new one with `create`. */
  protected async replace(request: R, building: Partial<S>, create: () => Promise<{ id: number; info: Gan2dInfo }>): Promise<void> {
    this.drop();
    this.request = request;
    const generation = this.generation;
    this.patch({ ...this.empty, ...building, status: 'building' });
    try {
      const { id, info } = await create();
      if (generation !== this.generation) {
        this.liveClient()
          ?.disposeGan2d(id)
          .catch(() => undefined);
        return;
      }
      this.id = id;
      this.patch({ info, status: 'ready' } as Partial<S>);
      this.requestFrame();
    } catch (e) {
      if (generation === this.generation) this.fail(e);
    }
  }

  /** Starts training until paused at about `perSecond` iterations a second (0: flat out); events go to `onEvent`. */
  protected async launch(perSecond: number, onEvent: (e: Gan2dEvent) => void): Promise<void> {
    const id = this.id;
    if (id === null || this.status !== 'ready') return;
    this.patch({ status: 'training' } as Partial<S>);
    await this.runs.launch<Gan2dEvent>(
      (events) => this.engine().startGan2d(id, PLAY_ITERATIONS, perSecond, events),
      onEvent,
      (e) => this.fail(e),
    );
  }

  /** Stops after the chunk in flight; resolves once the run's stop event is in. */
  async pause(): Promise<void> {
    const id = this.id;
    if (id === null || !this.runs.token() || this.status !== 'training') return;
    if (
      (await this.runs.stop(
        () => this.engine().pauseGan2d(id),
        5000,
        (e) => this.fail(e),
      )) === 'forced'
    )
      this.patch({ status: 'ready' } as Partial<S>);
  }

  /** Asks for a frame (several asks before it is fetched collapse into one fetch). */
  requestFrame(): void {
    this.wantFrame = true;
    if (document.visibilityState === 'visible') void this.tick();
    else if (this.raf === null)
      this.raf = requestAnimationFrame(() => {
        this.raf = null;
        void this.tick();
      });
  }

  private async tick(): Promise<void> {
    const id = this.id;
    if (!this.wantFrame || id === null) return;
    if (this.fetching) return; // the fetch in flight asks again when it ends
    const early = this.lastFetch + MIN_FRAME_MS - performance.now();
    if (early > 0) {
      this.wait ??= setTimeout(() => {
        this.wait = null;
        void this.tick();
      }, early);
      return;
    }
    this.wantFrame = false;
    this.fetching = true;
    this.lastFetch = performance.now();
    try {
      await this.fetchFrame(id);
    } catch (e) {
      // A frame that fails while a run is stopping or the session is being replaced says nothing new.
      if (id === this.id && this.status !== 'error') this.fail(`Drawing failed: ${messageOf(e)}`);
    } finally {
      this.fetching = false;
      // While training every frame is new: the next is asked for now (fetched MIN_FRAME_MS after
      // this one began), so its wait in the worker overlaps this one's display.
      if (this.status === 'training' || this.wantFrame) this.requestFrame();
    }
  }
}
