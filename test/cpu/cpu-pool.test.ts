import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import { loadExperimentData, type LoadedData } from '../../src/data/load.ts';
import { existingCpuPool, setCpuPoolScript, sharedCpuPool } from '../../src/cpu/cpu-pool.ts';
import { BatchJob, type JobHooks } from '../../src/train/batch-job.ts';
import { foldMembers } from '../../src/train/multi-run.ts';
import { killSliceWorker, setMaxRetries, setReplayLogBytes, sliceStats } from '../../src/cpu/pool-slice.ts';
import { testGpu } from '../helpers/gpu.ts';
import { waitFor } from '../helpers/async.ts';

// The pool's side of worker.ts alone: fresh workers start in a fraction of the engine's load time
// (test/worker/cpu-pool.test.ts starts them from worker.ts, as the built page does).
const SCRIPT = new URL('../fixtures/pool-worker.ts', import.meta.url);
const IDLE_MS = 400;

const BASE: ExperimentConfig = {
  ...DEFAULT_EXPERIMENT,
  dataset: { name: 'moons', size: 160, noise: 0.2, imbalance: 1, classes: 2 },
  hidden: [{ units: 12, activation: 'tanh' }],
  batchSize: 16,
  epochs: 6,
  seed: 3,
  backend: 'cpu',
};

/** The sweep-like job with enough epochs that submits are still in flight when a worker dies. */
const long = (workers: number) => sweepConfigs(workers).map((c) => ({ ...c, epochs: 40 }));

/** A sweep-like job: rates × optimizers, two batch sizes, each with its own seed. */
function sweepConfigs(workers: number): ExperimentConfig[] {
  const out: ExperimentConfig[] = [];
  for (const [i, lr] of [0.003, 0.01, 0.03, 0.1, 0.3].entries())
    for (const kind of ['sgd', 'adam'] as const)
      out.push({ ...BASE, cpuWorkers: workers, seed: 10 + i, batchSize: i % 2 ? 16 : 32, optimizer: { ...BASE.optimizer, kind, learningRate: lr } });
  return out;
}

interface Trained {
  losses: number[][];
  records: unknown[][];
  params: Float32Array[];
  labels: string[];
}

async function train(configs: ExperimentConfig[], data: LoadedData, hooks: (job: BatchJob) => JobHooks = () => ({})): Promise<Trained> {
  const job = await BatchJob.create(
    configs.map((config) => ({ config, data })),
    testGpu,
  );
  try {
    await job.train(hooks(job));
    const ids = configs.map((_, i) => i);
    return {
      losses: ids.map((i) => job.run(i).steps.map((s) => s.loss)),
      records: ids.map((i) => job.run(i).history.map((r) => ({ ...r }))),
      params: await Promise.all(ids.map((i) => job.params(i))),
      labels: [job.info.label],
    };
  } finally {
    job.dispose();
  }
}

function expectSame(a: Trained, b: Trained): void {
  for (let i = 0; i < a.losses.length; i++) {
    expect(b.losses[i], `model ${i}'s step losses`).to.deep.equal(a.losses[i]);
    expect(b.records[i], `model ${i}'s epoch records`).to.deep.equal(a.records[i]);
    expect(Array.from(b.params[i]!), `model ${i}'s final weights`).to.deep.equal(Array.from(a.params[i]!));
  }
}

