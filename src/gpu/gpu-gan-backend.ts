import { arenaLayout } from '../nn/arena.ts';
import { denseLayers, type ModelSpec } from '../nn/spec.ts';
import type { GanBackend, GanChunk, GanMetric, GanSetup } from '../train/gan-backend.ts';
import { discriminatorSpec, ganAdam, generatorSpec, IMAGE_PIXELS } from '../train/gan-config.ts';
import type { OptimizerConfig } from '../nn/optimizer.ts';
import type { GpuContext } from './device.ts';
import { encodeDispatches, type Dispatch, type OwnedDispatch } from './kernel.ts';
import { GatherKernel } from './kernels/gather.ts';
import { LossKernel, METRICS_SLOT_FLOATS } from './kernels/loss.ts';
import { MatmulKernel, type MatmulVariant } from './kernels/matmul.ts';
import { chooseMatmulVariant } from './autotune.ts';
import { MODEL_SETTINGS_BYTES, OptimizerKernel, packModelSettings, packStepFactors, STEP_FACTOR_FLOATS } from './kernels/optimizer.ts';
import { packPixels, PixelGatherKernel } from './kernels/pixels.ts';
import { packState, stateLayout, type StateLayout } from './kernels/state.ts';
import { buildBackward, buildForward, type Built, type DenseStack } from './network.ts';
import { GanGenerator } from './gan-generate.ts';
import type { GpuBuffers } from './gpu-buffers.ts';
import { buildInScopes, GpuGuard } from './guard.ts';
import { StagingPool } from './staging.ts';

/** GAN iterations one submit may hold. */
export const MAX_GAN_ITERATIONS = 16;

/** Builds the WebGPU GAN backend inside error scopes; a failure releases what it allocated. */
export async function createGpuGanBackend(ctx: GpuContext, setup: GanSetup, options: { matmul?: MatmulVariant } = {}): Promise<GpuGanBackend> {
  const variant = options.matmul ?? (await chooseMatmulVariant(ctx)).variant;
  return buildInScopes(ctx, 'Creating the GPU GAN', (mem) => new GpuGanBackend(ctx, setup, variant, mem));
}

/** One network of the GAN: its arenas, its state words and its optimizer tables. */
interface NetBuffers {
  spec: ModelSpec;
  stack: DenseStack;
  m: GPUBuffer;
  v: GPUBuffer;
  state: GPUBuffer;
  layout: StateLayout;
  settings: GPUBuffer;
  steps: GPUBuffer;
  optimizer: OptimizerConfig;
  /** Optimizer steps taken, as the GPU will have counted them once everything submitted ran. */
  t: number[];
}

/**
 * The GAN on the engine's kernels, one submit per chunk of iterations. The discriminator's input
 * holds 2·batch rows, fakes first: G writes its batch straight into rows 0..batch, real images
 * are gathered into the rest. A D step trains D on all of it; the G step runs D on the fake rows
 * only, back-propagates through D without weight gradients into G's tanh output, and updates G.
 * D and G each keep their own state buffer (step counter t and slot) for Adam and batching.
 */
