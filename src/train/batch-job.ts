import { remediesOf, validateExperiment, type ExperimentConfig } from '../config/experiment.ts';
import type { LoadedData } from '../data/load.ts';
import type { GpuContext } from '../gpu/device.ts';
import { initParams } from '../nn/init.ts';
import type { ModelSpec } from '../nn/spec.ts';
import { experimentSpec } from './model-spec.ts';
import { ConfigError } from '../config/errors.ts';
import type { BatchBackend, BatchSetup, EvalResult, ModelSetup } from './training-backend.ts';
import { chooseBackend } from './backend-choice.ts';
import { autoCpuWorkers, PoolWorkerLostError } from '../cpu/cpu-pool.ts';
import { BatchTrainer } from './batch-trainer.ts';
import type { ModelPlan, ModelRun } from './model-run.ts';
import type { EpochRecord } from './records.ts';
import { remedySetup } from './remedies.ts';
import { listOf, lostSentence } from './lost-runs.ts';

/**
 * One model of a job: its experiment (seed, optimizer, remedies, batch, epochs) and its data
 * (the job's shared table, with its own splits and possibly its own standardized features).
 */
export interface JobMember {
  config: ExperimentConfig;
  data: LoadedData;
  /**
   * Per-row loss weights, one per dataset row (a boosting round's, from rowWeightTable in
   * samme.ts), that this member's training steps use; absent: none. See ModelSetup.rowWeights.
   */
  rowWeights?: Float32Array;
}

/** Progress of a job: epochs trained over all members, and members finished. */
export interface JobProgress {
  epochs: number;
  totalEpochs: number;
  finished: number;
  members: number;
}

/** How a job reports as it trains, and how it is cancelled. */
export interface JobHooks {
  onEpoch?: (member: number, record: EpochRecord) => void;
  onProgress?: (p: JobProgress) => void;
  /** Polled between submits: true cancels the job (it resolves, keeping what was trained). */
  shouldStop?: () => boolean;
}

interface Group {
  backend: BatchBackend;
  trainer: BatchTrainer;
  /** Job member of each model of this group's batch. */
  members: number[];
}

/**
 * Many models of one network trained together: members that share a batch size train in the same
 * dispatches (one batch); members with different batch sizes form separate batches that train
 * side by side, so a small batch never pads to a large one's rows (a batch-size sweep would
 * otherwise run every model at the largest batch for the smallest batch's number of steps).
 */
export class BatchJob {
  private constructor(
    private readonly groups: Group[],
    private readonly where: { member: number; group: number; model: number }[],
    readonly info: { backend: 'webgpu' | 'cpu'; label: string; fallbackReason: string | null; spec: ModelSpec },
  ) {}

  /** Builds every member's model; refuses settings that cannot differ inside one job. */
  static async create(members: JobMember[], gpu: () => Promise<GpuContext>): Promise<BatchJob> {
    if (members.length === 0) throw new Error('a job needs at least one model');
    const built = members.map((m) => memberSetup(m));
    const spec = built[0]!.spec;
    const backendChoice = members[0]!.config.backend;
    for (const [i, b] of built.entries()) checkCompatible(built[0]!, b, i);
    const bySize = new Map<number, number[]>();
    built.forEach((b, i) => bySize.set(b.plan.batchSize, [...(bySize.get(b.plan.batchSize) ?? []), i]));
    const groups: Group[] = [];
    const where: { member: number; group: number; model: number }[] = [];
    let first: { label: string; kind: 'webgpu' | 'cpu'; fallbackReason: string | null } | null = null;
    try {
      for (const [batch, ids] of bySize) {
        const data = members[ids[0]!]!.data.dataset;
        // Members standardized on their own rows (cross-validation folds) carry their own features.
        const own = ids.some((i) => members[i]!.data.dataset.features !== data.features);
        const models = ids.map((i) => (own ? { ...built[i]!.model, features: members[i]!.data.dataset.features } : built[i]!.model));
        const setup: BatchSetup = { spec, data, batchCapacity: batch, augment: built[ids[0]!]!.augment, models };
        const chosen = await chooseBackend(setup, backendChoice, gpu, members[0]!.config.cpuWorkers ?? autoCpuWorkers());
        first ??= { label: chosen.backend.label, kind: chosen.backend.kind, fallbackReason: chosen.fallbackReason };
        const trainer = new BatchTrainer(
          chosen.backend,
          ids.map((i) => built[i]!.plan),
          { stepsPerSubmit: 16, classification: spec.loss !== 'mse', onDivergence: 'stop', checkpointEvery: Infinity },
          ids.map((i) => built[i]!.model.params),
        );
        ids.forEach((i, z) => {
          trainer.runs[z]!.target = members[i]!.config.epochs;
          where[i] = { member: i, group: groups.length, model: z };
        });
        groups.push({ backend: chosen.backend, trainer, members: ids });
      }
    } catch (e) {
      for (const g of groups) g.backend.dispose();
      throw e;
    }
    return new BatchJob(groups, where, { backend: first!.kind, label: first!.label, fallbackReason: first!.fallbackReason, spec });
  }

  /** Number of members. */
  get size(): number {
    return this.where.length;
  }

  /** Member i's run: its records, steps, status and divergence. */
  run(i: number): ModelRun {
    const w = this.where[i]!;
    return this.groups[w.group]!.trainer.runs[w.model]!;
  }

