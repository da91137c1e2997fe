// WorkerJobSlot, the job bookkeeping of the sweep runner and the multi-run controller, against a
// stand-in client that records which jobs it was asked to cancel.
import { expect } from '@esm-bundle/chai';
import type { EngineClient } from '../../src/worker/client.ts';
import { WorkerJobSlot } from '../../src/worker/worker-job.ts';

function fakeClient(dead = false): { client: EngineClient; cancelled: number[] } {
  const cancelled: number[] = [];
  const client = { dead, cancelJob: async (id: number) => void cancelled.push(id) } as unknown as EngineClient;
  return { client, cancelled };
}

describe('WorkerJobSlot', () => {
  it('gives each job a fresh id and keeps only the newest one current', () => {
    const slot = new WorkerJobSlot();
    const { client } = fakeClient();
    const first = slot.start(client);
    const second = slot.start(client);
    expect(second.id).to.not.equal(first.id);
    expect(slot.isCurrent(first)).to.equal(false);
    expect(slot.finish(first)).to.equal(false);
    expect(slot.finish(second)).to.equal(true);
    expect(slot.isCurrent(second)).to.equal(false);
  });

  it('cancel asks the worker to stop the job and keeps it current until it finishes', () => {
    const slot = new WorkerJobSlot();
    const { client, cancelled } = fakeClient();
    expect(slot.cancel()).to.equal(false);
    const job = slot.start(client);
    expect(slot.cancel()).to.equal(true);
    expect(cancelled).to.deep.equal([job.id]);
    expect(slot.isCurrent(job)).to.equal(true);
    expect(slot.finish(job)).to.equal(true);
  });

  it('abandon stops the job and drops it at once; a dead worker is not asked', () => {
    const slot = new WorkerJobSlot();
    const { client, cancelled } = fakeClient(true);
    const job = slot.start(client);
    expect(slot.abandon()).to.equal(true);
    expect(cancelled).to.deep.equal([]);
    expect(slot.isCurrent(job)).to.equal(false);
    expect(slot.finish(job)).to.equal(false);
    expect(slot.abandon()).to.equal(false);
  });
});
