import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ExperimentConfig } from '../../src/config/experiment.ts';
import { acquireGpu, type GpuContext } from '../../src/gpu/device.ts';
import { GpuUnavailableError, type GpuUnavailableReason } from '../../src/gpu/errors.ts';
import { ShaderExplorer } from '../../src/explorer/explorer.ts';
import type { ProfileReport } from '../../src/explorer/profiler.ts';
import { initParams } from '../../src/nn/init.ts';
import { MnistAssets } from '../../src/worker/assets.ts';
import { engineWorkerUrl } from '../../src/worker/worker-url.ts';

const STEPS_PER_SUBMIT = 8;
const PROFILE_EVERY_MS = 500;

/** Why no kernel can run here, in words: what is missing and the browser's reason. */
export interface GpuMissing {
  reason: GpuUnavailableReason;
  /** "WebGPU", "a GPU adapter" or "a GPU device". */
  missing: string;
  why: string;
}

const MISSING: Record<GpuUnavailableReason, string> = { 'no-webgpu': 'WebGPU', 'no-adapter': 'a GPU adapter', 'device-request-failed': 'a GPU device' };

/** Where the explorer's own training stands. */
export type ExplorerState = 'starting' | 'training' | 'paused' | 'no-gpu' | 'failed';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** "Iris, hidden 16 relu, 16 relu, adam" for the network a session trains. */
export function networkText(config: ExperimentConfig | null): string {
  if (!config) return 'Iris, hidden 16 relu, 16 relu, adam (the default)';
  return `${config.dataset.name}, hidden ${config.hidden.map((l) => `${l.units} ${l.activation}`).join(', ') || 'none'}, ${config.optimizer.kind}`;
}

/**
 * The shader explorer's own device and training loop: acquires a GPU (with timestamp queries
 * where the adapter has them), builds a ShaderExplorer for the experiment (or the small default
 * Iris network), trains it submit after submit and profiles every kernel. Without WebGPU, an
 * adapter or a device it ends in 'no-gpu' and says what is missing and why.
 */
export class ExplorerSession implements ReactiveController {
  state: ExplorerState = 'starting';
  explorer: ShaderExplorer | null = null;
  profile: ProfileReport | null = null;
  /** Adapter name and how kernels are timed. */
  device = '';
  steps = 0;
  loss: number | null = null;
  error: string | null = null;
  missing: GpuMissing | null = null;
  private ctx: GpuContext | null = null;
  private generation = 0;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.stop();
  }

  /** Stops the loop and frees the explorer's buffers and pipelines. */
  stop(): void {
    this.generation++;
    this.explorer?.dispose();
    this.explorer = null;
  }

  private fail(message: string): void {
    if (this.state === 'no-gpu') return;
    Object.assign(this, { state: 'failed', error: message });
    this.host.requestUpdate();
  }

  /** (Re)starts on `experiment`'s network (the default Iris one for null), on `gpu`'s device. */
  async start(experiment: ExperimentConfig | null, gpu: GPU | null | undefined = globalThis.navigator?.gpu): Promise<void> {
    this.stop();
    const generation = this.generation;
    Object.assign(this, { state: 'starting', profile: null, steps: 0, loss: null, error: null });
    this.host.requestUpdate();
    try {
      this.ctx ??= await acquireGpu((e) => this.fail(e.message), gpu, ['timestamp-query']);
      const ctx = this.ctx;
      this.device = `${ctx.adapterName}${ctx.device.features.has('timestamp-query') ? '' : ' (no timestamp-query: CPU-side timing)'}`;
      const explorer = experiment
        ? await ShaderExplorer.fromExperiment(ctx, experiment, new MnistAssets(new URL('./data/', engineWorkerUrl())).source)
        : await ShaderExplorer.create(ctx);
      if (generation !== this.generation) return explorer.dispose();
      Object.assign(this, { explorer, state: 'training' });
      this.host.requestUpdate();
      await this.loop(generation, explorer);
    } catch (e) {
      if (generation !== this.generation) return;
      if (e instanceof GpuUnavailableError) {
        Object.assign(this, { state: 'no-gpu', missing: { reason: e.reason, missing: MISSING[e.reason], why: e.message } });
        this.host.requestUpdate();
      } else {
        this.fail(e instanceof Error ? e.message : String(e));
      }
    }
  }

  /** Pauses or resumes training; the kernels stay listed and editable either way. */
  toggle(): void {
    if (this.state !== 'training' && this.state !== 'paused') return;
    this.state = this.state === 'training' ? 'paused' : 'training';
    this.host.requestUpdate();
  }

  /** Puts the initial weights back; training continues from them. */
  async restart(): Promise<void> {
    const explorer = this.explorer;
    if (!explorer) return;
    await explorer.backend.writeParams(initParams(explorer.backend.batch.debugBuffers().spec, explorer.model.seed));
  }

  private async loop(generation: number, explorer: ShaderExplorer): Promise<void> {
    let lastProfile = 0;
    while (generation === this.generation && !this.ctx?.failure) {
      if (this.state !== 'training') {
        await sleep(100);
        continue;
      }
      const metrics = await explorer.trainSteps(STEPS_PER_SUBMIT);
      this.steps = explorer.steps.length;
      this.loss = metrics.reduce((s, m) => s + m.loss, 0) / metrics.length;
      if (performance.now() - lastProfile > PROFILE_EVERY_MS) {
        this.profile = await explorer.profile();
        lastProfile = performance.now();
      }
      this.host.requestUpdate();
      // Let the page paint and handle input between submits.
      await sleep(0);
    }
  }
}
