import type { OptimizerConfig } from '../nn/optimizer.ts';
import type { BatchBackend, StepMetric } from './training-backend.ts';
import { ModelRun, type ModelPlan } from './model-run.ts';
import { CHECKPOINT_EVERY, DivergenceError, type Checkpoint, type EpochRecord } from './records.ts';
import { whileTiming } from './backend-trial.ts';
import { Handover } from './handover.ts';
import { takeSteps, type Part } from './submit-part.ts';

/** Trainer settings shared by every model of a batch. */
export interface BatchTrainerOptions {
  /** Steps encoded per GPU submit (and per metrics readback). */
  stepsPerSubmit: number;
  /** False for regression heads, where accuracy is meaningless. */
  classification: boolean;
  /** A CPU-side checkpoint is taken at least every this many steps; Infinity: none. */
  checkpointEvery?: number;
  /**
   * What a NaN or infinite loss or weight does: `rollback` restores every model's last finite
   * checkpoint and throws a DivergenceError (a single model, which the person then fixes);
   * `stop` marks that model diverged and the others go on (a sweep's "too large a rate").
   */
  onDivergence: 'rollback' | 'stop';
  /** Submits that may await their readback at once (default IN_FLIGHT). */
  inFlight?: number;
  /**
   * False ends every submit at the nearest end of an epoch (the way the engine used to run): for
   * tests that prove chunks across epochs train the same bits. Default true.
   */
  crossEpochs?: boolean;
}

/**
 * Submits in flight by default. A browser that resolves readbacks on a slow poll (Firefox: about
 * every 100 ms) would otherwise leave the GPU idle between two submits.
 */
export const IN_FLIGHT = 4;

/** Called after each finished epoch of model `model`. */
export type EpochListener = (model: number, record: EpochRecord) => void;

interface Pending {
  metrics: Promise<StepMetric[][]>;
  /** The models that trained in this submit. */
  parts: Part[];
  /** Every model's arena right after the steps, when a checkpoint or early stopping needs it. */
  params: Promise<Float32Array> | null;
  /** Per model, the state its checkpoint or epoch end records. */
  marks: Map<number, { step: number; epochs: number; schedule: Checkpoint['schedule']; checkpoint: boolean; epochEnd: boolean }>;
}

/**
 * Drives N models of one shape through the same submits: each takes its own batches from its
 * seeded schedule, is evaluated on its own validation rows at its epochs' ends, and stops on its
 * own (its epochs done, early stopping, divergence) while the others go on. A single model is the
 * case N = 1 (see Trainer).
 */
export class BatchTrainer {
  readonly runs: ModelRun[];
  private readonly arenaFloats: number;

  constructor(
    private backendRef: BatchBackend,
    plans: ModelPlan[],
    readonly options: BatchTrainerOptions,
    initialParams: Float32Array[],
  ) {
    if (plans.length !== backendRef.models || initialParams.length !== plans.length)
      throw new Error(`a batch of ${backendRef.models} models needs as many plans and arenas`);
    this.runs = plans.map((plan, z) => new ModelRun(plan, initialParams[z]!));
    this.arenaFloats = initialParams[0]!.length;
  }

  /** The backend training now; replaced after a lost device, or when a faster one took over. */
  get backend(): BatchBackend {
    return this.backendRef;
  }

  private readonly handover = new Handover(
    () => this.backendRef,
    async (next) => {
      await next.setValidation(this.runs.map((r) => r.plan.validation));
      [this.backendRef, this.validationOn] = [next, next];
    },
  );

  /**
   * Moves training to `next` (a backend of the same models and shape) at the next submit
   * boundary, or at once when idle, if `wanted()` still holds then: every model's parameters,
   * optimizer moments, step count and live settings go with it, so the run goes on as one.
   * Resolves with the backend it left (the caller frees it), or null when no longer wanted.
   */
  offerBackend(next: BatchBackend, wanted: () => boolean = () => true): Promise<BatchBackend | null> {
    return this.handover.offer(next, wanted);
  }

  /** Changes model z's learning rate or regularization live; takes effect at the next submitted step. */
  setOptimizer(model: number, cfg: OptimizerConfig): void {
    const run = this.runs[model]!;
    // A schedule multiplies the live base rate from the next submitted step on.
    if (run.scheduled) run.base = { ...cfg };
    this.backendRef.setOptimizer(model, cfg);
  }

