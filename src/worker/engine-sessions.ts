// The engine's live sessions by id and their background training loops. Separate from the
// engine itself, which composes this with the multi-run jobs and the GAN runs: everything here
// works on one session that already exists.
import * as Comlink from 'comlink';
import type { DataSplits } from '../data/dataset.ts';
import type { GpuContext } from '../gpu/device.ts';
import { GpuFailureError } from '../gpu/errors.ts';
import { arenaLayout } from '../nn/arena.ts';
import type { OptimizerConfig } from '../nn/optimizer.ts';
import type { StepMetric } from '../train/training-backend.ts';
import type { BoundaryGrid, Session } from '../train/session.ts';
import type { NeuronMaps } from '../train/neuron-maps.ts';
import type { HealthReport } from '../train/health.ts';
import { DivergenceError, type EpochRecord } from '../train/trainer.ts';
import type { SplitEvaluation, TrainEvent, TrainFailure } from './api.ts';

interface Running {
  session: Session;
  training: Promise<void> | null;
  stopRequested: boolean;
  /** Set by disposeSession: the session's events are no longer sent. */
  disposed: boolean;
}

/**
 * The sessions of one engine, by the ids it hands out: their training loops, single steps,
 * evaluations and reads, each refused on a session that is training where it would race it.
 */
export class EngineSessions {
  private sessions = new Map<number, Running>();
  private nextId = 1;

  /** Sessions alive now. */
  get count(): number {
    return this.sessions.size;
  }

  /** Registers a newly built session, idle, and returns its id. */
  add(session: Session): number {
    const id = this.nextId++;
    this.sessions.set(id, { session, training: null, stopRequested: false, disposed: false });
    return id;
  }

  private get(id: number): Running {
    const running = this.sessions.get(id);
    if (!running) throw new Error(`No session ${id}: it was disposed or never created`);
    return running;
  }

  private idle(id: number): Running {
    const running = this.get(id);
    if (running.training) throw new Error(`Session ${id} is training; pause it first`);
    return running;
  }

  /** Starts training in the background; its epochs, its end and its failure come as events. */
  async startTraining(id: number, epochs: number, onEvent: (e: TrainEvent) => void): Promise<void> {
    const running = this.idle(id);
    running.stopRequested = false;
    const trainer = running.session.trainer;
    // A disposed session's run ends by itself (its buffers are gone); nobody listens any more.
    const emit = (e: TrainEvent) => {
      if (!running.disposed) onEvent(e);
    };
    running.training = trainer
      .trainEpochs(
        epochs,
        (record) => emit({ type: 'epoch', record }),
        () => running.stopRequested,
      )
      .then(() => {
        const early = trainer.earlyStop;
        if (early) emit({ type: 'stopped', reason: 'early-stopped', epoch: trainer.epoch, stoppedEpoch: early.stoppedEpoch, bestEpoch: early.bestEpoch });
        else emit({ type: 'stopped', reason: running.stopRequested ? 'paused' : 'done', epoch: trainer.epoch });
      })
      .catch((e: unknown) => {
        const error = e instanceof Error ? e : new Error(String(e));
        const restoredStep = error instanceof DivergenceError ? error.restoredStep : null;
        emit({ type: 'error', message: error.message, name: error.name, kind: failureKind(error), restoredStep });
      })
      .finally(() => {
        running.training = null;
      });
  }

  /** Asks the training loop to stop and waits until it has. */
  async pause(id: number): Promise<void> {
    const running = this.get(id);
    running.stopRequested = true;
    await running.training;
  }

  /** One step on an idle session. */
  async step(id: number): Promise<StepMetric> {
    return this.exclusive(id, (trainer) => trainer.step());
  }

  /** One epoch on an idle session. */
  async epoch(id: number): Promise<EpochRecord> {
    return this.exclusive(id, async (trainer) => (await trainer.trainEpochs(1))[0]!);
  }

  /** Runs a step or an epoch on an idle session; training cannot start until it is done. */
  private async exclusive<T>(id: number, work: (trainer: Session['trainer']) => Promise<T>): Promise<T> {
    const running = this.idle(id);
    const result = work(running.session.trainer);
    const done = result.then(
      () => undefined,
      () => undefined,
    );
    running.training = done;
    void done.then(() => {
      if (running.training === done) running.training = null;
    });
    return result;
  }

