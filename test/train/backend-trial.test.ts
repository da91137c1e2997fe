import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import { FAST_CPU_LABEL } from '../../src/cpu/fast-cpu-backend.ts';
import { cachedTrial, pickBackend, TRIAL_MARGIN, trialKey, trialSummary, type BackendTrial } from '../../src/train/backend-trial.ts';
import { batchOfOne } from '../../src/train/training-backend.ts';
import { chooseGanBackend } from '../../src/train/gan-choice.ts';
import { ARTICLE_GAN, IMAGE_PIXELS, initGan, type GanConfig } from '../../src/train/gan-config.ts';
import { GanTrainer } from '../../src/train/gan-trainer.ts';
import { Rng } from '../../src/nn/rng.ts';
import { Session } from '../../src/train/session.ts';
import { testGpu } from '../helpers/gpu.ts';
import { smallSetup } from '../helpers/setups.ts';

describe('Auto: the backend trial', () => {
  it('keeps the hinted backend on a near-tie and switches when the other is clearly faster', () => {
    expect(pickBackend({ webgpu: 1, cpu: 0.9 }, 'webgpu')).to.equal('webgpu');
    expect(pickBackend({ webgpu: 1, cpu: 1 - TRIAL_MARGIN - 0.01 }, 'webgpu')).to.equal('cpu');
    expect(pickBackend({ webgpu: 0.9, cpu: 1 }, 'cpu')).to.equal('cpu');
    expect(pickBackend({ webgpu: 0.5, cpu: 1 }, 'cpu')).to.equal('webgpu');
    // A backend that could not run is never picked.
    expect(pickBackend({ webgpu: NaN, cpu: 5 }, 'webgpu')).to.equal('cpu');
    expect(pickBackend({ webgpu: 5, cpu: NaN }, 'cpu')).to.equal('webgpu');
  });

  it('says both figures and the choice', () => {
    expect(trialSummary({ webgpu: 0.94, cpu: 0.59 }, 'cpu')).to.equal('WebGPU 0.94 ms/step, CPU 0.59 ms/step → CPU');
    expect(trialSummary({ webgpu: 61.23, cpu: 249.4 }, 'webgpu')).to.equal('WebGPU 61.2 ms/step, CPU 249 ms/step → WebGPU');
    expect(trialSummary({ webgpu: 3, cpu: NaN }, 'webgpu')).to.equal('WebGPU 3.0 ms/step, CPU – ms/step → WebGPU');
  });

  it('keys the cache by model shape, not by settings or data', () => {
    const a = batchOfOne(smallSetup('softmax_ce', 'relu', { capacity: 4 }));
    const sameShape = batchOfOne(smallSetup('softmax_ce', 'relu', { capacity: 4, seed: 9, optimizer: { learningRate: 0.5 } }));
    expect(trialKey(sameShape)).to.equal(trialKey(a));
    expect(trialKey(batchOfOne(smallSetup('softmax_ce', 'relu', { capacity: 5 })))).to.not.equal(trialKey(a));
    expect(trialKey(batchOfOne(smallSetup('softmax_ce', 'tanh', { capacity: 4 })))).to.not.equal(trialKey(a));
    expect(trialKey({ ...a, models: [a.models[0]!, a.models[0]!] })).to.not.equal(trialKey(a));
    expect(trialKey({ ...a, models: [{ ...a.models[0]!, dropout: [0.5, 0] }] })).to.not.equal(trialKey(a));
  });

  it('measures once per device and shape (concurrent callers share it) and forgets a failed measurement', async () => {
    const device = {};
    const setup = batchOfOne(smallSetup('mse', 'relu'));
    const result: Omit<BackendTrial, 'cached'> = { ms: { webgpu: 2, cpu: 1 }, choice: 'cpu', hint: 'cpu', summary: 'x' };
    let calls = 0;
    const measure = async () => (calls++, result);
    const [first, second] = await Promise.all([cachedTrial(device, trialKey(setup), measure), cachedTrial(device, trialKey(setup), measure)]);
    expect(calls).to.equal(1);
    expect([first.cached, second.cached]).to.deep.equal([false, true]);
    expect(second.trial).to.equal(result);
    expect((await cachedTrial({}, trialKey(setup), measure)).cached, 'another device measures again').to.equal(false);
    const failing = batchOfOne(smallSetup('mse', 'tanh'));
    const error = await cachedTrial(device, trialKey(failing), () => Promise.reject(new Error('lost'))).then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).to.equal('lost');
    expect((await cachedTrial(device, trialKey(failing), measure)).cached, 'a failure is not cached').to.equal(false);
  });
});