describe('CPU worker pool (cpu-workers)', () => {
  let data: LoadedData;
  let oneWorker: Trained;
  let longOne: Promise<Trained> | null = null;
  /** The long job on one worker, trained once for the tests that kill a worker of it. */
  const longReference = () => (longOne ??= train(long(1), data));

  before(async () => {
    setCpuPoolScript(SCRIPT, IDLE_MS);
    data = await loadExperimentData(BASE);
    oneWorker = await train(sweepConfigs(1), data);
  });

  after(() => setCpuPoolScript(null));

  it('starts no worker until a job of several models asks, and one worker runs as before', () => {
    expect(existingCpuPool()).to.equal(null);
    expect(oneWorker.labels[0]).to.not.match(/workers/);
  });

  it('a sweep sliced over 2 workers (this thread and one pool worker) gives every model the bits of the one-worker run', async () => {
    const pooled = await train(sweepConfigs(2), data);
    expect(pooled.labels[0]).to.match(/2 workers/);
    expectSame(oneWorker, pooled);
    // One pool worker: the other half of the models (slice 0) trained on this thread.
    expect(existingCpuPool()!.size).to.equal(1);
  });

  it('3 workers too (this thread and 2 pool workers, models dealt in turn), reusing the one the last job started', async () => {
    const started = sharedCpuPool()!.startedCount;
    expectSame(oneWorker, await train(sweepConfigs(3), data));
    expect(sharedCpuPool()!.startedCount, 'one more worker, the warm ones shared').to.equal(started + 1);
  });

  it('k-fold, each fold with its own standardized features, is the same bits on 2 workers', async () => {
    const trainMembers = async (workers: number) => {
      const members = foldMembers({ ...BASE, cpuWorkers: workers }, data, 4, false);
      const job = await BatchJob.create(members, testGpu);
      try {
        await job.train();
        expect(job.info.label).to.match(workers > 1 ? /2 workers/ : /float32\)$/);
        return await Promise.all(members.map((_, i) => job.params(i)));
      } finally {
        job.dispose();
      }
    };
    const [one, two] = [await trainMembers(1), await trainMembers(2)];
    one.forEach((p, i) => expect(Array.from(two[i]!), `fold ${i}`).to.deep.equal(Array.from(p)));
  });

  it('a worker killed mid-job: its models are retried on the others and every result is the same', async () => {
    const reference = await longReference();
    const retries = sharedCpuPool()!.retries;
    let killed = false;
    const pooled = await train(long(2), data, () => ({
      onProgress: (p) => {
        if (killed || p.epochs < p.totalEpochs / 3) return;
        killed = true;
        sharedCpuPool()!.kill(0);
      },
    }));
    expect(killed, 'the test killed a worker while the job trained').to.equal(true);
    expect(sharedCpuPool()!.retries, "the dead worker's slice moved").to.be.above(retries);
    expectSame(reference, pooled);
  });

  it('a worker killed after its log was trimmed to a checkpoint: rebuilt from the checkpoint, the same bits', async () => {
    const reference = await longReference();
    const before = sliceStats.checkpoints;
    const retries = sharedCpuPool()!.retries;
    // A few chunks' worth of log, so each slice checkpoints many times before the kill.
    setReplayLogBytes(16 * 1024);
    try {
      let killed = false;
      const pooled = await train(long(2), data, () => ({
        onProgress: (p) => {
          if (killed || p.epochs < p.totalEpochs / 2) return;
          killed = true;
          // Worker 0 is the one a 2-thread job leases: it holds slice 1.
          sharedCpuPool()!.kill(0);
        },
      }));
      expect(killed).to.equal(true);
      expect(sharedCpuPool()!.retries, "the dead worker's slice moved").to.be.above(retries);
      expect(sliceStats.checkpoints).to.be.above(before + 2);
      expectSame(reference, pooled);
    } finally {
      setReplayLogBytes();
    }
  });

  it('workers that keep dying: those runs are lost and named, every other run finishes with the fault-free bits', async () => {
    // One batch (one batch size) of 6 over 2 threads: the engine's own slice holds models 0, 2, 4 and the pool worker's 1, 3, 5.
    const configs = long(2).filter((c) => c.batchSize === 32);
    const reference = await train(
      configs.map((c) => ({ ...c, cpuWorkers: 1 })),
      data,
    );
    setMaxRetries(1);
    const job = await BatchJob.create(
      configs.map((config) => ({ config, data })),
      testGpu,
    );
    try {
      let kills = 0;
      // Kill whichever worker holds model 1 on each epoch past the first quarter: its first move
      // lands on a fresh pool worker, whose death loses the slice.
      const trained = job.train({
        onProgress: (p) => {
          if (p.epochs >= p.totalEpochs / 4 && killSliceWorker(1)) kills++;
        },
      });
      await trained;
      expect(kills, 'the slice died past its retry budget of 1').to.equal(2);
      expect(job.lostMembers()).to.deep.equal([1, 3, 5]);
      for (const i of [1, 3, 5]) {
        expect(job.run(i).status).to.equal('lost');
        expect(job.run(i).lost).to.match(/^CPU worker \d+ stopped: killed by a test; 2 workers in a row died holding these models \(1 retry allowed\)$/);
      }
      expect(job.lostMessage()).to.match(/^Runs 2, 4, 6 were lost: CPU worker \d+ stopped: killed by a test; .*\. The other results are kept\.$/);
      // The survivors: every step, record and weight as in the fault-free run, and their evaluations too.
      for (const i of [0, 2, 4]) {
        expect(job.run(i).status).to.equal('training');
        expect(job.run(i).epoch).to.equal(configs[i]!.epochs);
        expect(
          job.run(i).steps.map((m) => m.loss),
          `run ${i + 1}'s step losses`,
        ).to.deep.equal(reference.losses[i]);
        expect(job.run(i).history.map((r) => ({ ...r }))).to.deep.equal(reference.records[i]);
        expect(Array.from(await job.params(i))).to.deep.equal(Array.from(reference.params[i]!));
      }
      const evaluated = await job.evaluate(() => data.splits.validation);
      for (const i of [1, 3, 5]) expect(Number.isNaN(evaluated[i]!.loss), 'a lost run evaluates to a NaN placeholder').to.equal(true);
      for (const i of [0, 2, 4]) expect(Number.isFinite(evaluated[i]!.loss)).to.equal(true);
      const predicted = await job.predict(new Float32Array([0, 0]), 1);
      expect(predicted.map((p) => Number.isNaN(p[0]))).to.deep.equal([false, true, false, true, false, true]);
      await job.params(1).then(
        () => expect.fail('a lost run has no weights'),
        (e: Error) => expect(e.message).to.match(/killed by a test/),
      );
    } finally {
      setMaxRetries();
      job.dispose();
    }
  });

  it('evaluate, predict and state reads go to the worker that holds each model', async () => {
    const configs = sweepConfigs(2).slice(0, 4);
    const job = await BatchJob.create(
      configs.map((config) => ({ config, data })),
      testGpu,
    );
    try {
      await job.train();
      const single = await BatchJob.create(
        configs.map((config) => ({ config: { ...config, cpuWorkers: 1 }, data })),
        testGpu,
      );
      try {
        await single.train();
        const rows = () => data.splits.test;
        const [a, b] = [await job.evaluate(rows), await single.evaluate(rows)];
        expect(a).to.deep.equal(b);
        const grid = new Float32Array([0, 0, 1, -1, 0.5, 0.25]);
        expect(await job.predict(grid, 3)).to.deep.equal(await single.predict(grid, 3));
      } finally {
        single.dispose();
      }
    } finally {
      job.dispose();
    }
  });

  it('ends its workers when idle and starts them again for the next job', async () => {
    const pool = sharedCpuPool()!;
    await waitFor('the idle pool ends its workers', () => pool.size === 0, 10_000);
    const started = pool.startedCount;
    const pooled = await train(sweepConfigs(2).slice(0, 4), data);
    expect(pooled.params.length).to.equal(4);
    expect(pool.startedCount, 'one pool worker beside this thread').to.equal(started + 1);
    await waitFor('the idle pool ends its workers again', () => pool.size === 0, 10_000);
  });

  it('a script that cannot start leaves the job on one worker, with the same results', async () => {
    setCpuPoolScript(new URL('./no-such-worker.js', import.meta.url), IDLE_MS);
    try {
      const job = await BatchJob.create(
        sweepConfigs(2)
          .slice(0, 2)
          .map((config) => ({ config, data })),
        testGpu,
      );
      try {
        expect(job.info.label).to.not.match(/workers/);
      } finally {
        job.dispose();
      }
    } finally {
      setCpuPoolScript(SCRIPT, IDLE_MS);
    }
  });
});
