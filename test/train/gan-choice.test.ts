import { expect } from '@esm-bundle/chai';
import type { GpuContext } from '../../src/gpu/device.ts';
import { Rng } from '../../src/nn/rng.ts';
import { chooseGanBackend } from '../../src/train/gan-choice.ts';
import { ARTICLE_GAN, IMAGE_PIXELS, initGan, type GanConfig } from '../../src/train/gan-config.ts';
import { FaultyGpu } from '../helpers/faults.ts';

/** Submits made on a queue, and how many of them a finished onSubmittedWorkDone() covers. */
interface QueueLog {
  submitted: number;
  settled: number;
}

function bound(target: object, key: string | symbol): unknown {
  const value = Reflect.get(target, key, target);
  return typeof value === 'function' ? value.bind(target) : value;
}

/** `ctx` whose queue counts submits and records which of them onSubmittedWorkDone() saw finish. */
function watched(ctx: GpuContext, log: QueueLog): GpuContext {
  const queue = (real: GPUQueue) =>
    new Proxy(real, {
      get: (target, key) => {
        if (key === 'submit') {
          return (buffers: Iterable<GPUCommandBuffer>) => {
            log.submitted++;
            target.submit(buffers);
          };
        }
        if (key === 'onSubmittedWorkDone') {
          return async () => {
            const upTo = log.submitted;
            await target.onSubmittedWorkDone();
            log.settled = Math.max(log.settled, upTo);
          };
        }
        return bound(target, key);
      },
    });
  const device = new Proxy(ctx.device, { get: (target, key) => (key === 'queue' ? queue(target.queue) : bound(target, key)) });
  return { ...ctx, device };
}

describe("Auto for GANs: the trial's WebGPU backend is gone before Auto returns", () => {
  const config: GanConfig = { ...ARTICLE_GAN, latent: 8, generator: [16], discriminator: [12], batch: 6, seed: 5 };
  const rng = new Rng(17);
  const setup = { config, images: Uint8Array.from({ length: 30 * IMAGE_PIXELS }, () => rng.int(256)), params: initGan(config) };

  it('destroys every buffer of the trial and waits until the GPU has finished all the work it was given', async () => {
    // A fresh device: the trial is cached per device, and this one must really run.
    const { faults, ctx } = await FaultyGpu.create();
    const log: QueueLog = { submitted: 0, settled: 0 };
    const auto = await chooseGanBackend(setup, 'auto', () => Promise.resolve(watched(ctx, log)));
    const trial = auto.trial!;
    expect(trial.cached).to.equal(false);
    expect(Number.isFinite(trial.ms.webgpu), trial.summary).to.equal(true);
    // The WebGPU trial submitted work, and the GPU was seen idle after the last of it: the CPU is
    // timed, and the winner runs, with nothing of the trial left on the adapter's threads.
    expect(log.submitted).to.be.above(0);
    expect(log.settled).to.equal(log.submitted);
    // The trial's backends are released: with the CPU chosen nothing is left on the GPU; a
    // WebGPU winner (a real GPU) holds only its own buffers, which go with it.
    if (trial.choice === 'cpu') expect(faults.liveBuffers).to.equal(0);
    auto.backend.dispose();
    expect(faults.liveBuffers).to.equal(0);
    expect(faults.failures).to.deep.equal([]);
  });
});
