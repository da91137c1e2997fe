// The bookkeeping of a long job (a sweep, cross-validation, an ensemble, a race) that a widget
// runs on the page's shared engine worker: the job id cancelJob needs, the client it went to,
// and whether it is still the widget's current job when its progress or its result arrives.
import type { EngineClient } from './client.ts';
import { nextJobId } from './shared-client.ts';

/** A job started on an engine worker: the id cancelJob takes, and the client that runs it. */
export interface WorkerJob {
  readonly id: number;
  readonly client: EngineClient;
}

/**
 * The one job a widget has running on its worker at a time. A job stays current until it
 * finishes, another one starts, or it is abandoned; only the current job's progress and result
 * count, so a late answer from a job that was replaced or abandoned cannot overwrite newer state.
 */
export class WorkerJobSlot {
  private current: WorkerJob | null = null;

  /** Makes a new job on `client` the current one, with an id unique on the page (the worker is shared). */
  start(client: EngineClient): WorkerJob {
    const job = { id: nextJobId(), client };
    this.current = job;
    return job;
  }

  /** Whether `job` is still the current job. */
  isCurrent(job: WorkerJob): boolean {
    return this.current === job;
  }

  /** Ends `job`; false (and nothing changes) when it was no longer the current job. */
  finish(job: WorkerJob): boolean {
    if (this.current !== job) return false;
    this.current = null;
    return true;
  }

  /**
   * Asks the worker to stop the current job after the chunk in flight. The job stays current, so
   * what it resolves with (a cancelled result with what it trained) still counts. False when none runs.
   */
  cancel(): boolean {
    const job = this.current;
    // A dead worker has nothing left to stop, and a failed cancel only means the job already ended.
    if (job && !job.client.dead) job.client.cancelJob(job.id).catch(() => undefined);
    return job !== null;
  }

  /** Stops the current job like `cancel` and drops it at once: nothing it sends counts any more. False when none runs. */
  abandon(): boolean {
    const running = this.cancel();
    this.current = null;
    return running;
  }
}