describe('Auto: sessions choose by measurement', () => {
  const IRIS: ExperimentConfig = { ...DEFAULT_EXPERIMENT, seed: 42, epochs: 3 };

  it('times both backends on this device, runs the faster, and reuses the result for the same shape', async () => {
    const session = await Session.create({ ...IRIS, backend: 'auto' }, testGpu);
    const trial = session.info.backendTrial!;
    expect(trial, 'a trial').to.not.equal(null);
    console.log(`Iris (the article network), this device: ${trial.summary}`);
    expect(trial.ms.webgpu).to.be.greaterThan(0);
    expect(trial.ms.cpu).to.be.greaterThan(0);
    const ctx = await testGpu();
    expect(trial.hint).to.equal(ctx.software ? 'cpu' : 'webgpu');
    expect(trial.choice).to.equal(pickBackend(trial.ms, trial.hint));
    expect(session.info.backend).to.equal(trial.choice);
    expect(session.info.backendLabel).to.equal(trial.choice === 'cpu' ? FAST_CPU_LABEL : `WebGPU · ${ctx.adapterName}`);
    expect(trial.summary).to.match(/^WebGPU [\d.]+ ms\/step, CPU [\d.]+ ms\/step → (WebGPU|CPU)$/);
    session.dispose();
    // Another seed and learning rate, same shape: no second trial.
    const again = await Session.create({ ...IRIS, seed: 3, optimizer: { ...IRIS.optimizer, learningRate: 0.01 }, backend: 'auto' }, testGpu);
    expect(again.info.backendTrial!.cached).to.equal(true);
    expect(again.info.backendTrial!.ms).to.deep.equal(trial.ms);
    expect(again.info.backend).to.equal(trial.choice);
    again.dispose();
  });

  it('the trial leaves no trace: Auto trains the same bits as forcing the backend it chose', async () => {
    // A shape of its own, so this test runs a fresh trial.
    const config: ExperimentConfig = { ...IRIS, hidden: [{ units: 12, activation: 'tanh' }], batchSize: 16, remedies: undefined };
    const auto = await Session.create({ ...config, backend: 'auto' }, testGpu);
    expect(auto.info.backendTrial!.cached).to.equal(false);
    const forced = await Session.create({ ...config, backend: auto.info.backend }, testGpu);
    expect(forced.info.backendTrial).to.equal(null);
    await auto.trainer.trainEpochs(3);
    await forced.trainer.trainEpochs(3);
    expect(auto.trainer.steps.map((s) => s.loss)).to.deep.equal(forced.trainer.steps.map((s) => s.loss));
    expect([...(await auto.snapshot())]).to.deep.equal([...(await forced.snapshot())]);
    auto.dispose();
    forced.dispose();
  });

  it('a forced backend runs no trial', async () => {
    for (const backend of ['webgpu', 'cpu'] as const) {
      const session = await Session.create({ ...IRIS, backend }, testGpu);
      expect(session.info.backend).to.equal(backend);
      expect(session.info.backendTrial).to.equal(null);
      if (backend === 'cpu') expect(session.info.backendLabel).to.equal(FAST_CPU_LABEL);
      session.dispose();
    }
  });
});

describe('Auto: GANs choose by measurement', () => {
  const config: GanConfig = { ...ARTICLE_GAN, latent: 8, generator: [16], discriminator: [12], batch: 6, seed: 3 };
  const rng = new Rng(11);
  const setup = { config, images: Uint8Array.from({ length: 30 * IMAGE_PIXELS }, () => rng.int(256)), params: initGan(config) };

  it('times both GAN backends, runs the faster, and trains exactly as that backend forced', async () => {
    const auto = await chooseGanBackend(setup, 'auto', testGpu);
    const trial = auto.trial!;
    console.log(`small GAN, this device: ${trial.summary}`);
    expect(trial.summary).to.match(/^WebGPU [\d.]+ ms\/iteration, CPU [\d.]+ ms\/iteration → (WebGPU|CPU)$/);
    expect(trial.choice).to.equal(pickBackend(trial.ms, trial.hint));
    expect(auto.backend.kind).to.equal(trial.choice);
    const forced = await chooseGanBackend(setup, trial.choice, testGpu);
    expect(forced.trial).to.equal(null);
    const [ta, tf] = [new GanTrainer(auto.backend, config, 30, 3), new GanTrainer(forced.backend, config, 30, 3)];
    await ta.train(3);
    await tf.train(3);
    expect(ta.history).to.deep.equal(tf.history);
    expect((await chooseGanBackend(setup, 'auto', testGpu)).trial!.cached).to.equal(true);
    for (const b of [auto.backend, forced.backend]) b.dispose();
  });
});
