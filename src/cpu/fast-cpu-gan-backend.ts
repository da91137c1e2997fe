import { CpuGanBackend } from '../reference/reference-gan-backend.ts';
import { OpQueue } from '../reference/op-queue.ts';
import { TimeSlicer } from '../reference/yield.ts';
import { iterationMetric, type GanBackend, type GanChunk, type GanMetric, type GanSetup } from '../train/gan-backend.ts';
import { IMAGE_PIXELS } from '../train/gan-config.ts';
import { ganNets, type GanNets } from '../train/gan-nets.ts';
import { CpuArena } from './arena.ts';
import { FAST_CPU_LABEL } from './fast-cpu-backend.ts';
import { instantiateKernels, kernelsUnavailable, WasmHeap, type Kernels } from './kernels.ts';
import { lossPass } from './loss.ts';
import { CpuStack } from './stack.ts';

/** Builds the fast CPU GAN backend (compiling the kernels' module once per thread). */
export async function createFastCpuGanBackend(setup: GanSetup): Promise<FastCpuGanBackend> {
  return new FastCpuGanBackend(await instantiateKernels(), setup);
}

/** The CPU fallback's GAN: the fast float32 one, or the float64 reference where WebAssembly SIMD cannot run. */
export async function cpuGanBackend(setup: GanSetup): Promise<GanBackend> {
  return (await kernelsUnavailable()) === null ? createFastCpuGanBackend(setup) : new CpuGanBackend(setup);
}

/** Latent vectors per generate() chunk beyond the batch (a sample grid, the quality check's 256). */
const GENERATE_CHUNK = 256;

/**
 * The GAN step of src/reference/reference-gan-backend.ts in float32 WebAssembly SIMD kernels: each discriminator
 * step sees the batch's fakes then its reals (targets 0 and 1 − smoothing); the generator step
 * back-propagates the discriminator's loss through D (not updated) into G's output activation
 * (tanh for MNIST, linear for the 2-D lab); real rows are images or the setup's float `points`.
 */
export class FastCpuGanBackend implements GanBackend {
  readonly kind = 'cpu' as const;
  readonly label = FAST_CPU_LABEL;
  private readonly heap: WasmHeap;
  private readonly g: { stack: CpuStack; arena: CpuArena };
  private readonly d: { stack: CpuStack; arena: CpuArena };
  /** D's targets of one step: B fakes then B reals, and the generator step's B targets. */
  private readonly dTargets: Float32Array;
  private readonly gTargets: Float32Array;
  private readonly slicer = new TimeSlicer();
  private readonly nets: GanNets;
  /** Width of one sample: G's output and D's input (784 pixels, or 2 for a point). */
  private readonly width: number;
  private readonly queue = new OpQueue();

  constructor(
    k: Kernels,
    private readonly setup: GanSetup,
  ) {
    const { config } = setup;
    const B = config.batch;
    this.heap = new WasmHeap(k);
    this.nets = ganNets(setup);
    this.width = this.nets.d.inputSize;
    const [gSpec, dSpec] = [this.nets.g, this.nets.d];
    const gStack = new CpuStack(this.heap, gSpec, Math.max(B, GENERATE_CHUNK));
    const dStack = new CpuStack(this.heap, dSpec, 2 * B, { inputGrad: true });
    this.g = { stack: gStack, arena: new CpuArena(this.heap, gStack.layout.totalFloats, gStack.layout.weightsEnd, setup.params.g) };
    this.d = { stack: dStack, arena: new CpuArena(this.heap, dStack.layout.totalFloats, dStack.layout.weightsEnd, setup.params.d) };
    this.dTargets = new Float32Array(2 * B).fill(1 - config.labelSmoothing, B);
    this.gTargets = new Float32Array(B).fill(config.nonSaturating ? 1 : 0);
  }