  /** Trains every member to its epochs (or its stop); batches of different sizes train side by side. */
  async train(hooks: JobHooks = {}): Promise<void> {
    const totalEpochs = this.where.reduce((n, _, i) => n + this.run(i).target, 0);
    let epochs = 0;
    const report = () => {
      const finished = this.where.filter((_, i) => !this.run(i).active).length;
      hooks.onProgress?.({ epochs, totalEpochs, finished, members: this.size });
    };
    await Promise.all(
      this.groups.map((g) =>
        g.trainer
          .train((z, record) => {
            epochs++;
            hooks.onEpoch?.(g.members[z]!, record);
            report();
          }, hooks.shouldStop)
          .catch((e: unknown) => {
            // Lost models stop in the trainer (status 'lost'); one lost at the very end (a write
            // after early stopping) still names the runs of the job that a person knows.
            if (e instanceof PoolWorkerLostError && e.lost.length) {
              const named = new PoolWorkerLostError(
                `${listOf(
                  e.lost.map((z) => g.members[z]! + 1),
                  ['Run', 'Runs'],
                )} lost: ${e.message}`,
              );
              named.lost = e.lost.map((z) => g.members[z]!);
              throw named;
            }
            throw e;
          }),
      ),
    );
  }

  /** Each member's evaluation on its own rows, `rows(i)`. */
  async evaluate(rows: (member: number) => Uint32Array): Promise<EvalResult[]> {
    const out: EvalResult[] = [];
    await Promise.all(
      this.groups.map(async (g) => {
        const results = await g.backend.evaluate(g.members.map((i) => rows(i)));
        g.trainer.markLost();
        g.members.forEach((i, z) => (out[i] = results[z]!));
      }),
    );
    return out;
  }

  /** Every member's head outputs for the same feature rows. */
  async predict(features: Float32Array, count: number): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    await Promise.all(
      this.groups.map(async (g) => {
        const results = await g.backend.predict(features, count);
        g.trainer.markLost();
        g.members.forEach((i, z) => (out[i] = results[z]!));
      }),
    );
    return out;
  }

  /**
   * Members the backend gave up (status 'lost': the CPU pool workers that held them kept dying),
   * in order. Their evaluations and predictions are NaN placeholders; every other member's
   * results are whole.
   */
  lostMembers(): number[] {
    return this.where.map((_, i) => i).filter((i) => this.run(i).status === 'lost');
  }

  /**
   * The message naming what was lost and why, with the consumer's words for its members (`noun`,
   * singular and plural; `label(i)` for member i, by default its 1-based number), or null when
   * nothing was: "Folds 2, 4 were lost: CPU worker 3 stopped: … The other results are kept."
   */
  lostMessage(noun: [string, string] = ['Run', 'Runs'], label: (i: number) => string = (i) => String(i + 1)): string | null {
    const lost = this.lostMembers();
    if (lost.length === 0) return null;
    return lostSentence(
      lost.map(label),
      noun,
      lost.map((i) => this.run(i).lost!),
    );
  }

  /** Member i's parameter arena. */
  params(i: number): Promise<Float32Array> {
    const w = this.where[i]!;
    return this.groups[w.group]!.backend.readParams(w.model);
  }

  /** Releases every batch's GPU memory. */
  dispose(): void {
    for (const g of this.groups) g.backend.dispose();
  }
}

interface MemberSetup {
  spec: ModelSpec;
  model: ModelSetup;
  plan: ModelPlan;
  augment: BatchSetup['augment'];
  shared: JobMember['data'];
}

/** One member's model, plan and augmentation from its experiment and data. */
function memberSetup(m: JobMember): MemberSetup {
  const { config, data } = m;
  validateExperiment(config);
  const remedies = remediesOf(config);
  if (remedies.ganOversample)
    throw new ConfigError('remedies.ganOversample', 'GAN oversampling builds its own training rows per run; turn it off for several runs at once');
  const spec = experimentSpec(config, data);
  const r = remedySetup(remedies, data, config.seed);
  const batchSize = config.batchSize === 'full' ? r.epochRows : Math.min(config.batchSize, r.epochRows);
  const model: ModelSetup = {
    optimizer: config.optimizer,
    classWeights: r.classWeights,
    params: initParams(spec, config.seed),
    seeds: { dropout: config.seed, augment: config.seed },
    ...(r.dropout ? { dropout: r.dropout } : {}),
    ...(m.rowWeights ? { rowWeights: m.rowWeights } : {}),
  };
  const plan: ModelPlan = {
    train: data.splits.train,
    validation: data.splits.validation,
    batchSize,
    seed: config.seed,
    earlyStopping: r.trainer.earlyStopping ?? null,
    optimizer: config.optimizer,
    ...(r.trainer.schedule ? { schedule: r.trainer.schedule } : {}),
    ...(r.trainer.lrSchedule ? { lrSchedule: r.trainer.lrSchedule } : {}),
  };
  return { spec, model, plan, augment: r.augment, shared: data };
}

/** Throws when member `i` differs from the first in what one job's models must share. */
function checkCompatible(a: MemberSetup, b: MemberSetup, i: number): void {
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  if (!same(a.spec, b.spec)) throw new ConfigError('layers', `run ${i + 1} has another network (layers, activation or data); every run of a job shares one`);
  if (a.shared.table !== b.shared.table) throw new ConfigError('dataset', `run ${i + 1} uses other data; every run of a job shares one dataset`);
  const aug = (s: MemberSetup) => (s.augment ? { ...s.augment, seed: 0 } : null);
  if (!same(aug(a), aug(b)))
    throw new ConfigError('remedies', `run ${i + 1} augments differently; every run of a job shares its augmentation (each draws with its own seed)`);
}