export class GpuGanBackend implements GanBackend {
  readonly kind = 'webgpu' as const;
  readonly label: string;
  /** Dispatches of one iteration with one D step, in order. */
  readonly iterationDispatches: { dStep: Dispatch[]; gStep: Dispatch[] };
  private readonly guard: GpuGuard;
  private readonly g: NetBuffers;
  private readonly d: NetBuffers;
  private readonly io: Record<'realIndices' | 'zD' | 'zG' | 'dMetrics' | 'gMetrics', GPUBuffer>;
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
    const [S, DST, SRC] = [GPUBufferUsage.STORAGE, GPUBufferUsage.COPY_DST, GPUBufferUsage.COPY_SRC];
    const { batch: B, latent: L, dSteps, labelSmoothing, nonSaturating } = setup.config;
    const dSlots = MAX_GAN_ITERATIONS * dSteps;
    const maxDim = device.limits.maxComputeWorkgroupsPerDimension;
    const matmul = new MatmulKernel(device, matmulVariant);
    const net = (spec: ModelSpec, params: Float32Array, name: string, slots: number, optimizer: OptimizerConfig): NetBuffers => {
      const layout = arenaLayout(spec);
      const p = this.mem.create(`${name} params`, params.byteLength, S | DST | SRC, params);
      const stack: DenseStack = {
        layers: denseLayers(spec),
        layout,
        params: p,
        grads: this.mem.create(`${name} grads`, params.byteLength, S),
        matmul,
        models: 1,
      };
      const state = stateLayout(slots);
      return {
        spec,
        stack,
        m: this.mem.create(`${name} m`, params.byteLength, S),
        v: this.mem.create(`${name} v`, params.byteLength, S),
        state: this.mem.create(`${name} state`, state.stateStride * 4, S | DST),
        layout: state,
        settings: this.mem.create(`${name} optimizer settings`, MODEL_SETTINGS_BYTES, S | DST, new Uint32Array(packModelSettings([optimizer]))),
        steps: this.mem.create(`${name} optimizer step factors`, slots * STEP_FACTOR_FLOATS * 4, S | DST),
        optimizer,
        t: [0],
      };
    };
    this.g = net(generatorSpec(setup.config), setup.params.g, 'G', MAX_GAN_ITERATIONS, ganAdam(setup.config.g));
    this.d = net(discriminatorSpec(setup.config), setup.params.d, 'D', dSlots, ganAdam(setup.config.d));
    const pixels = this.mem.create('MNIST pixels', setup.images.byteLength, S | DST, packPixels(setup.images));
    this.io = {
      realIndices: this.mem.create('real image indices', dSlots * B * 4, S | DST),
      zD: this.mem.create('latents of D steps', dSlots * B * L * 4, S | DST),
      zG: this.mem.create('latents of G steps', MAX_GAN_ITERATIONS * B * L * 4, S | DST),
      dMetrics: this.mem.create('D metrics', dSlots * METRICS_SLOT_FLOATS * 4, S | SRC),
      gMetrics: this.mem.create('G metrics', MAX_GAN_ITERATIONS * METRICS_SLOT_FLOATS * 4, S | SRC),
    };
    const iota = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);
    const zDRows = this.mem.create('D latent rows', dSlots * B * 4, S | DST, iota(dSlots * B));
    const zGRows = this.mem.create('G latent rows', MAX_GAN_ITERATIONS * B * 4, S | DST, iota(MAX_GAN_ITERATIONS * B));
    // Targets by kind: 0 real (1 − smoothing), 1 fake (0), 2 "real" for the generator (1).
    const targets = this.mem.create('GAN targets', 16, S | DST, new Float32Array([1 - labelSmoothing, 0, 1, 0]));
    const dTargetRows = this.mem.create(
      'D target kinds',
      dSlots * 2 * B * 4,
      S | DST,
      Uint32Array.from({ length: dSlots * 2 * B }, (_, i) => (i % (2 * B) < B ? 1 : 0)),
    );
    const gTargetRows = this.mem.create(
      'G target kinds',
      MAX_GAN_ITERATIONS * B * 4,
      S | DST,
      new Uint32Array(MAX_GAN_ITERATIONS * B).fill(nonSaturating ? 2 : 1),
    );
    const ones = this.mem.create('D loss weights', 16, S | DST, new Float32Array([1, 1, 1, 1]));
    // The minimax generator minimises log(1 − D(G(z))) = −BCE(x, 0): a weight of −1 on target 0.
    const gWeights = this.mem.create('G loss weights', 16, S | DST, new Float32Array(nonSaturating ? [1, 1, 1, 1] : [-1, -1, -1, -1]));

    const widths = (spec: ModelSpec) => denseLayers(spec).map((l) => l.units);
    const gActs = [
      this.mem.create('z batch', B * L * 4, S),
      ...widths(this.g.spec)
        .slice(0, -1)
        .map((w, i) => this.mem.create(`G activations ${i}`, B * w * 4, S)),
    ];
    const dIn = this.mem.create('D input (fakes, then reals)', 2 * B * IMAGE_PIXELS * 4, S);
    gActs.push(dIn);
    const dActs = [dIn, ...widths(this.d.spec).map((w, i) => this.mem.create(`D activations ${i}`, 2 * B * w * 4, S))];
    const dWidest = Math.max(...widths(this.d.spec));
    const dDeltas: [GPUBuffer, GPUBuffer] = [this.mem.create('D delta 0', 2 * B * dWidest * 4, S), this.mem.create('D delta 1', 2 * B * dWidest * 4, S)];
    const gWidest = Math.max(...widths(this.g.spec));
    const gDeltas: [GPUBuffer, GPUBuffer] = [this.mem.create('G delta 0', B * gWidest * 4, S), this.mem.create('G delta 1', B * gWidest * 4, S)];

    const gather = new GatherKernel(device, maxDim);
    const pixelGather = new PixelGatherKernel(device, maxDim);
    const loss = new LossKernel(device);
    const optimizer = new OptimizerKernel(device, maxDim);
    const own = (r: OwnedDispatch) => (this.mem.adopt(r.uniform), r.dispatch);
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
    const built = (b: Built) => (b.uniforms.forEach((u) => this.mem.adopt(u)), b.dispatches);
    const gForward = built(buildForward(this.g.stack, B, gActs, 'G'));
    const logits = dActs.at(-1)!;
    const dStep = [
      own(gather.dispatch('D-step latents', latents(this.d), { src: this.io.zD, indices: zDRows, state: this.d.state, out: gActs[0]! })),
      ...gForward,
      own(
        pixelGather.dispatch(
          'real images',
          { capacity: B, width: IMAGE_PIXELS, outRow: B },
          { src: pixels, indices: this.io.realIndices, state: this.d.state, out: dIn },
        ),
      ),
      ...built(buildForward(this.d.stack, 2 * B, dActs, 'D')),
      own(
        loss.dispatch('D loss', 'sigmoid_bce', lossShape(this.d, 2 * B), {
          logits,
          targets,
          indices: dTargetRows,
          weights: ones,
          out: dDeltas[0],
          metrics: this.io.dMetrics,
          state: this.d.state,
        }),
      ),
      ...built(buildBackward(this.d.stack, 2 * B, dActs, dDeltas, 'D')),
      own(update(this.d, 'D arena')),
    ];
    const gStep = [
      own(gather.dispatch('G-step latents', latents(this.g), { src: this.io.zG, indices: zGRows, state: this.g.state, out: gActs[0]! })),
      ...gForward,
      ...built(buildForward(this.d.stack, B, dActs, 'D on fakes')),
      own(
        loss.dispatch('G loss', 'sigmoid_bce', lossShape(this.g, B), {
          logits,
          targets,
          indices: gTargetRows,
          weights: gWeights,
          out: dDeltas[0],
          metrics: this.io.gMetrics,
          state: this.g.state,
        }),
      ),
      ...built(buildBackward(this.d.stack, B, dActs, dDeltas, 'D to G', { weightGrads: false, inputGrad: { buffer: gDeltas[0], activation: 'tanh' } })),
      ...built(buildBackward(this.g.stack, B, gActs, gDeltas, 'G')),
      own(update(this.g, 'G arena')),
    ];
    this.iterationDispatches = { dStep, gStep };
    this.staging = new StagingPool(device);
    this.generator = new GanGenerator(device, this.g.stack, L, this.staging);
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
    // Every slot of D has 2·B rows, of G B rows.
    this.prepare(q, this.d, new Array(n * dSteps).fill(2 * B));
    this.prepare(q, this.g, new Array(n).fill(B));
    const encoder = this.ctx.device.createCommandEncoder({ label: `GAN ${n} iterations` });
    const pass = encoder.beginComputePass({ label: `GAN ${n} iterations` });
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < dSteps; j++) encodeDispatches(pass, this.iterationDispatches.dStep);
      encodeDispatches(pass, this.iterationDispatches.gStep);
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
      return { dLoss: dLoss / dSteps, dAccuracy: dCorrect / dSteps, gLoss: gm[o]! / B, dReal: dReal / dSteps, dFake: gm[o + (nonSaturating ? 2 : 3)]! / B };
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
