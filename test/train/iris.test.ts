import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import { Session } from '../../src/train/session.ts';
import { testGpu } from '../helpers/gpu.ts';
import { expectClose } from '../helpers/tolerance.ts';

// The article's network: 4→64 relu→64 relu→3 softmax, Adam 1e-3, batch 32, seed 42;
// 150 rows → 30 test, then 24 validation, 96 train (3 steps per epoch).
const ARTICLE: ExperimentConfig = { ...DEFAULT_EXPERIMENT, seed: 42 };

async function trainSteps(backend: 'webgpu' | 'cpu', steps: number): Promise<number[]> {
  const session = await Session.create({ ...ARTICLE, backend }, testGpu);
  const epochs = Math.ceil(steps / session.trainer.stepsPerEpoch);
  await session.trainer.trainEpochs(epochs);
  session.dispose();
  return session.trainer.steps.slice(0, steps).map((s) => s.loss);
}

describe('Iris end to end (the article network)', () => {
  for (const backend of ['webgpu', 'cpu'] as const) {
    it(`${backend}: reaches ≥ 0.93 test accuracy within 200 epochs`, async () => {
      const session = await Session.create({ ...ARTICLE, backend }, testGpu);
      expect(session.info.backend).to.equal(backend);
      expect(session.info.rows).to.deep.equal({ train: 96, validation: 24, test: 30 });
      expect(session.info.parameterCount).to.equal(4 * 64 + 64 + 64 * 64 + 64 + 64 * 3 + 3);
      const history = await session.trainer.trainEpochs(200);
      expect(history).to.have.length(200);
      expect(history[199]!.trainLoss).to.be.lessThan(history[0]!.trainLoss);
      const test = await session.evaluate('test');
      const accuracy = test.correct / test.rows;
      console.log(
        `${backend}: test accuracy ${accuracy.toFixed(3)}, final train loss ${history[199]!.trainLoss.toFixed(4)}, validation accuracy ${history[199]!.validationAccuracy}`,
      );
      expect(accuracy).to.be.at.least(0.93);
      session.dispose();
    });
  }

  it('GPU and CPU trainers from the same seed agree on the loss over 50 steps', async () => {
    const [gpu, cpu] = [await trainSteps('webgpu', 50), await trainSteps('cpu', 50)];
    // f32 against float64 through 50 Adam steps: |Δ| ≤ 1e-4 + 1e-3·|want| at every step.
    expectClose(gpu, cpu, 1e-4, 1e-3, 'loss per step');
  });

  it('the same seed twice gives the same loss sequence on the GPU, and another seed does not', async () => {
    const a = await trainSteps('webgpu', 30);
    const b = await trainSteps('webgpu', 30);
    expect(b).to.deep.equal(a);
    const session = await Session.create({ ...ARTICLE, seed: 7, backend: 'webgpu' }, testGpu);
    await session.trainer.trainEpochs(10);
    expect(session.trainer.steps.slice(0, 30).map((s) => s.loss)).to.not.deep.equal(a);
    session.dispose();
  });
});