  /** Loss, accuracy and outputs on one split, the outputs transferred rather than copied. */
  async evaluate(id: number, split: keyof DataSplits): Promise<SplitEvaluation> {
    const { session } = this.get(id);
    const r = await session.evaluate(split);
    const accuracy = session.info.spec.loss === 'mse' || r.rows === 0 ? null : r.correct / r.rows;
    const result: SplitEvaluation = { split, loss: r.loss, accuracy, rows: r.rows, outputs: r.outputs };
    return Comlink.transfer(result, [r.outputs.buffer]);
  }

  /** Predicted class and confidence (a regression's predicted value) over a `resolution`² grid of a 2-D dataset's plane, transferred. */
  async boundary(id: number, resolution: number): Promise<BoundaryGrid> {
    if (!Number.isInteger(resolution) || resolution < 2 || resolution > 256) throw new Error(`boundary resolution must be 2 to 256, got ${resolution}`);
    const grid = await this.get(id).session.boundary(resolution);
    return Comlink.transfer(grid, [grid.classes.buffer, grid.confidence.buffer, ...(grid.values ? [grid.values.buffer] : [])]);
  }

  /** Every hidden unit's and output's map over a `resolution`² grid of a 2-D dataset's plane, transferred. */
  async neuronMaps(id: number, resolution: number): Promise<NeuronMaps> {
    if (!Number.isInteger(resolution) || resolution < 2 || resolution > 128) throw new Error(`neuron map resolution must be 2 to 128, got ${resolution}`);
    const maps = await this.get(id).session.neuronMaps(resolution);
    return Comlink.transfer(
      maps,
      maps.layers.map((l) => l.values.buffer),
    );
  }

  /** Per-layer training health of the current weights (histograms, dead units, update ratio). */
  async health(id: number): Promise<HealthReport> {
    return this.get(id).session.health();
  }

  /** The current parameter arena, transferred. */
  async snapshot(id: number): Promise<Float32Array> {
    const params = await this.get(id).session.snapshot();
    return Comlink.transfer(params, [params.buffer]);
  }

  /** Replaces an idle session's parameters, checked against its arena first. */
  async loadParams(id: number, params: Float32Array): Promise<void> {
    const { session } = this.idle(id);
    const expected = arenaLayout(session.info.spec).totalFloats;
    if (params.length !== expected) throw new Error(`the parameters have ${params.length} values but this network's arena holds ${expected}`);
    if (!params.every(Number.isFinite)) throw new Error('the parameters contain NaN or infinite values');
    await session.loadParams(params);
  }

  /** After a lost device: continues an idle session on a fresh one from `device`; resolves with the step it resumes from. */
  async recover(id: number, device: () => Promise<GpuContext>): Promise<number> {
    return this.idle(id).session.recover(device);
  }

  /** Sets one weight live, even while training (the run goes on from it). */
  async setWeight(id: number, layer: number, from: number, to: number, value: number): Promise<void> {
    return this.get(id).session.setWeight(layer, from, to, value);
  }

  /** Changes learning rate or regularization live, even while training. */
  async setOptimizer(id: number, cfg: OptimizerConfig): Promise<void> {
    this.get(id).session.trainer.setOptimizer(cfg);
  }

  /** Feature rows of one split by their positions in it (at most 256), transferred. */
  async splitRows(id: number, split: keyof DataSplits, positions: number[]): Promise<Float32Array> {
    const { data } = this.get(id).session;
    const rows = data.splits[split];
    const width = data.table.inputSize;
    const out = new Float32Array(positions.length * width);
    positions.slice(0, 256).forEach((k, n) => {
      if (!Number.isInteger(k) || k < 0 || k >= rows.length) throw new Error(`no row ${k} in the ${split} split`);
      out.set(data.table.features.subarray(rows[k]! * width, (rows[k]! + 1) * width), n * width);
    });
    return Comlink.transfer(out, [out.buffer]);
  }

  /**
   * Frees a session without waiting for it. Its training is told to stop and its events are no
   * longer sent; its buffers go as soon as the chunk in flight has ended, never under it (a
   * readback that never comes back ends at its deadline, which gives up the device instead).
   */
  async dispose(id: number): Promise<void> {
    const running = this.sessions.get(id);
    if (!running) return;
    this.sessions.delete(id);
    running.disposed = true;
    running.stopRequested = true;
    const release = () => running.session.dispose();
    if (running.training) void running.training.then(release);
    else release();
  }
}

function failureKind(error: Error): TrainFailure {
  if (error instanceof DivergenceError) return 'divergence';
  if (error instanceof GpuFailureError && error.kind === 'device-lost') return 'device-lost';
  return 'other';
}