  /**
   * Trains until every model has reached its target epochs or stopped, calling `onEpoch` after
   * each model's epochs. `shouldStop` is polled between submits, so a pause lands within one chunk.
   */
  async train(onEpoch?: EpochListener, shouldStop: () => boolean = () => false, maxSteps = this.options.stepsPerSubmit): Promise<void> {
    const pending: Pending[] = [];
    const inFlight = this.options.inFlight ?? IN_FLIGHT;
    const release = await this.handover.hold();
    try {
      await this.ensureValidation();
      while (!shouldStop() && this.runs.some((r) => r.active)) {
        if (this.handover.offered) {
          while (pending.length) await this.settle(pending.shift()!, onEpoch);
          await this.handover.take();
        }
        // A backend trial times its steps alone (see timeQuietly).
        for (let quiet = whileTiming(); quiet; quiet = whileTiming()) await quiet;
        pending.push(this.submit(maxSteps));
        if (pending.length >= inFlight) await this.settle(pending.shift()!, onEpoch);
      }
      while (pending.length) await this.settle(pending.shift()!, onEpoch);
    } catch (e) {
      for (const p of pending) p.metrics.catch(() => undefined);
      if (e instanceof DivergenceError) await this.restore(this.runs.map((r) => r.checkpoint));
      throw e;
    } finally {
      release();
    }
    await this.finishEarlyStops();
  }

  /** One step of every model that is still training (the "one step" button). */
  async stepOnce(onEpoch?: EpochListener): Promise<void> {
    const release = await this.handover.hold();
    try {
      await this.ensureValidation();
      await this.settle(this.submit(1), onEpoch);
    } catch (e) {
      if (e instanceof DivergenceError) await this.restore(this.runs.map((r) => r.checkpoint));
      throw e;
    } finally {
      release();
    }
    await this.finishEarlyStops();
  }

  /**
   * Rewinds every model to a checkpoint on `backend` (a fresh one after a lost device, or the same
   * one after a divergence): parameters, batch schedule, step and epoch counts. Optimizer
   * moments restart.
   */
  async restore(checkpoints: Checkpoint[], backend: BatchBackend = this.backendRef): Promise<void> {
    this.backendRef = backend;
    await this.ensureValidation();
    await Promise.all(checkpoints.map((c, z) => backend.writeParams(z, c.params)));
    checkpoints.forEach((c, z) => this.runs[z]!.rewind(c));
  }

  private validationOn: BatchBackend | null = null;

  /** Hands the backend every model's validation rows once (again after a backend is replaced). */
  private async ensureValidation(): Promise<void> {
    if (this.validationOn === this.backendRef) return;
    await this.backendRef.setValidation(this.runs.map((r) => r.plan.validation));
    this.validationOn = this.backendRef;
  }

  /**
   * For every model that early stopping ended: rewinds its schedule to the stop epoch's end and
   * writes back the best epoch's weights exactly as they were read right after its steps.
   * Queue order puts the write after any steps still submitted for it. Optimizer moments restart.
   */
  private async finishEarlyStops(): Promise<void> {
    const writes: Promise<void>[] = [];
    this.runs.forEach((run, z) => {
      const stop = run.stopEnd;
      if (!stop) return;
      run.stopEnd = null;
      const backend = this.backendRef;
      // A model lost meanwhile has no weights to write back: it is marked lost below, not an error.
      const write = backend.writeParams(z, run.best!.params).catch((e: unknown) => {
        if (!backend.lost?.has(z)) throw e;
      });
      writes.push(write);
      run.rewind(stop);
      run.checkpoint = { ...stop, params: run.best!.params };
    });
    await Promise.all(writes);
    this.markLost();
  }

