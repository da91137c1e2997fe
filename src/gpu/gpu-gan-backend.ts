import type { GanBackend, GanChunk, GanMetric, GanSetup } from '../train/gan-backend.ts';
import { ganNets } from '../train/gan-nets.ts';
import type { GpuContext } from './device.ts';
import { encodeDispatches } from './kernel.ts';
import { METRICS_SLOT_FLOATS } from './kernels/loss.ts';
import { MatmulKernel, type MatmulVariant } from './kernels/matmul.ts';
import { chooseMatmulVariant } from './autotune.ts';
import { packStepFactors } from './kernels/optimizer.ts';
import { packState } from './kernels/state.ts';
import { createGanIo, createNetBuffers, MAX_GAN_ITERATIONS, type GanIo, type NetBuffers } from './gan-buffers.ts';
import { buildGanIteration, type GanIteration } from './gan-iteration.ts';
import { GanGenerator } from './gan-generate.ts';
import type { GpuBuffers } from './gpu-buffers.ts';
import { buildInScopes, GpuGuard } from './guard.ts';
import { StagingPool } from './staging.ts';

/** GAN iterations one submit may hold (defined with the buffers sized by it). */
export { MAX_GAN_ITERATIONS } from './gan-buffers.ts';

/** Builds the WebGPU GAN backend inside error scopes; a failure releases what it allocated. */
export async function createGpuGanBackend(ctx: GpuContext, setup: GanSetup, options: { matmul?: MatmulVariant } = {}): Promise<GpuGanBackend> {
  const variant = options.matmul ?? (await chooseMatmulVariant(ctx)).variant;
  return buildInScopes(ctx, 'Creating the GPU GAN', (mem) => new GpuGanBackend(ctx, setup, variant, mem));
}

/**
 * The GAN on the engine's kernels, one submit per chunk of iterations. The discriminator's input
 * holds 2·batch rows, fakes first: G writes its batch straight into rows 0..batch, real images
 * (or the 2-D lab's points) are gathered into the rest. A D step trains D on all of it; the G
 * step runs D on the fake rows only, back-propagates through D without weight gradients into G's
 * output activation (tanh for MNIST, linear for the 2-D lab), and updates G.
 * D and G each keep their own state buffer (step counter t and slot) for Adam and batching.
 */
export class GpuGanBackend implements GanBackend {
  readonly kind = 'webgpu' as const;
  readonly label: string;
  /** Dispatches of one iteration with one D step, in order. */
  readonly iterationDispatches: GanIteration;
  private readonly guard: GpuGuard;
  private readonly g: NetBuffers;
  private readonly d: NetBuffers;
  private readonly io: GanIo;
  private readonly staging: StagingPool;
  private readonly generator: GanGenerator;

  constructor(
    private readonly ctx: GpuContext,
    private readonly setup: GanSetup,
    readonly matmulVariant: MatmulVariant,
    private readonly mem: GpuBuffers,
  ) {
    const device = ctx.device;
    this.label = `WebGPU · ${ctx.adapterName}`;
    this.guard = new GpuGuard(ctx, 'GAN');
    const dSlots = MAX_GAN_ITERATIONS * setup.config.dSteps;
    const matmul = new MatmulKernel(device, matmulVariant);
    const nets = ganNets(setup);
    this.g = createNetBuffers(mem, matmul, nets.g, setup.params.g, 'G', MAX_GAN_ITERATIONS, nets.gOptimizer);
    this.d = createNetBuffers(mem, matmul, nets.d, setup.params.d, 'D', dSlots, nets.dOptimizer);
    this.io = createGanIo(mem, setup.config);
    this.iterationDispatches = buildGanIteration(device, setup, this.g, this.d, this.io, mem);
    this.staging = new StagingPool(device);
    this.generator = new GanGenerator(device, this.g.stack, setup.config.latent, this.staging);
  }

