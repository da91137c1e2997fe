// The engine controller's session half: building, replacing and freeing the experiment's session
// in the engine worker, and reading back what the views show. Training (play, pause, step, epoch,
// device-loss resumes) is EngineController's, in engine-controller.ts.
import type { ReactiveControllerHost } from 'lit';
import type { ExperimentConfig } from '../../src/config/experiment.ts';
import type { LabeledTable } from '../../src/data/dataset.ts';
import type { OptimizerConfig } from '../../src/nn/optimizer.ts';
import type { BoundaryGrid, EpochRecord, HealthReport, NeuronMaps, SessionEvent, SessionInfo, SplitEvaluation } from '../../src/worker/api.ts';
import type { HealthPoint } from '../charts/sp-health-panel.ts';
import { NO_EXPERIMENT, type EngineState, type LoadingState, type RecoveryAction } from './engine-state.ts';
import { MultiRunController } from '../runs/multi-run-controller.ts';
import { nextJobId } from '../../src/worker/shared-client.ts';
import { RunTracker, WorkerController, type ControllerStatus } from '../shared/worker-controller.ts';

/** Cells per side of each neuron's map (the diagram draws them small; the detail view scales them up). */
export const NEURON_MAP_RESOLUTION = 32;

/**
 * The session half of EngineController: builds the experiment's session in the engine worker
 * (cancelling a build a newer one replaced), frees it on a rebuild or when the element leaves,
 * runs work on it only while it is current, and re-reads what the views show. The state lives
 * here; EngineController adds training on top.
 */
export abstract class EngineSession extends WorkerController<EngineState> implements EngineState {
  declare readonly status: ControllerStatus;
  declare readonly error: string | null;
  declare readonly info: SessionInfo | null;
  declare readonly history: EpochRecord[];
  declare readonly steps: number;
  declare readonly test: SplitEvaluation | null;
  declare readonly validation: SplitEvaluation | null;
  declare readonly stepsPerSecond: number;
  declare readonly boundary: BoundaryGrid | null;
  declare readonly params: Float32Array | null;
  declare readonly notice: string | null;
  declare readonly action: RecoveryAction;
  declare readonly earlyStop: { stoppedEpoch: number; bestEpoch: number } | null;
  declare readonly pausing: boolean;
  declare readonly stepping: boolean;
  declare readonly loading: LoadingState | null;
  declare readonly neuronMaps: NeuronMaps | null;
  declare readonly health: HealthReport | null;
  declare readonly healthCourse: HealthPoint[];
  /** True while the health panel is open: only then is health read (on the reference, it costs a forward and backward pass). */
  private healthOn = false;

  /** False where the network diagram is not shown (a compact embed): its neuron maps are then not computed. */
  mapsWanted = true;

  /** Opens or closes the health panel's readings; opening reads at once. */
  showHealth(on: boolean): void {
    this.healthOn = on;
    if (on) void this.refresh();
  }
  /** Cross-validation, ensembles and optimizer races of the built experiment. */
  readonly multi: MultiRunController;
  /** Shortest time between two view refreshes while training, in milliseconds. */
  refreshInterval = 400;
  private built: { config: ExperimentConfig; table: LabeledTable | null } | null = null;
  private building: Promise<void> = Promise.resolve();
  private refreshing = false;
  private refreshAgain = false;
  private lastRefresh = 0;
  protected sessionId: number | null = null;
  /** The job id of the build in flight, to cancel it when a newer one replaces it. */
  private buildJob: number | null = null;
  /** A live optimizer change that came while the model was being built. */
  private pendingOptimizer: OptimizerConfig | null = null;
  /** The current training run; a new build or a release ends it. */
  protected readonly runs = new RunTracker();
  /** Counts builds and releases: work asked for under an older value belongs to a replaced model. */
  protected generation = 0;

