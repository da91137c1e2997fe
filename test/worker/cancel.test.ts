import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import { withDeadline } from '../../src/gpu/deadline.ts';
import { EngineClient } from '../../src/worker/client.ts';
import { rejection, waitFor } from '../helpers/async.ts';

const WORKER = new URL('../../src/worker/worker.ts', import.meta.url);

// Long enough that a job would run for minutes if the cancel did not stop it.
const LONG: ExperimentConfig = {
  ...DEFAULT_EXPERIMENT,
  dataset: { name: 'moons', size: 240, noise: 0.2, imbalance: 1, classes: 2 },
  hidden: [{ units: 16, activation: 'tanh' }],
  epochs: 5000,
  seed: 11,
  backend: 'webgpu',
};

describe('cancelling multi-run jobs', () => {
  let client: EngineClient;
  before(() => (client = EngineClient.start(WORKER)));
  after(() => client.terminate());

  for (const job of ['crossValidate', 'trainEnsemble', 'raceOptimizers'] as const) {
    it(`${job} stops within seconds of cancelJob, names the cancel, and frees its GPU memory`, async () => {
      const id = 100 + ['crossValidate', 'trainEnsemble', 'raceOptimizers'].indexOf(job);
      const baseline = (await client.gpuMemory()).bytes;
      const running =
        job === 'crossValidate'
          ? client.crossValidate(LONG, 3, false, null, undefined, id)
          : job === 'trainEnsemble'
            ? client.trainEnsemble(LONG, 3, 'seeds', null, undefined, id)
            : client.raceOptimizers(LONG, ['sgd', 'adam'], null, undefined, id);
      const outcome = rejection(running);
      // Cancel once the first model is on the GPU and training.
      await waitFor('the first model', async () => (await client.gpuMemory()).bytes > baseline, 60_000, 50);
      await client.cancelJob(id);
      const error = await withDeadline(outcome, 30_000, 'the cancelled job');
      expect(error.name).to.equal('JobCancelledError');
      expect(error.message).to.match(/was cancelled/);
      await waitFor('the memory freed', async () => (await client.gpuMemory()).bytes === baseline, 30_000, 50);
      await client.cancelJob(id); // finished or unknown jobs are ignored
    });
  }
});
