import { arenaLayout, type ArenaLayout } from '../nn/arena.ts';
import { denseLayers } from '../nn/spec.ts';
import { iterationMetric, type GanBackend, type GanChunk, type GanMetric, type GanSetup } from '../train/gan-backend.ts';
import { IMAGE_PIXELS } from '../train/gan-config.ts';
import { ganNets, type GanNets } from '../train/gan-nets.ts';
import type { ModelSpec } from '../nn/spec.ts';
import { lossForward } from './loss.ts';
import { optimizerState, optimizerStep, type OptimizerState } from './optimizer.ts';
import { stackBackward, stackForward, type StackLayer } from './stack.ts';
import { OpQueue } from './op-queue.ts';
import { TimeSlicer } from './yield.ts';

interface Net {
  layers: StackLayer[];
  layout: ArenaLayout;
  params: Float64Array;
  state: OptimizerState;
}

function net(spec: ModelSpec, params: Float32Array): Net {
  const layout = arenaLayout(spec);
  return { layers: denseLayers(spec), layout, params: Float64Array.from(params), state: optimizerState(layout.totalFloats) };
}

/**
 * The float64 GAN step, the spec of the WebGPU one: each discriminator step sees the batch's
 * fakes then its reals (targets 0 and 1 − smoothing); the generator step back-propagates the
 * discriminator's loss through D (which is not updated) into G's output activation (tanh for
 * MNIST, linear for the 2-D lab). Real rows are MNIST images scaled to [-1, 1], or the setup's
 * float `points` when it has them.
 */
export class CpuGanBackend implements GanBackend {
  readonly kind = 'cpu' as const;
  readonly label = 'CPU reference (float64)';
  readonly g: Net;
  readonly d: Net;
  private readonly nets: GanNets;
  private readonly queue = new OpQueue();
  private readonly slicer = new TimeSlicer();

  constructor(private readonly setup: GanSetup) {
    this.nets = ganNets(setup);
    this.g = net(this.nets.g, setup.params.g);
    this.d = net(this.nets.d, setup.params.d);
  }

  runIterations(chunk: GanChunk): Promise<GanMetric[]> {
    return this.queue.run(async () => {
      const out: GanMetric[] = [];
      for (let i = 0; i < chunk.iterations; i++) {
        // Yielding between iterations keeps a worker that trains on the CPU responsive.
        await this.slicer.maybeYield();
        out.push(this.iteration(chunk, i));
      }
      return out;
    });
  }

  private realBatch(indices: Uint32Array): Float64Array {
    const points = this.setup.points;
    if (points) {
      const w = this.nets.d.inputSize;
      const x = new Float64Array(indices.length * w);
      indices.forEach((row, r) => x.set(points.subarray(row * w, (row + 1) * w), r * w));
      return x;
    }
    const x = new Float64Array(indices.length * IMAGE_PIXELS);
    indices.forEach((image, r) => {
      for (let p = 0; p < IMAGE_PIXELS; p++) x[r * IMAGE_PIXELS + p] = this.setup.images[image * IMAGE_PIXELS + p]! / 127.5 - 1;
    });
    return x;
  }

  private iteration(chunk: GanChunk, i: number): GanMetric {
    const steps = chunk.steps ?? 'both';
    const d = steps === 'generator' ? null : this.discriminatorSteps(chunk, i);
    const g = steps === 'discriminator' ? null : this.generatorStep(chunk, i);
    return iterationMetric(d, g);
  }

  /** The iteration's dSteps discriminator steps; their mean loss, accuracy and D(real). */
  private discriminatorSteps(chunk: GanChunk, i: number): Pick<GanMetric, 'dLoss' | 'dAccuracy' | 'dReal'> {
    const { batch: B, latent: L, dSteps, labelSmoothing } = this.setup.config;
    const W = this.nets.d.inputSize;
    let dLoss = 0;
    let dCorrect = 0;
    let dReal = 0;
    for (let j = 0; j < dSteps; j++) {
      const slot = i * dSteps + j;
      const fake = this.generateNow(chunk.zD.subarray(slot * B * L, (slot + 1) * B * L), B);
      const x = new Float64Array(2 * B * W);
      x.set(fake);
      x.set(this.realBatch(chunk.realIndices.subarray(slot * B, (slot + 1) * B)), B * W);
      const outs = stackForward(this.d.layers, this.d.layout, this.d.params, x, 2 * B);
      const targets = new Float64Array(2 * B).fill(1 - labelSmoothing, B);
      const loss = lossForward(this.nets.head ?? 'sigmoid_bce', outs.at(-1)!, targets, 2 * B, 1, null);
      const { grads } = stackBackward(this.d.layers, this.d.layout, this.d.params, outs, loss.grad, 2 * B);
      optimizerStep(this.nets.dOptimizer, this.d.params, grads, this.d.state, this.d.layout.weightsEnd);
      dLoss += loss.lossSum / (2 * B);
      dCorrect += loss.correct / (2 * B);
      dReal += loss.positiveScore / B;
    }
    return { dLoss: dLoss / dSteps, dAccuracy: dCorrect / dSteps, dReal: dReal / dSteps };
  }

  /** The iteration's generator step, through D (not updated); G's loss and D(G(z)). */
  private generatorStep(chunk: GanChunk, i: number): Pick<GanMetric, 'gLoss' | 'dFake'> {
    const { batch: B, latent: L, nonSaturating } = this.setup.config;
    const z = Float64Array.from(chunk.zG.subarray(i * B * L, (i + 1) * B * L));
    const gOuts = stackForward(this.g.layers, this.g.layout, this.g.params, z, B);
    const dOuts = stackForward(this.d.layers, this.d.layout, this.d.params, gOuts.at(-1)!, B);
    const target = nonSaturating ? 1 : 0;
    const loss = lossForward(this.nets.head ?? 'sigmoid_bce', dOuts.at(-1)!, new Float64Array(B).fill(target), B, 1, nonSaturating ? null : [-1, -1]);
    const gOut = this.nets.g.outputActivation ?? 'linear';
    const { dInput } = stackBackward(this.d.layers, this.d.layout, this.d.params, dOuts, loss.grad, B, gOut);
    const { grads } = stackBackward(this.g.layers, this.g.layout, this.g.params, gOuts, dInput!, B);
    optimizerStep(this.nets.gOptimizer, this.g.params, grads, this.g.state, this.g.layout.weightsEnd);
    return { gLoss: loss.lossSum / B, dFake: (nonSaturating ? loss.positiveScore : loss.negativeScore) / B };
  }

  private generateNow(z: ArrayLike<number>, n: number): Float64Array {
    return stackForward(this.g.layers, this.g.layout, this.g.params, Float64Array.from(z), n).at(-1)!;
  }

  generate(z: Float32Array, n: number): Promise<Float32Array> {
    return this.queue.run(() => Float32Array.from(this.generateNow(z, n)));
  }

  readParams(): Promise<{ g: Float32Array; d: Float32Array }> {
    return this.queue.run(() => ({ g: Float32Array.from(this.g.params), d: Float32Array.from(this.d.params) }));
  }

  dispose(): void {}
}
