import { expect } from '@esm-bundle/chai';
import { set, createStore } from 'idb-keyval';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import { FAST_CPU_LABEL } from '../../src/cpu/fast-cpu-backend.ts';
import { acquireGpu, type GpuContext } from '../../src/gpu/device.ts';
import { trialKey } from '../../src/train/backend-trial.ts';
import type { BackendStatus } from '../../src/train/background-choice.ts';
import { Session } from '../../src/train/session.ts';
import { createTrialStore, TRIAL_STORE_VERSION, type StoredTrial } from '../../src/train/trial-store.ts';
import { batchOfOne } from '../../src/train/training-backend.ts';
import { FaultyGpu } from '../helpers/faults.ts';
import { testGpu } from '../helpers/gpu.ts';
import { expectClose } from '../helpers/tolerance.ts';

const IRIS: ExperimentConfig = { ...DEFAULT_EXPERIMENT, seed: 42, epochs: 4, backend: 'auto' };
let dbCount = 0;

/** A trial store of its own (a fresh IndexedDB database), so tests do not see each other's trials. */
function freshStore(): { store: ReturnType<typeof createTrialStore>; name: string } {
  const name = `test-trials-${Date.now()}-${dbCount++}`;
  return { store: createTrialStore(name), name };
}

async function cpuFirst(config: ExperimentConfig = IRIS): Promise<Session> {
  const session = await Session.create(config, testGpu, null, null, { startOnCpu: true });
  expect(session.info.backendState).to.equal('trial');
  expect(session.info.backendLabel).to.equal(FAST_CPU_LABEL);
  expect(session.info.backendNote).to.equal('CPU now, trying WebGPU…');
  return session;
}

/** Runs the decision and returns every status it reported. */
async function decide(session: Session, gpu: () => Promise<GpuContext>, store = freshStore().store, deadlineMs?: number): Promise<BackendStatus[]> {
  const seen: BackendStatus[] = [];
  await session.decideBackend(gpu, store, (s) => seen.push(s), deadlineMs === undefined ? {} : { deadlineMs });
  return seen;
}

