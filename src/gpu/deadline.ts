import type { GpuContext } from './device.ts';
import { GpuFailureError } from './errors.ts';

/**
 * How long awaited GPU work may take before it counts as lost. A readback waits for every submit
 * queued before it; on a software adapter under load the longest legitimate wait seen is a few
 * seconds (an MNIST test pass behind two training submits), so a minute means the queue is stuck.
 * Tests shorten it to make a withheld readback fail fast.
 */
export const gpuDeadlines = { readbackMs: 60_000 };

/** Awaited GPU or worker work that did not finish within its deadline. */
export class DeadlineError extends Error {
  constructor(
    /** What was awaited, e.g. "a GPU readback". */
    readonly what: string,
    readonly ms: number,
  ) {
    super(`${what} did not finish within ${ms / 1000} s`);
    this.name = 'DeadlineError';
  }
}

/**
 * Resolves or rejects like `work`, or rejects with a DeadlineError after `ms`. The work is not
 * cancelled (promises cannot be), so its late result or rejection is swallowed here: the caller
 * must treat whatever the work held as dropped.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(what, ms)), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * Settles when `work` settles or after `ms`, whichever comes first, and never rejects: for
 * waiting on something that may be stuck (a session's last chunk) without depending on it.
 * Resolves true when the work settled in time.
 */
export async function settledWithin(work: Promise<unknown> | null, ms: number): Promise<boolean> {
  if (!work) return true;
  try {
    await withDeadline(work, ms, 'work');
    return true;
  } catch (e) {
    return !(e instanceof DeadlineError);
  }
}

/**
 * `device` seen through a proxy whose `queue.onSubmittedWorkDone()` rejects with a DeadlineError
 * after `gpuDeadlines.readbackMs` and reports the miss to `onStuck` (the engine gives up on the
 * device then). Code that waits for the queue (the start-up matmul trial) thus never hangs.
 */
export function withQueueDeadline(device: GPUDevice, onStuck: (e: DeadlineError) => void): GPUDevice {
  const done = (queue: GPUQueue) => () =>
    withDeadline(queue.onSubmittedWorkDone(), gpuDeadlines.readbackMs, 'submitted GPU work').catch((e: unknown) => {
      if (e instanceof DeadlineError) onStuck(e);
      throw e;
    });
  const queue = new Proxy(device.queue, { get: (target, key) => (key === 'onSubmittedWorkDone' ? done(target) : bound(target, key)) });
  return new Proxy(device, { get: (target, key) => (key === 'queue' ? queue : bound(target, key)) });
}

function bound(target: object, key: string | symbol): unknown {
  const value = Reflect.get(target, key, target);
  return typeof value === 'function' ? value.bind(target) : value;
}

/**
 * Gives up on a device whose queue missed a deadline: it is marked lost (so every backend on it
 * stops with a device-lost failure, which the UI resumes from the last checkpoint on a fresh
 * device) and destroyed, which rejects its other pending readbacks and frees its memory.
 */
export function abandonDevice(ctx: GpuContext, cause: DeadlineError): void {
  if (ctx.failure) return;
  ctx.failure = new GpuFailureError('device-lost', `The GPU stopped answering: ${cause.message}. A fresh device takes over.`);
  ctx.device.destroy();
}