  private submit(maxSteps: number): Pending {
    const backend = this.backendRef;
    const N = this.runs.length;
    const cap = Math.max(...this.runs.map((r) => r.plan.batchSize));
    const active = this.runs.map((r, z) => ({ r, z })).filter(({ r }) => r.active);
    // A submit ends where the host is needed between epochs: early stopping reads a model's
    // weights right after its epoch's steps. Otherwise it runs across epochs, each model's
    // validation scored inside it.
    let steps = Math.min(maxSteps, Math.max(...active.map(({ r }) => r.stepsToTarget)));
    for (const { r } of active) if (r.stopper || this.options.crossEpochs === false) steps = Math.min(steps, r.stepsToEpochEnd);
    const batchIndices = new Uint32Array(N * steps * cap);
    const rows = new Uint32Array(N * steps);
    const rates = new Float64Array(N * steps).fill(NaN);
    const validateAfter = new Uint8Array(N * steps);
    const marks: Pending['marks'] = new Map();
    const parts: Part[] = [];
    for (const { r, z } of active) {
      const part = takeSteps(r, z, steps, { batchIndices, rows, rates, validateAfter, cap });
      parts.push(part);
      const checkpoint = r.submitted - r.lastCheckpointAt >= (this.options.checkpointEvery ?? CHECKPOINT_EVERY);
      if (checkpoint) r.lastCheckpointAt = r.submitted;
      const epochEnd = r.stopper !== null && part.ends.has(part.steps - 1);
      if (checkpoint || epochEnd) marks.set(z, { step: r.submitted, epochs: r.schedule.currentEpoch, schedule: r.schedule.save(), checkpoint, epochEnd });
    }
    const scheduled = active.some(({ r }) => r.scheduled);
    const validates = validateAfter.some(Boolean);
    const metrics = backend.runSteps({ steps, batchIndices, rows, ...(scheduled ? { learningRates: rates } : {}), ...(validates ? { validateAfter } : {}) });
    // Read right after the steps, so the backend's queue order makes these the weights after them.
    const params = marks.size ? backend.readParams() : null;
    // If the steps fail first, this is never awaited: mark its rejection as handled.
    params?.catch(() => undefined);
    return { metrics, parts, params, marks };
  }

  private async settle(p: Pending, onEpoch?: EpochListener): Promise<void> {
    const metrics = await p.metrics;
    const params = p.params ? await p.params : null;
    // A lost model's metrics and weights are placeholders: it stops here, the others go on.
    this.markLost();
    for (const part of p.parts) {
      const z = part.model;
      const run = this.runs[z]!;
      // A model that stopped in an earlier submit ignores the steps submitted before it stopped.
      if (run.status !== 'training') continue;
      const mark = p.marks.get(z);
      const arena = params && mark ? params.slice(z * this.arenaFloats, (z + 1) * this.arenaFloats) : null;
      for (let s = 0; s < part.steps; s++) {
        const m = metrics[z]![s]!;
        if (!this.record(z, m)) break;
        const epoch = part.ends.get(s);
        if (epoch === undefined) continue;
        const validation = m.validation ?? null;
        const record = run.epochRecord(epoch, validation, this.options.classification);
        if (run.stopper) run.earlyStopping(record, { ...mark!, params: arena! });
        run.history.push(record);
        onEpoch?.(z, record);
      }
      if (run.status === 'training' && mark?.checkpoint) this.checkpointed(z, { ...mark, params: arena! });
    }
  }

  /** Appends one step's metrics to model z; false when it diverged (and the batch goes on without it). */
  private record(z: number, m: StepMetric): boolean {
    const run = this.runs[z]!;
    run.steps.push(m);
    if (!Number.isFinite(m.loss)) return this.diverged(z, { step: run.steps.length, what: 'loss', value: m.loss });
    return true;
  }

  /** Keeps a checkpoint when every weight is finite; false when one is not (a divergence). */
  private checkpointed(z: number, c: Checkpoint): boolean {
    const bad = c.params.find((v) => !Number.isFinite(v));
    if (bad !== undefined) return this.diverged(z, { step: c.step, what: 'weights', value: bad });
    this.runs[z]!.checkpoint = c;
    return true;
  }

  /**
   * Stops every model the backend gave up (BatchBackend.lost), keeping why: like a diverged one,
   * it takes no more steps and the others go on. Its weights are gone, so this holds for one that
   * had finished too. Called after each submit; callers that evaluate after training call it again.
   */
  markLost(): void {
    for (const [z, why] of this.backendRef.lost ?? []) {
      const run = this.runs[z]!;
      if (run.status === 'lost' || run.status === 'diverged') continue;
      run.status = 'lost';
      run.lost = why;
      run.stopEnd = null;
    }
  }

  private diverged(z: number, d: { step: number; what: 'loss' | 'weights'; value: number }): false {
    const run = this.runs[z]!;
    if (this.options.onDivergence === 'rollback') throw new DivergenceError(d.step, d.what, d.value, run.checkpoint.step);
    run.status = 'diverged';
    run.divergence = d;
    return false;
  }
}
