// One GAN iteration recorded as dispatches: a D step on fakes and reals, then a G step through
// D. Separate from the backend because it is built once, with the fixed buffers only these
// dispatches use (pixels or points, latent and target rows, activations, deltas), and then only
// replayed.
import { denseLayers, type ModelSpec } from '../nn/spec.ts';
import type { GanSetup } from '../train/gan-backend.ts';
import { ganNets } from '../train/gan-nets.ts';
import { MAX_GAN_ITERATIONS, type GanIo, type NetBuffers } from './gan-buffers.ts';
import type { GpuBuffers } from './gpu-buffers.ts';
import type { Dispatch, OwnedDispatch } from './kernel.ts';
import { GatherKernel } from './kernels/gather.ts';
import { LossKernel } from './kernels/loss.ts';
import { OptimizerKernel } from './kernels/optimizer.ts';
import { packPixels, PixelGatherKernel } from './kernels/pixels.ts';
import { buildBackward, buildForward, type Built } from './network.ts';

/** The dispatches of one iteration: a D step (run dSteps times) and a G step, in order. */
export interface GanIteration {
  dStep: Dispatch[];
  gStep: Dispatch[];
}

/**
 * Records one GAN iteration on the networks `g` and `d` and the per-submit buffers `io`; the
 * buffers only these dispatches use are created in `mem`. The discriminator's input holds
 * 2·batch rows, fakes first: G writes its batch straight into rows 0..batch, real images are
 * gathered into the rest: MNIST images through the pixel gather, or the setup's float `points`
 * (the 2-D lab) through the row gather shifted by `batch` rows.
 */
