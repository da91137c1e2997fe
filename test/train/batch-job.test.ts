import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import { loadExperimentData } from '../../src/data/load.ts';
import { ConfigError } from '../../src/config/errors.ts';
import { BatchJob } from '../../src/train/batch-job.ts';
import { crossValidate, foldMembers, JobCancelledError } from '../../src/train/multi-run.ts';
import { rowWeightTable, uniformWeights } from '../../src/train/samme.ts';
import { Session } from '../../src/train/session.ts';
import { testGpu } from '../helpers/gpu.ts';

const MOONS: ExperimentConfig = {
  ...DEFAULT_EXPERIMENT,
  dataset: { name: 'moons', size: 120, noise: 0.2, imbalance: 1, classes: 2 },
  hidden: [{ units: 8, activation: 'tanh' }],
  optimizer: { ...DEFAULT_EXPERIMENT.optimizer, learningRate: 0.02 },
  batchSize: 16,
  epochs: 4,
  seed: 5,
  backend: 'cpu',
};

/** Step losses of `config` trained alone on `data` for its epochs, as the playground trains it. */
async function alone(config: ExperimentConfig, data: Awaited<ReturnType<typeof loadExperimentData>>): Promise<number[]> {
  const session = await Session.fromData(config, testGpu, data);
  try {
    await session.trainer.trainEpochs(config.epochs);
    return session.trainer.steps.map((m) => m.loss);
  } finally {
    session.dispose();
  }
}

describe('BatchJob: several experiments trained as batches', () => {
  it('k-fold in one batch: every fold (its own rows and standardization) is the run of that fold alone, bit for bit on the reference', async () => {
    const data = await loadExperimentData(MOONS);
    const members = foldMembers(MOONS, data, 3, false);
    expect(members[0]!.data.dataset.features).to.not.equal(members[1]!.data.dataset.features);
    const job = await BatchJob.create(members, testGpu);
    try {
      await job.train();
      for (const [i, m] of members.entries())
        expect(
          job.run(i).steps.map((s) => s.loss),
          `fold ${i}`,
        ).to.deep.equal(await alone(m.config, m.data));
    } finally {
      job.dispose();
    }
  });

  it('members with different batch sizes train as separate batches, each as it would alone', async () => {
    const data = await loadExperimentData(MOONS);
    const configs = [8, 16, 8, 32].map((batchSize, i) => ({ ...MOONS, batchSize, seed: 20 + i }));
    const job = await BatchJob.create(
      configs.map((config) => ({ config, data })),
      testGpu,
    );
    try {
      await job.train();
      for (const [i, config] of configs.entries())
        expect(
          job.run(i).steps.map((s) => s.loss),
          `member ${i}`,
        ).to.deep.equal(await alone(config, data));
    } finally {
      job.dispose();
    }
  });

  it('cancelling stops every member between submits; a cancelled cross-validation rejects with JobCancelledError', async () => {
    const data = await loadExperimentData(MOONS);
    let calls = 0;
    const job = await BatchJob.create([{ config: { ...MOONS, epochs: 50 }, data }], testGpu);
    try {
      await job.train({ shouldStop: () => ++calls > 3 });
      expect(job.run(0).epoch).to.be.lessThan(50);
    } finally {
      job.dispose();
    }
    let polled = 0;
    const cv = await crossValidate({ ...MOONS, epochs: 50 }, testGpu, data, 3, false, { shouldStop: () => ++polled > 2 }).then(
      () => null,
      (e: Error) => e,
    );
    expect(cv).to.be.instanceOf(JobCancelledError);
  });

  it('refuses members that cannot share a batch, naming the setting', async () => {
    const data = await loadExperimentData(MOONS);
    const other = { ...MOONS, hidden: [{ units: 4, activation: 'tanh' as const }] };
    const e = await BatchJob.create(
      [
        { config: MOONS, data },
        { config: other, data },
      ],
      testGpu,
    ).then(
      () => null,
      (x: Error) => x,
    );
    expect(e).to.be.instanceOf(ConfigError);
    expect(e!.message).to.match(/run 2 has another network/);
  });
  it("a boosting round's row weights reach each member: uniform ones train as none, others do not; a wrong length is refused", async () => {
    const data = await loadExperimentData(MOONS);
    const train = data.splits.train;
    const rows = data.dataset.rows;
    const uniform = rowWeightTable(uniformWeights(train.length), train, rows);
    const skewed = rowWeightTable(
      Float64Array.from(train, (_, i) => (i % 3 === 0 ? 5 : 1)),
      train,
      rows,
    );
    const job = await BatchJob.create(
      [
        { config: MOONS, data },
        { config: MOONS, data, rowWeights: uniform },
        { config: MOONS, data, rowWeights: skewed },
      ],
      testGpu,
    );
    try {
      await job.train();
      const losses = [0, 1, 2].map((i) => job.run(i).steps.map((s) => s.loss));
      expect(losses[1], 'uniform row weights').to.deep.equal(losses[0]);
      expect(losses[2], 'skewed row weights').not.to.deep.equal(losses[0]);
    } finally {
      job.dispose();
    }
    const wrong = BatchJob.create([{ config: MOONS, data, rowWeights: new Float32Array(3) }], testGpu);
    await wrong.then(
      () => expect.fail('a job with 3 row weights was built'),
      (e: Error) => expect(e.message).to.match(new RegExp(`3 row weights for ${rows} dataset rows`)),
    );
  });
});