  constructor(host: ReactiveControllerHost, workerUrl: URL | (() => URL)) {
    super(host, workerUrl, NO_EXPERIMENT);
    this.multi = new MultiRunController(
      host,
      () => this.engine(),
      () => (this.built ? { ...this.built, generation: this.generation } : null),
      () => this.generation,
    );
  }

  protected override workerDied(e: Error): void {
    this.fail(e, { action: 'restart' });
  }

  /** After a dead worker: one new worker (shared by every widget), and the same experiment. */
  async restart(): Promise<void> {
    if (this.built) await this.build(this.built.config, this.built.table);
  }

  /** Frees the session, cancels its build and any job, at once: nothing about the old experiment is awaited. */
  private dropSession(): void {
    const [id, build] = [this.sessionId, this.buildJob];
    this.generation++;
    [this.sessionId, this.buildJob] = [null, null];
    this.runs.end();
    this.multi.cancel();
    const client = this.liveClient();
    if (build !== null) client?.cancelJob(build).catch(() => undefined);
    if (id !== null) client?.disposeSession(id).catch(() => undefined);
  }

  protected override async release(): Promise<void> {
    this.dropSession();
    this.multi.reset();
    this.patch(NO_EXPERIMENT);
  }

  protected override async restore(): Promise<void> {
    if (this.built) await this.build(this.built.config, this.built.table);
  }

  /** Builds (or rebuilds) the experiment; the previous session is disposed. */
  build(config: ExperimentConfig, table: LabeledTable | null = null): Promise<void> {
    this.building = this.buildNow(config, table);
    return this.building;
  }

  /** Resolves once the latest build has finished (or failed). */
  whenBuilt(): Promise<void> {
    return this.building;
  }

  private async buildNow(config: ExperimentConfig, table: LabeledTable | null): Promise<void> {
    this.built = { config, table };
    this.weightEdited = false;
    this.pendingOptimizer = null;
    this.dropSession();
    const generation = this.generation;
    this.multi.reset();
    this.patch({ ...NO_EXPERIMENT, status: 'building' });
    const build = nextJobId();
    this.buildJob = build;
    try {
      // Auto's decision behind the CPU may move the run to WebGPU (or say why not) later on;
      // the worker sends it only after the build's answer.
      const onEvent = (e: SessionEvent) => {
        if (generation !== this.generation) return;
        if (e.type === 'loading') return this.patchSoon({ loading: { ...e, preview: e.preview ?? this.loading?.preview ?? null } });
        if (this.info) this.patch({ info: { ...this.info, ...e.status } });
      };
      const { id, info } = await this.engine().createSession(config, table, build, onEvent);
      if (this.buildJob === build) this.buildJob = null;
      if (generation !== this.generation) {
        this.liveClient()
          ?.disposeSession(id)
          .catch(() => undefined);
        return;
      }
      this.sessionId = id;
      const live = this.pendingOptimizer;
      this.pendingOptimizer = null;
      // Sent before anything else can be (the worker answers in order), so no step uses the old rate.
      if (live) void this.onSession((sid) => this.engine().setOptimizer(sid, live)).catch((e: unknown) => this.fail(e));
      this.patch({ info, status: 'ready', loading: null });
      void this.refresh();
    } catch (e) {
      if (this.buildJob === build) this.buildJob = null;
      if (generation === this.generation) this.fail(e);
    }
  }

  /** Runs `work` on the current session; its result counts only if the session is still current. */
  protected async onSession<T>(work: (id: number) => Promise<T>): Promise<{ value: T } | null> {
    const id = this.sessionId;
    if (id === null) return null;
    try {
      const value = await work(id);
      return id === this.sessionId ? { value } : null;
    } catch (e) {
      if (id !== this.sessionId) return null;
      throw e;
    }
  }

  /** Like onSession, but without a current session (or when it was replaced meanwhile) it throws. */
  private async onModel<T>(work: (id: number) => Promise<T>): Promise<T> {
    const r = await this.onSession(work);
    if (!r) throw new Error('There is no model yet');
    return r.value;
  }

