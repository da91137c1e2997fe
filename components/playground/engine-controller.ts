import type { TrainEvent } from '../../src/worker/api.ts';
import { EngineSession } from './engine-session.ts';
import { nextResume } from './resume-policy.ts';

export type { EngineState, EngineStatus, RecoveryAction } from './engine-state.ts';

/** How long a paused run's own stop event may take to arrive after the worker confirmed the pause. */
const STOP_EVENT_MS = 5000;

/**
 * Connects a Lit element to the engine worker: builds its session from a config, runs and
 * pauses training, and keeps the latest records for rendering. Every reply and event is checked
 * against the session and run it belongs to, so nothing from a replaced experiment lands in the
 * current one. Removed from the page it frees its session; re-added, it builds it again.
 * Building and reading back are EngineSession's; this class trains.
 */
export class EngineController extends EngineSession {
  private targetEpochs = 0;
  private losses: number[] = [];
  /** One step or epoch at a time, and training starts only after it. */
  private stepQueue: Promise<void> = Promise.resolve();
  private runStart = { time: 0, step: 0 };

  /** After a lost device: continue from the last checkpoint on a fresh device, towards the same epoch count. */
  async resume(): Promise<void> {
    const id = this.sessionId;
    if (id === null) return;
    try {
      const step = await this.engine().recover(id);
      if (id !== this.sessionId) return;
      this.patch({
        status: 'ready',
        error: null,
        action: null,
        notice: `Resumed on a fresh GPU device from the checkpoint at step ${step}.`,
        history: this.history.filter((r) => r.step <= step),
      });
      await this.play(this.targetEpochs);
    } catch (e) {
      if (id === this.sessionId) this.fail(e, { action: 'resume' });
    }
  }

  /** Lost devices resume by themselves after 1, 2 and 4 s; more losses in a minute need a click. */
  private onDeviceLost(message: string): void {
    const { losses, delayMs } = nextResume(this.losses, performance.now());
    this.losses = losses;
    if (delayMs === null) {
      this.fail(`${message} It was lost ${losses.length} times in a minute: press Resume to try again.`, { action: 'resume' });
      return;
    }
    this.fail(`${message} Resuming from the last checkpoint in ${delayMs / 1000} s…`, { action: null });
    const id = this.sessionId;
    setTimeout(() => {
      if (id === this.sessionId) void this.resume();
    }, delayMs);
  }

  /** Trains until `epochs` total epochs or a pause. */
  async play(epochs: number): Promise<void> {
    // Asked for the model shown now: a rebuild while a step finishes must not start the new one.
    const generation = this.generation;
    await this.stepQueue;
    const id = this.sessionId;
    if (id === null || generation !== this.generation || this.status !== 'ready' || epochs - this.history.length <= 0) return;
    this.targetEpochs = epochs;
    const run = this.runs.start();
    this.runStart = { time: performance.now(), step: this.steps };
    this.patch({ status: 'training', notice: null });
    const onEvent = (e: TrainEvent) => {
      if (this.runs.isCurrent(run)) this.onEvent(e);
    };
    try {
      await this.engine().startTraining(id, epochs - this.history.length, onEvent);
    } catch (e) {
      if (!this.runs.isCurrent(run)) return;
      this.runs.end();
      this.fail(e);
    }
  }

  private onEvent(e: TrainEvent): void {
    if (e.type === 'epoch') {
      const seconds = (performance.now() - this.runStart.time) / 1000;
      const speed = seconds > 0 ? { stepsPerSecond: (e.record.step - this.runStart.step) / seconds } : {};
      // Epochs of a small network arrive dozens of times a second: drawn at most every 100 ms.
      this.patchSoon({ history: [...this.history, e.record], steps: e.record.step, ...speed });
      void this.refresh(false);
      return;
    }
    this.runs.end();
    this.patchSoon({ pausing: false });
    if (e.type === 'stopped') {
      const early = e.reason === 'early-stopped' ? { stoppedEpoch: e.stoppedEpoch, bestEpoch: e.bestEpoch } : null;
      const notice = early
        ? `Early stopping ended training after epoch ${early.stoppedEpoch} and restored the weights of epoch ${early.bestEpoch}, the best.`
        : this.notice;
      // Drawn in a task of its own, not inside the message that brought the event.
      this.patchSoon({ status: 'ready', ...(early ? { earlyStop: early, notice } : {}) });
      void this.refresh();
    } else if (e.kind === 'divergence') {
      // Already rolled back in the worker: drop the epochs after the checkpoint and pause.
      const restored = e.restoredStep ?? 0;
      this.patch({ status: 'ready', notice: e.message, history: this.history.filter((r) => r.step <= restored), steps: restored });
      void this.refresh();
    } else if (e.kind === 'device-lost') {
      this.onDeviceLost(e.message);
    } else {
      this.fail(e.message);
    }
  }

  /**
   * Stops a running training after its current chunk. Resolves once the run's stop event is in;
   * should it never come (it travels on its own channel), the run is ended here.
   */
  async pause(): Promise<void> {
    const run = this.runs.token();
    if (!run || this.status !== 'training' || this.pausing) return;
    // Shown at once: the chunks in flight may take seconds to read back on a busy GPU.
    this.patch({ pausing: true });
    try {
      await this.onSession((id) => this.engine().pause(id));
    } catch (e) {
      if (!this.runs.isCurrent(run)) return;
      this.runs.end();
      this.fail(e, { pausing: false });
      return;
    }
    if (!(await this.runs.awaitEnd(run, STOP_EVENT_MS))) this.patch({ status: 'ready', pausing: false });
  }

  /** One training step. */
  step(): Promise<void> {
    return this.exclusive(async () => {
      const r = await this.onSession((id) => this.engine().step(id));
      if (r) this.patch({ steps: this.steps + 1 });
    });
  }

  /** The rest of the current epoch. */
  epoch(): Promise<void> {
    return this.exclusive(async () => {
      const r = await this.onSession((id) => this.engine().epoch(id));
      if (r) this.patch({ history: [...this.history, r.value], steps: r.value.step });
    });
  }

  /** Runs a step or an epoch while the model is ready and no other one runs, then redraws. */
  private exclusive(work: () => Promise<void>): Promise<void> {
    const generation = this.generation;
    const next = this.stepQueue.then(async () => {
      if (this.sessionId === null || generation !== this.generation || this.status !== 'ready') return;
      // Shown at once: behind another widget's pipeline compiles a step can take seconds.
      this.patch({ stepping: true });
      try {
        await work();
        this.patch({ stepping: false });
        await this.refresh();
      } catch (e) {
        this.fail(e, { stepping: false });
      }
    });
    this.stepQueue = next;
    return next;
  }
}