  runIterations(chunk: GanChunk): Promise<GanMetric[]> {
    const { batch: B, latent: L, dSteps } = this.setup.config;
    const n = chunk.iterations;
    if (chunk.realIndices.length < n * dSteps * B || chunk.zD.length < n * dSteps * B * L || chunk.zG.length < n * B * L) {
      return Promise.reject(
        new Error(`a chunk of ${n} iterations needs ${n * dSteps * B} real images, ${n * dSteps * B} latent vectors for D and ${n * B} for G`),
      );
    }
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

  /** Writes B real rows of `indices` (images scaled to [-1, 1], or points) into D's input rows B .. 2B. */
  private realBatch(indices: Uint32Array): void {
    const B = this.setup.config.batch;
    const points = this.setup.points;
    if (points) {
      const w = this.width;
      const x = this.heap.f32(this.d.stack.x + B * w * 4, B * w);
      indices.forEach((row, r) => x.set(points.subarray(row * w, (row + 1) * w), r * w));
      return;
    }
    const x = this.heap.f32(this.d.stack.x + B * IMAGE_PIXELS * 4, B * IMAGE_PIXELS);
    const images = this.setup.images;
    indices.forEach((image, r) => {
      const src = image * IMAGE_PIXELS;
      const dst = r * IMAGE_PIXELS;
      for (let p = 0; p < IMAGE_PIXELS; p++) x[dst + p] = images[src + p]! / 127.5 - 1;
    });
  }

  /** G's outputs for `n` ≤ its capacity latent vectors; returns their byte offset. */
  private generateInto(z: Float32Array, n: number): number {
    const L = this.setup.config.latent;
    this.heap.f32(this.g.stack.x, n * L).set(z.subarray(0, n * L));
    this.g.stack.forward(this.g.arena.params, n);
    return this.g.stack.output;
  }

  private iteration(chunk: GanChunk, i: number): GanMetric {
    const steps = chunk.steps ?? 'both';
    const d = steps === 'generator' ? null : this.discriminatorSteps(chunk, i);
    const g = steps === 'discriminator' ? null : this.generatorStep(chunk, i);
    return iterationMetric(d, g);
  }

  /** The iteration's dSteps discriminator steps; their mean loss, accuracy and D(real). */
  private discriminatorSteps(chunk: GanChunk, i: number): Pick<GanMetric, 'dLoss' | 'dAccuracy' | 'dReal'> {
    const { batch: B, latent: L, dSteps } = this.setup.config;
    const d = this.d;
    const W = this.width;
    let dLoss = 0;
    let dCorrect = 0;
    let dReal = 0;
    for (let j = 0; j < dSteps; j++) {
      const slot = i * dSteps + j;
      const fake = this.generateInto(chunk.zD.subarray(slot * B * L, (slot + 1) * B * L), B);
      this.heap.f32(d.stack.x, B * W).set(this.heap.f32(fake, B * W));
      this.realBatch(chunk.realIndices.subarray(slot * B, (slot + 1) * B));
      d.stack.forward(d.arena.params, 2 * B);
      const grad = this.heap.f32(d.stack.dzLast, 2 * B);
      const loss = lossPass(this.nets.head ?? 'sigmoid_bce', this.heap.f32(d.stack.output, 2 * B), this.dTargets, 2 * B, 1, null, { grad });
      d.stack.backward(d.arena.params, d.arena.grads, 2 * B);
      d.arena.step(this.nets.dOptimizer);
      dLoss += loss.lossSum / (2 * B);
      dCorrect += loss.correct / (2 * B);
      dReal += loss.positiveScore / B;
    }
    return { dLoss: dLoss / dSteps, dAccuracy: dCorrect / dSteps, dReal: dReal / dSteps };
  }

  /** The iteration's generator step, through D (not updated); G's loss and D(G(z)). */
  private generatorStep(chunk: GanChunk, i: number): Pick<GanMetric, 'gLoss' | 'dFake'> {
    const { batch: B, latent: L, nonSaturating } = this.setup.config;
    const { g, d } = this;
    const images = this.generateInto(chunk.zG.subarray(i * B * L, (i + 1) * B * L), B);
    d.stack.forward(d.arena.params, B, null, images);
    const grad = this.heap.f32(d.stack.dzLast, B);
    const loss = lossPass(this.nets.head ?? 'sigmoid_bce', this.heap.f32(d.stack.output, B), this.gTargets, B, 1, nonSaturating ? null : [-1, -1], { grad });
    // Only D's input gradient: D is not updated in the generator step.
    d.stack.backward(d.arena.params, d.arena.grads, B, d.stack.dzLast, this.nets.g.outputActivation ?? 'linear', null, false);
    g.stack.backward(g.arena.params, g.arena.grads, B, d.stack.dInput);
    g.arena.step(this.nets.gOptimizer);
    return { gLoss: loss.lossSum / B, dFake: (nonSaturating ? loss.positiveScore : loss.negativeScore) / B };
  }

  generate(z: Float32Array, n: number): Promise<Float32Array> {
    return this.queue.run(() => {
      const L = this.setup.config.latent;
      const W = this.width;
      const out = new Float32Array(n * W);
      const cap = this.g.stack.capacity;
      for (let start = 0; start < n; start += cap) {
        const count = Math.min(cap, n - start);
        const at = this.generateInto(z.subarray(start * L, (start + count) * L), count);
        out.set(this.heap.f32(at, count * W), start * W);
      }
      return out;
    });
  }

  readParams(): Promise<{ g: Float32Array; d: Float32Array }> {
    return this.queue.run(() => ({ g: this.g.arena.read(), d: this.d.arena.read() }));
  }

  dispose(): void {
    this.queue.close('this CPU GAN was disposed');
  }
}