describe('Auto behind the CPU: the session trains at once and the trial decides later', () => {
  it('trains on the CPU before any GPU work, then settles on what the trial chose and remembers it', async () => {
    const session = await cpuFirst();
    await session.trainer.step();
    const { store } = freshStore();
    const seen = await decide(session, testGpu, store);
    expect(seen).to.have.length(1);
    const status = seen[0]!;
    const trial = status.backendTrial!;
    expect(trial.cached).to.equal(false);
    expect(status.backendState).to.equal(trial.choice);
    expect(session.info.backendState).to.equal(trial.choice);
    expect(session.backend.kind).to.equal(trial.choice);
    expect(status.backendNote).to.match(trial.choice === 'cpu' ? /^The CPU is faster than WebGPU here/ : /^WebGPU, [\d.]+× faster than the CPU here\.$/);
    const ctx = await testGpu();
    const stored = await store.load(ctx.adapterName, trialKey(batchOfOne({ ...session['setup'] })));
    expect('trial' in stored && stored.trial.ms).to.deep.equal(trial.ms);
    // The next visit's session skips the trial.
    const next = await cpuFirst({ ...IRIS, seed: 7 });
    const again = await decide(next, testGpu, store);
    expect(again[0]!.backendTrial!.cached).to.equal(true);
    session.dispose();
    next.dispose();
  });

  it('moves to WebGPU when the stored trial says so, carrying the run: its curve goes on as one', async () => {
    const ctx = await testGpu();
    const { store } = freshStore();
    const straight = await Session.create({ ...IRIS, backend: 'cpu' }, testGpu);
    await straight.trainer.trainEpochs(4);
    const session = await cpuFirst();
    const webgpuWins: StoredTrial = { ms: { webgpu: 1, cpu: 2.3 }, choice: 'webgpu', hint: 'cpu', summary: 'WebGPU 1.0 ms/step, CPU 2.3 ms/step → WebGPU' };
    await store.save(ctx.adapterName, trialKey(batchOfOne(session['setup'])), webgpuWins);
    await session.trainer.trainEpochs(1);
    const [status] = await decide(session, testGpu, store);
    await session.trainer.trainEpochs(3);
    expect(status!.backendState).to.equal('webgpu');
    expect(status!.backendNote).to.equal('WebGPU, 2.3× faster than the CPU here.');
    expect(status!.backendTrial!.cached).to.equal(true);
    expect(session.backend.kind).to.equal('webgpu');
    expect(session.trainer.history.map((r) => r.epoch)).to.deep.equal([1, 2, 3, 4]);
    expectClose(await session.snapshot(), await straight.snapshot(), 1e-5, 1e-4, 'params after 4 epochs');
    session.dispose();
    straight.dispose();
  });

  it('without WebGPU the CPU stays and the status says why', async () => {
    const session = await cpuFirst();
    const [status] = await decide(session, () => acquireGpu(undefined, null));
    expect(status!.backendState).to.equal('cpu');
    expect(status!.fallbackReason).to.contain('navigator.gpu is missing');
    expect(session.backend.kind).to.equal('cpu');
    session.dispose();
  });

  it('a trial past its deadline leaves the CPU training and says so once', async () => {
    const session = await cpuFirst();
    const never = () => new Promise<GpuContext>(() => undefined);
    const seen = await decide(session, never, undefined, 50);
    expect(seen).to.have.length(1);
    expect(seen[0]!.backendState).to.equal('cpu');
    expect(seen[0]!.backendNote).to.match(/^The WebGPU trial failed \(the WebGPU trial did not finish within 0\.05 s\); training stays on the CPU\.$/);
    await session.trainer.trainEpochs(1);
    expect(session.trainer.history).to.have.length(1);
    session.dispose();
  });

  it('a device lost during the trial rules WebGPU out for now, keeps training and is not remembered', async () => {
    const { faults, ctx } = await FaultyGpu.create();
    const session = await cpuFirst({ ...IRIS, hidden: [{ units: 6, activation: 'tanh' }] });
    faults.lose();
    const { store } = freshStore();
    const [status] = await decide(session, async () => ctx, store);
    expect(status!.backendState).to.equal('cpu');
    expect(status!.backendNote).to.match(/^WebGPU could not train this network here \(WebGPU: .*lost.*\); training stays on the CPU\.$/);
    expect('missing' in (await store.load(ctx.adapterName, trialKey(batchOfOne(session['setup']))))).to.equal(true);
    await session.trainer.step();
    session.dispose();
  });

  it('a stored entry that is corrupt or from another version is dropped, named once, and measured again', async () => {
    const ctx = await testGpu();
    for (const [raw, problem] of [
      [{ version: TRIAL_STORE_VERSION, trial: { ms: 'fast', choice: 'gpu' } }, 'the saved backend trial is unreadable'],
      [{ version: '0.0.1', savedAt: 0, trial: { ms: { webgpu: 1, cpu: 2 }, choice: 'webgpu', hint: 'cpu', summary: 'x' } }, 'is from shaderprop 0.0.1'],
    ] as const) {
      const { store, name } = freshStore();
      const session = await cpuFirst({ ...IRIS, hidden: [{ units: 5, activation: 'relu' }] });
      const shape = trialKey(batchOfOne(session['setup']));
      await set(`${ctx.adapterName}\n${shape}`, raw, createStore(name, 'trials'));
      const seen = await decide(session, testGpu, store);
      expect(seen).to.have.length(1);
      expect(seen[0]!.backendNote).to.contain(problem);
      expect(seen[0]!.backendNote).to.contain('so it was measured again');
      const after = await store.load(ctx.adapterName, shape);
      expect('trial' in after || 'missing' in after, 'the bad entry is gone').to.equal(true);
      session.dispose();
    }
  });

  it('forgets every stored trial when cleared', async () => {
    const { store } = freshStore();
    const trial: StoredTrial = { ms: { webgpu: 1, cpu: 2 }, choice: 'webgpu', hint: 'cpu', summary: 's' };
    await store.save('adapter', 'shape', trial);
    expect(await store.load('adapter', 'shape')).to.deep.equal({ trial });
    await store.clear();
    expect(await store.load('adapter', 'shape')).to.deep.equal({ missing: true });
  });
});
