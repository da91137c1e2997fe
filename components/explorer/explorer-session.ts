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

/** What the explorer's own session shows; the element reads it, only the session changes it. */
export interface ExplorerSessionState {
  state: ExplorerState;
  /** The running explorer; null until built and after a stop. */
  explorer: ShaderExplorer | null;
  profile: ProfileReport | null;
  /** Adapter name and how kernels are timed. */
  device: string;
  steps: number;
  loss: number | null;
  error: string | null;
  missing: GpuMissing | null;
}

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
export class ExplorerSession implements ReactiveController, ExplorerSessionState {
  readonly state: ExplorerState = 'starting';
  readonly explorer: ShaderExplorer | null = null;
  readonly profile: ProfileReport | null = null;
  readonly device: string = '';
  readonly steps: number = 0;
  readonly loss: number | null = null;
  readonly error: string | null = null;
  readonly missing: GpuMissing | null = null;
  private ctx: GpuContext | null = null;
  private generation = 0;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Changes state (type-checked against ExplorerSessionState) without a redraw, for changes the next `patch` or redraw shows. */
  private set(p: Partial<ExplorerSessionState>): void {
    Object.assign(this, p);
  }

  /** Changes state like `set` and asks the host to redraw. */
  private patch(p: Partial<ExplorerSessionState>): void {
    this.set(p);
    this.host.requestUpdate();
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.stop();
  }

  /** Stops the loop and frees the explorer's buffers and pipelines. */
  stop(): void {
    this.generation++;
    this.explorer?.dispose();
    // No redraw: start() patches next, and a disconnected host has nothing to show.
    this.set({ explorer: null });
  }

  private fail(message: string): void {
    if (this.state === 'no-gpu') return;
    this.patch({ state: 'failed', error: message });
  }

  /** (Re)starts on `experiment`'s network (the default Iris one for null), on `gpu`'s device. */
  async start(experiment: ExperimentConfig | null, gpu: GPU | null | undefined = globalThis.navigator?.gpu): Promise<void> {
    this.stop();
    const generation = this.generation;
    this.patch({ state: 'starting', profile: null, steps: 0, loss: null, error: null });
    try {
      this.ctx ??= await acquireGpu((e) => this.fail(e.message), gpu, ['timestamp-query']);
      const ctx = this.ctx;
      // Shown at once: building the network (a timed matmul trial, pipelines) takes a while more.
      this.patch({ device: `${ctx.adapterName}${ctx.device.features.has('timestamp-query') ? '' : ' (no timestamp-query: CPU-side timing)'}` });
      const explorer = experiment
        ? await ShaderExplorer.fromExperiment(ctx, experiment, new MnistAssets(new URL('./data/', engineWorkerUrl())).source)
        : await ShaderExplorer.create(ctx);
      if (generation !== this.generation) return explorer.dispose();
      this.patch({ explorer, state: 'training' });
      await this.loop(generation, explorer);
    } catch (e) {
      if (generation !== this.generation) return;
      if (e instanceof GpuUnavailableError) {
        this.patch({ state: 'no-gpu', missing: { reason: e.reason, missing: MISSING[e.reason], why: e.message } });
      } else {
        this.fail(e instanceof Error ? e.message : String(e));
      }
    }
  }

  /**
   * Why the kernels cannot run yet, in words, while the session starts or after it failed; null
   * once the explorer is built (and in 'no-gpu', which says what is missing instead).
   */
  get waitingFor(): string | null {
    if (this.explorer || this.state === 'no-gpu') return null;
    if (this.state === 'failed') return 'the GPU session failed to start (see above)';
    return this.device ? 'waiting for the GPU device to build the network…' : 'waiting for the GPU device…';
  }

  /** Pauses or resumes training; the kernels stay listed and editable either way. */
  toggle(): void {
    if (this.state !== 'training' && this.state !== 'paused') return;
    this.patch({ state: this.state === 'training' ? 'paused' : 'training' });
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
      this.set({ steps: explorer.steps.length, loss: metrics.reduce((s, m) => s + m.loss, 0) / metrics.length });
      if (performance.now() - lastProfile > PROFILE_EVERY_MS) {
        this.set({ profile: await explorer.profile() });
        lastProfile = performance.now();
      }
      this.host.requestUpdate();
      // Let the page paint and handle input between submits.
      await sleep(0);
    }
  }
}