  /** The current parameter arena, e.g. to save it. */
  snapshot(): Promise<Float32Array> {
    return this.onModel((id) => this.engine().snapshot(id));
  }

  /** Raw features of rows of a split, by position within it. */
  splitRows(split: 'train' | 'validation' | 'test', positions: number[]): Promise<Float32Array> {
    return this.onModel((id) => this.engine().splitRows(id, split, positions));
  }

  /** Replaces the model's parameters (same network) and redraws the views. */
  async loadParams(params: Float32Array): Promise<void> {
    await this.onModel((id) => this.engine().loadParams(id, params));
    await this.refresh();
  }

  /** Forgets Auto's trials remembered in this browser (every widget's); the next build of each network times both backends again. */
  async forgetTrials(): Promise<void> {
    try {
      await this.engine().clearBackendTrials();
      this.patch({ notice: "Auto's remembered trials are forgotten: the next build of each network times both backends again." });
    } catch (e) {
      this.patch({ notice: `Auto's remembered trials could not be forgotten: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  /** True once a weight was typed into this model: its curve is no longer the experiment's alone. */
  weightEdited = false;

  /** Sets one weight at once, even while training, and redraws; a refusal becomes the notice. */
  async setWeight(edit: { layer: number; from: number; to: number; value: number }): Promise<void> {
    try {
      await this.onModel((id) => this.engine().setWeight(id, edit.layer, edit.from, edit.to, edit.value));
      this.weightEdited = true;
      this.patch({
        notice: `Weight from ${edit.layer === 0 ? 'input' : `hidden ${edit.layer} unit`} ${edit.from + 1} to unit ${edit.to + 1} of layer ${edit.layer + 1} set to ${edit.value}; the run goes on from it.`,
      });
      await this.refresh();
    } catch (e) {
      this.patch({ notice: `The weight was not changed: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  /** Changes optimizer hyperparameters without a reset; during a build, once the model exists. */
  async setOptimizer(cfg: OptimizerConfig): Promise<void> {
    if (this.sessionId === null) this.pendingOptimizer = cfg;
    await this.onSession((id) => this.engine().setOptimizer(id, cfg));
  }

  /**
   * Re-reads what the views show (evaluations, parameters, boundary) from the worker. At most
   * one refresh runs at a time; while training, they are spaced by `refreshInterval`.
   */
  async refresh(force = true): Promise<void> {
    if (this.sessionId === null) return;
    if (this.refreshing) {
      // A forced refresh must show the state after whatever asked for it (a stop, a load).
      this.refreshAgain ||= force;
      return;
    }
    if (!force && performance.now() - this.lastRefresh < this.refreshInterval) return;
    this.refreshing = true;
    this.lastRefresh = performance.now();
    try {
      const engine = this.engine();
      const points = this.info?.points;
      const r = await this.onSession((id) =>
        Promise.all([
          engine.evaluate(id, 'validation'),
          engine.evaluate(id, 'test'),
          engine.snapshot(id),
          points ? engine.boundary(id, 64) : Promise.resolve(null),
          points && this.mapsWanted ? engine.neuronMaps(id, NEURON_MAP_RESOLUTION) : Promise.resolve(null),
          this.healthOn ? engine.health(id) : Promise.resolve(null),
        ]),
      );
      if (r) {
        const [validation, test, params, boundary, neuronMaps, health] = r.value;
        const course = health ? [...this.healthCourse, { step: health.step, ratios: health.layers.map((l) => l.updateRatio) }].slice(-500) : this.healthCourse;
        this.patchSoon({ validation, test, params, boundary, neuronMaps, ...(health ? { health, healthCourse: course } : {}) });
      }
    } catch (e) {
      this.fail(e);
    } finally {
      this.refreshing = false;
      if (this.refreshAgain) {
        this.refreshAgain = false;
        void this.refresh();
      }
    }
  }
}
