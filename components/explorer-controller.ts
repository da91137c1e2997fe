import type { ReactiveControllerHost } from 'lit';
import { acquireGpu, type GpuContext } from '../src/gpu/device.ts';
import { ShaderExplorer } from '../src/explorer/explorer.ts';
import type { ProfileReport } from '../src/explorer/profiler.ts';
import type { ExplorerApi } from './sp-shader-explorer.ts';
import { HostController, type ControllerState, type ControllerStatus } from './worker-controller.ts';

/** The element this drives: it shows whatever explorer and profile it is given. */
export type ExplorerHost = ReactiveControllerHost & { explorer: ExplorerApi | null; profile: ProfileReport | null };

/** Steps per submit and the time between two profiles while the explorer trains on its own. */
const STEPS_PER_SUBMIT = 8;
const PROFILE_EVERY_MS = 500;

/** Where a self-running explorer stands. */
export interface OwnExplorerState extends ControllerState {
  /** The adapter it runs on. */
  device: string | null;
}

const NOTHING: OwnExplorerState = { status: 'idle', error: null, device: null };

/**
 * Lets `<sp-shader-explorer>` work on its own in a page (the authors' table offers it alone):
 * a device of its own, the default Iris network training on it while each kernel is timed, paused
 * while the tab is hidden. Removed from the page it stops and destroys its device; re-added, it
 * starts again. A page that supplies its own ShaderExplorer never starts this one.
 */
export class OwnExplorerController extends HostController<OwnExplorerState> implements OwnExplorerState {
  declare readonly status: ControllerStatus;
  declare readonly error: string | null;
  declare readonly device: string | null;
  /** Bumped by every start and release: a loop of an older start stops at its next submit. */
  private generation = 0;
  private ctx: GpuContext | null = null;
  private own: ShaderExplorer | null = null;
  private wasStarted = false;

  constructor(private readonly element: ExplorerHost) {
    super(element, NOTHING);
  }

  /** Acquires a device, builds the explorer and trains until released. */
  async start(): Promise<void> {
    if (this.status === 'building' || this.status === 'ready') return;
    const generation = ++this.generation;
    this.patch({ ...NOTHING, status: 'building' });
    try {
      const ctx = await acquireGpu(undefined, undefined, ['timestamp-query']);
      if (generation !== this.generation) return ctx.device.destroy();
      this.ctx = ctx;
      const explorer = await ShaderExplorer.create(ctx);
      if (generation !== this.generation) return explorer.dispose();
      this.own = explorer;
      this.element.explorer = explorer;
      this.patch({ status: 'ready', device: ctx.adapterName });
      await this.train(explorer, generation);
    } catch (e) {
      if (generation === this.generation) this.fail(e);
    }
  }

  private async train(explorer: ShaderExplorer, generation: number): Promise<void> {
    let lastProfile = 0;
    while (generation === this.generation) {
      if (document.visibilityState === 'hidden') {
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      await explorer.trainSteps(STEPS_PER_SUBMIT);
      if (performance.now() - lastProfile > PROFILE_EVERY_MS && generation === this.generation) {
        const profile = await explorer.profile();
        lastProfile = performance.now();
        if (generation === this.generation) this.element.profile = profile;
      }
      // Let the page paint and handle input between submits.
      await new Promise((r) => setTimeout(r, 0));
    }
  }

  protected override async release(): Promise<void> {
    this.wasStarted = this.status !== 'idle';
    this.generation++;
    if (this.own) {
      if (this.element.explorer === this.own) [this.element.explorer, this.element.profile] = [null, null];
      this.own.dispose();
      this.own = null;
    }
    this.ctx?.device.destroy();
    this.ctx = null;
    this.patch(NOTHING);
  }

  protected override async restore(): Promise<void> {
    if (this.wasStarted) await this.start();
  }
}