export function buildGanIteration(device: GPUDevice, setup: GanSetup, g: NetBuffers, d: NetBuffers, io: GanIo, mem: GpuBuffers): GanIteration {
  const [S, DST] = [GPUBufferUsage.STORAGE, GPUBufferUsage.COPY_DST];
  const { batch: B, latent: L, dSteps, labelSmoothing, nonSaturating } = setup.config;
  const dSlots = MAX_GAN_ITERATIONS * dSteps;
  const maxDim = device.limits.maxComputeWorkgroupsPerDimension;
  const nets = ganNets(setup);
  const W = nets.d.inputSize;
  const points = setup.points;
  const realRows = points
    ? mem.create('real points', Math.max(16, points.byteLength), S | DST, points)
    : mem.create('MNIST pixels', setup.images.byteLength, S | DST, packPixels(setup.images));
  const iota = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);
  const zDRows = mem.create('D latent rows', dSlots * B * 4, S | DST, iota(dSlots * B));
  const zGRows = mem.create('G latent rows', MAX_GAN_ITERATIONS * B * 4, S | DST, iota(MAX_GAN_ITERATIONS * B));
  // Targets by kind: 0 real (1 − smoothing), 1 fake (0), 2 "real" for the generator (1).
  const targets = mem.create('GAN targets', 16, S | DST, new Float32Array([1 - labelSmoothing, 0, 1, 0]));
  const dTargetRows = mem.create(
    'D target kinds',
    dSlots * 2 * B * 4,
    S | DST,
    Uint32Array.from({ length: dSlots * 2 * B }, (_, i) => (i % (2 * B) < B ? 1 : 0)),
  );
  const gTargetRows = mem.create('G target kinds', MAX_GAN_ITERATIONS * B * 4, S | DST, new Uint32Array(MAX_GAN_ITERATIONS * B).fill(nonSaturating ? 2 : 1));
  const ones = mem.create('D loss weights', 16, S | DST, new Float32Array([1, 1, 1, 1]));
  // The minimax generator minimises log(1 − D(G(z))) = −BCE(x, 0): a weight of −1 on target 0.
  const gWeights = mem.create('G loss weights', 16, S | DST, new Float32Array(nonSaturating ? [1, 1, 1, 1] : [-1, -1, -1, -1]));

  const widths = (spec: ModelSpec) => denseLayers(spec).map((l) => l.units);
  const gActs = [
    mem.create('z batch', B * L * 4, S),
    ...widths(g.spec)
      .slice(0, -1)
      .map((w, i) => mem.create(`G activations ${i}`, B * w * 4, S)),
  ];
  const dIn = mem.create('D input (fakes, then reals)', 2 * B * W * 4, S);
  gActs.push(dIn);
  const dActs = [dIn, ...widths(d.spec).map((w, i) => mem.create(`D activations ${i}`, 2 * B * w * 4, S))];
  const dWidest = Math.max(...widths(d.spec));
  const dDeltas: [GPUBuffer, GPUBuffer] = [mem.create('D delta 0', 2 * B * dWidest * 4, S), mem.create('D delta 1', 2 * B * dWidest * 4, S)];
  const gWidest = Math.max(...widths(g.spec));
  const gDeltas: [GPUBuffer, GPUBuffer] = [mem.create('G delta 0', B * gWidest * 4, S), mem.create('G delta 1', B * gWidest * 4, S)];

  const gather = new GatherKernel(device, maxDim);
  const pixelGather = new PixelGatherKernel(device, maxDim);
  const loss = new LossKernel(device);
  const optimizer = new OptimizerKernel(device, maxDim);
  const own = (r: OwnedDispatch) => (mem.adopt(r.uniform), r.dispatch);
  const latents = (net: NetBuffers) => ({ ...net.layout, capacity: B, width: L, models: 1, srcModelStride: 0 });
  const lossShape = (net: NetBuffers, capacity: number) => ({
    ...net.layout,
    capacity,
    width: 1,
    targetWidth: 1,
    mode: 'train' as const,
    models: 1,
    classes: 2,
  });
  const update = (net: NetBuffers, label: string) =>
    optimizer.dispatch(
      label,
      { ...net.layout, count: net.stack.layout.totalFloats, weightsEnd: net.stack.layout.weightsEnd, models: 1 },
      {
        grads: net.stack.grads,
        state: net.state,
        settings: net.settings,
        steps: net.steps,
        params: net.stack.params,
        m: net.m,
        v: net.v,
      },
    );
  const built = (b: Built) => (b.uniforms.forEach((u) => mem.adopt(u)), b.dispatches);
  const gForward = built(buildForward(g.stack, B, gActs, 'G'));
  const logits = dActs.at(-1)!;
  const dStep = [
    own(gather.dispatch('D-step latents', latents(d), { src: io.zD, indices: zDRows, state: d.state, out: gActs[0]! })),
    ...gForward,
    own(
      points
        ? gather.dispatch(
            'real points',
            { ...d.layout, capacity: B, width: W, models: 1, srcModelStride: 0, outRow: B },
            { src: realRows, indices: io.realIndices, state: d.state, out: dIn },
          )
        : pixelGather.dispatch('real images', { capacity: B, width: W, outRow: B }, { src: realRows, indices: io.realIndices, state: d.state, out: dIn }),
    ),
    ...built(buildForward(d.stack, 2 * B, dActs, 'D')),
    own(
      loss.dispatch('D loss', nets.head ?? 'sigmoid_bce', lossShape(d, 2 * B), {
        logits,
        targets,
        indices: dTargetRows,
        weights: ones,
        out: dDeltas[0],
        metrics: io.dMetrics,
        state: d.state,
      }),
    ),
    ...built(buildBackward(d.stack, 2 * B, dActs, dDeltas, 'D')),
    own(update(d, 'D arena')),
  ];
  const gStep = [
    own(gather.dispatch('G-step latents', latents(g), { src: io.zG, indices: zGRows, state: g.state, out: gActs[0]! })),
    ...gForward,
    ...built(buildForward(d.stack, B, dActs, 'D on fakes')),
    own(
      loss.dispatch('G loss', nets.head ?? 'sigmoid_bce', lossShape(g, B), {
        logits,
        targets,
        indices: gTargetRows,
        weights: gWeights,
        out: dDeltas[0],
        metrics: io.gMetrics,
        state: g.state,
      }),
    ),
    ...built(
      buildBackward(d.stack, B, dActs, dDeltas, 'D to G', {
        weightGrads: false,
        inputGrad: { buffer: gDeltas[0], activation: nets.g.outputActivation ?? 'linear' },
      }),
    ),
    ...built(buildBackward(g.stack, B, gActs, gDeltas, 'G')),
    own(update(g, 'G arena')),
  ];
  return { dStep, gStep };
}
