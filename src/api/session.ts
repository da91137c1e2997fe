// The programmatic engine API: a training session on the page's shared engine worker, the same
// worker (and the same engine code) the widgets use.
import { sharedClient } from '../worker/shared-client.ts';
import { engineWorkerUrl } from '../worker/worker-url.ts';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../config/experiment.ts';
import { decodeHash, encodeHash } from '../config/url.ts';
import type { DataSplits, LabeledTable } from '../data/dataset.ts';
import type { BackendStatus, EpochRecord, SessionEvent, SessionInfo, SplitEvaluation, TrainEvent } from '../worker/api.ts';
import type { EngineClient } from '../worker/client.ts';

/** An experiment: a config object (fields left out take the defaults) or a URL hash such as '#dataset=iris&layers=64,64'. */
export type ExperimentInput = string | (Partial<ExperimentConfig> & Record<string, unknown>);

/** Options of createSession. */
export interface SessionOptions {
  /** The user's own rows when the config's dataset is 'csv'. */
  table?: LabeledTable;
  /** The worker script; default: worker.js beside this module (copy it next to your bundle). */
  workerUrl?: URL | string;
  /**
   * With backend 'auto' the session trains on the CPU at once while Auto's trial runs behind it;
   * called when that changes what trains it (a move to WebGPU with the run's state, or why the CPU
   * stays). `session.info` already holds the change.
   */
  onBackend?: (status: BackendStatus) => void;
}

/** Options of Session.train. */
export interface TrainOptions {
  /** Called after every epoch with its record (loss, accuracy, validation figures). */
  onEpoch?: (record: EpochRecord) => void;
  /** Aborting pauses the run after the chunk in flight; train() then resolves with reason 'paused'. */
  signal?: AbortSignal;
}

/** How a train() call ended. */
export interface TrainResult {
  reason: 'done' | 'paused' | 'early-stopped';
  /** Epochs trained so far in this session, over every train() call. */
  epoch: number;
  /** The last epoch's record, or null if none finished in this call. */
  last: EpochRecord | null;
}

/** A config that did not validate: `messages` has one line per field that was wrong. */
export class ConfigError extends Error {
  constructor(readonly messages: string[]) {
    super(`Invalid experiment config: ${messages.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates an experiment through the URL-hash decoder (the one schema links, attributes and the
 * playground share), so a bad field is an error naming it, never a silent default.
 */
export function parseExperiment(input: ExperimentInput): ExperimentConfig {
  const hash = typeof input === 'string' ? input.replace(/^#/, '') : encodeHash({ ...DEFAULT_EXPERIMENT, ...input } as ExperimentConfig);
  const { config, messages } = decodeHash(hash, DEFAULT_EXPERIMENT);
  if (messages.length > 0) throw new ConfigError(messages);
  return config;
}

/** One model in the engine worker: train it, evaluate it, read and write its weights. */
export class Session {
  private disposed = false;
  private running: Promise<TrainResult> | null = null;

  /** Use createSession. */
  constructor(
    private readonly client: EngineClient,
    /** The worker's session id. */
    readonly id: number,
    /** The validated experiment this session trains. */
    readonly config: ExperimentConfig,
    /** The backend it runs on (and why; kept current while Auto decides), the model spec, parameter count, steps per epoch. */
    readonly info: SessionInfo,
  ) {}

  /** Trains up to `epochs` more epochs; resolves when they are done, early stopping ends it, or `signal` pauses it. */
  train(epochs: number, options: TrainOptions = {}): Promise<TrainResult> {
    this.alive();
    if (this.running) return Promise.reject(new Error('This session is already training: await the running train() first.'));
    if (!Number.isInteger(epochs) || epochs < 1) return Promise.reject(new RangeError(`epochs must be a whole number ≥ 1, got ${epochs}`));
    let last: EpochRecord | null = null;
    const run = new Promise<TrainResult>((resolve, reject) => {
      const onEvent = (e: TrainEvent) => {
        if (e.type === 'epoch') {
          last = e.record;
          options.onEpoch?.(e.record);
        } else if (e.type === 'stopped') resolve({ reason: e.reason, epoch: e.epoch, last });
        else reject(Object.assign(new Error(e.message), { name: e.name, kind: e.kind }));
      };
      this.client.onDeath(reject);
      this.client.startTraining(this.id, epochs, onEvent).catch(reject);
      options.signal?.addEventListener('abort', () => void this.client.pause(this.id).catch(() => undefined), { once: true });
    });
    this.running = run.finally(() => (this.running = null));
    return this.running;
  }

  /** Loss, accuracy and outputs of a split ('train', 'validation' or 'test') with the current weights. */
  evaluate(split: keyof DataSplits = 'test'): Promise<SplitEvaluation> {
    this.alive();
    return this.client.evaluate(this.id, split);
  }

  /** A copy of the parameter arena (every layer's weights, then biases, each tensor at a 256-byte-aligned offset). */
  getWeights(): Promise<Float32Array> {
    this.alive();
    return this.client.snapshot(this.id);
  }

  /** Replaces the parameters with an arena of the same layout (from getWeights); optimizer state restarts. */
  setWeights(weights: Float32Array): Promise<void> {
    this.alive();
    return this.client.loadParams(this.id, weights);
  }

  /** Frees the model in the worker; the session cannot be used afterwards. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (!this.client.dead) await this.client.disposeSession(this.id);
  }

  private alive(): void {
    if (this.disposed) throw new Error('This session was disposed.');
  }
}

/**
 * Builds a model from an experiment (a config object or a URL hash, as the playground's links
 * carry) in the page's shared engine worker; rejects with a ConfigError naming every bad field.
 */
export async function createSession(experiment: ExperimentInput, options: SessionOptions = {}): Promise<Session> {
  const config = parseExperiment(experiment);
  const url = options.workerUrl === undefined ? engineWorkerUrl() : new URL(options.workerUrl, globalThis.location?.href);
  const client = sharedClient(url);
  let session: Session | null = null;
  // The worker sends backend changes only after the build's answer, so `session` exists by then.
  const onEvent = (e: SessionEvent) => {
    if (e.type !== 'backend' || !session) return;
    Object.assign(session.info, e.status);
    options.onBackend?.(e.status);
  };
  const { id, info } = await client.createSession(config, options.table ?? null, undefined, onEvent);
  session = new Session(client, id, config, info);
  return session;
}