  async runIterations(chunk: GanChunk): Promise<GanMetric[]> {
    this.guard.check();
    const { batch: B, dSteps, nonSaturating } = this.setup.config;
    const n = chunk.iterations;
    if (n < 1 || n > MAX_GAN_ITERATIONS) throw new Error(`a GAN chunk holds 1 to ${MAX_GAN_ITERATIONS} iterations, got ${n}`);
    const q = this.ctx.device.queue;
    q.writeBuffer(this.io.realIndices, 0, chunk.realIndices);
    q.writeBuffer(this.io.zD, 0, chunk.zD);
    q.writeBuffer(this.io.zG, 0, chunk.zG);
    const steps = chunk.steps ?? 'both';
    const [runD, runG] = [steps !== 'generator', steps !== 'discriminator'];
    // Every slot of D has 2·B rows, of G B rows. A network that sits the submit out keeps its
    // state words and step counters as they are (prepare advances the counters).
    if (runD) this.prepare(q, this.d, new Array(n * dSteps).fill(2 * B));
    if (runG) this.prepare(q, this.g, new Array(n).fill(B));
    const encoder = this.ctx.device.createCommandEncoder({ label: `GAN ${n} iterations` });
    const pass = encoder.beginComputePass({ label: `GAN ${n} iterations` });
    for (let i = 0; i < n; i++) {
      if (runD) for (let j = 0; j < dSteps; j++) encodeDispatches(pass, this.iterationDispatches.dStep);
      if (runG) encodeDispatches(pass, this.iterationDispatches.gStep);
    }
    pass.end();
    const dBytes = n * dSteps * METRICS_SLOT_FLOATS * 4;
    const bytes = await this.guard.run(
      this.staging.read(
        [
          { buffer: this.io.dMetrics, size: dBytes },
          { buffer: this.io.gMetrics, size: n * METRICS_SLOT_FLOATS * 4 },
        ],
        encoder,
      ),
    );
    const dm = new Float32Array(bytes, 0, n * dSteps * METRICS_SLOT_FLOATS);
    const gm = new Float32Array(bytes, dBytes, n * METRICS_SLOT_FLOATS);
    return Array.from({ length: n }, (_, i) => {
      let [dLoss, dCorrect, dReal] = [0, 0, 0];
      for (let j = 0; j < dSteps; j++) {
        const o = (i * dSteps + j) * METRICS_SLOT_FLOATS;
        dLoss += dm[o]! / (2 * B);
        dCorrect += dm[o + 1]! / (2 * B);
        dReal += dm[o + 2]! / B;
      }
      const o = i * METRICS_SLOT_FLOATS;
      // The metrics buffers of a part that did not run hold an earlier submit's numbers.
      const [d, g] = [runD ? 1 : NaN, runG ? 1 : NaN];
      return {
        dLoss: (d * dLoss) / dSteps,
        dAccuracy: (d * dCorrect) / dSteps,
        gLoss: (g * gm[o]!) / B,
        dReal: (d * dReal) / dSteps,
        dFake: (g * gm[o + (nonSaturating ? 2 : 3)]!) / B,
      };
    });
  }

  /** Writes one network's state words and optimizer factors for a submit of `rows.length` steps. */
  private prepare(q: GPUQueue, net: NetBuffers, rows: number[]): void {
    q.writeBuffer(net.state, 0, packState(net.layout, net.t, [{ dropout: 0, augment: 0 }], rows, rows.length));
    q.writeBuffer(net.steps, 0, packStepFactors([net.optimizer], net.t, rows, rows.length, net.layout.slots));
  }

  async generate(z: Float32Array, n: number): Promise<Float32Array> {
    this.guard.check();
    return this.guard.run(this.generator.run(z, n));
  }

  async readParams(): Promise<{ g: Float32Array; d: Float32Array }> {
    this.guard.check();
    const [g, d] = [this.g.stack.params, this.d.stack.params];
    const bytes = await this.guard.run(
      this.staging.read([
        { buffer: g, size: g.size },
        { buffer: d, size: d.size },
      ]),
    );
    return { g: new Float32Array(bytes, 0, g.size / 4).slice(), d: new Float32Array(bytes, g.size, d.size / 4).slice() };
  }

  /** Bytes of GPU memory held. */
  gpuBytes(): number {
    return this.mem.bytes();
  }

  dispose(): void {
    if (this.guard.disposed) return;
    this.guard.disposed = true;
    this.mem.destroy();
    this.generator.destroy();
    this.staging.destroy();
  }
}
