// The job under cross-validation, ensembles and the optimizer race (multi-run.ts): trains the
// members together, then reads the results of those the CPU pool did not lose.
import type { GpuContext } from '../gpu/device.ts';
import { BatchJob, type JobMember } from './batch-job.ts';
import type { MultiRunHooks } from './multi-run.ts';

/** Thrown when a job was cancelled before it finished. */
export class JobCancelledError extends Error {
  constructor(what: string) {
    super(`${what} was cancelled`);
    this.name = 'JobCancelledError';
  }
}

/**
 * Trains a job's members together and disposes of it after `use`; a cancelled job throws. `use`
 * reads the results of `kept`, the members that finished (all but the lost ones); the answer
 * comes with the message naming the lost ones in the job's words (`lost`), or null. A worker
 * that dies while the results are read loses more: `use` reads again without them. When every
 * member was lost there is nothing to show, and the job throws that message.
 */
export async function withJob<T>(
  what: string,
  members: JobMember[],
  gpu: () => Promise<GpuContext>,
  hooks: MultiRunHooks,
  lost: { noun: [string, string]; label?: (i: number) => string },
  use: (job: BatchJob, kept: number[]) => Promise<T>,
): Promise<{ answer: T; lost: string | null }> {
  const job = await BatchJob.create(members, gpu);
  try {
    await job.train({ onProgress: (p) => hooks.onProgress?.(p.epochs, p.totalEpochs), ...(hooks.shouldStop ? { shouldStop: hooks.shouldStop } : {}) });
    if (hooks.shouldStop?.()) throw new JobCancelledError(what);
    for (let kept = keptMembers(job); ;) {
      const message = job.lostMessage(lost.noun, lost.label);
      if (kept.length === 0) throw new Error(`${what} has no results: ${message!.replace(/ The other results are kept\.$/, '')}`);
      const answer = await use(job, kept);
      const now = keptMembers(job);
      if (now.length === kept.length) return { answer, lost: message };
      kept = now;
    }
  } finally {
    job.dispose();
  }
}

/** The members of `job` that were not lost. */
function keptMembers(job: BatchJob): number[] {
  const lost = new Set(job.lostMembers());
  return Array.from({ length: job.size }, (_, i) => i).filter((i) => !lost.has(i));
}
