import { validateExperiment, type ExperimentConfig } from '../config/experiment.ts';
import type { DataSplits, TensorDataset } from '../data/dataset.ts';
import { loadIris } from '../data/iris.ts';
import { createGpuBackend } from '../gpu/backend.ts';
import type { GpuContext } from '../gpu/device.ts';
import { GpuUnavailableError } from '../gpu/errors.ts';
import { arenaLayout, parameterCount } from '../nn/arena.ts';
import { initParams } from '../nn/init.ts';
import { validateModelSpec, type LossKind, type ModelSpec } from '../nn/spec.ts';
import { CpuBackend } from '../reference/backend.ts';
import type { BackendSetup, EvalResult, TrainingBackend } from './backend.ts';
import { Trainer } from './trainer.ts';

/** A dataset with its splits and the head it calls for. */
export interface LoadedDataset {
  dataset: TensorDataset;
  splits: DataSplits;
  classNames: string[];
  featureNames: string[];
  loss: LossKind;
  outputSize: number;
}

/** Loads a built-in dataset by name, split and standardized from the experiment's seed. */
export function loadDataset(cfg: ExperimentConfig): LoadedDataset {
  const iris = loadIris({ seed: cfg.seed, validation: cfg.validationSplit, test: cfg.testSplit });
  return { ...iris, loss: 'softmax_ce', outputSize: iris.classNames.length };
}

/** What the UI shows about a running experiment. */
export interface SessionInfo {
  backend: 'webgpu' | 'cpu';
  backendLabel: string;
  /** Why the CPU reference runs although WebGPU was asked for or preferred; null otherwise. */
  fallbackReason: string | null;
  spec: ModelSpec;
  parameterCount: number;
  stepsPerEpoch: number;
  rows: { train: number; validation: number; test: number };
  classNames: string[];
}

/**
 * One experiment: its data, model, backend and trainer, built from a validated config. With
 * backend `auto`, a missing or refused WebGPU falls back to the CPU reference and says why.
 */
export class Session {
  private constructor(
    readonly config: ExperimentConfig,
    readonly data: LoadedDataset,
    readonly backend: TrainingBackend,
    readonly trainer: Trainer,
    readonly info: SessionInfo,
  ) {}

  /** Builds a session; `gpu` is asked for a device only when WebGPU may be used. */
  static async create(config: ExperimentConfig, gpu: () => Promise<GpuContext>): Promise<Session> {
    validateExperiment(config);
    const data = loadDataset(config);
    const spec = validateModelSpec({ inputSize: data.dataset.inputSize, hidden: config.hidden, outputSize: data.outputSize, loss: data.loss });
    const batchSize = config.batchSize === 'full' ? data.splits.train.length : Math.min(config.batchSize, data.splits.train.length);
    const setup: BackendSetup = {
      spec,
      data: data.dataset,
      batchCapacity: batchSize,
      optimizer: config.optimizer,
      classWeights: null,
      params: initParams(spec, config.seed),
    };
    let backend: TrainingBackend;
    let fallbackReason: string | null = null;
    if (config.backend === 'cpu') {
      backend = new CpuBackend(setup);
    } else {
      try {
        backend = await createGpuBackend(await gpu(), setup);
      } catch (e) {
        if (config.backend === 'webgpu' || !(e instanceof GpuUnavailableError)) throw e;
        fallbackReason = e.message;
        backend = new CpuBackend(setup);
      }
    }
    const trainer = new Trainer(backend, data.splits, {
      batchSize,
      seed: config.seed,
      stepsPerSubmit: 16,
      classification: spec.loss !== 'mse',
    });
    const info: SessionInfo = {
      backend: backend.kind,
      backendLabel: backend.label,
      fallbackReason,
      spec,
      parameterCount: parameterCount(arenaLayout(spec)),
      stepsPerEpoch: trainer.stepsPerEpoch,
      rows: { train: data.splits.train.length, validation: data.splits.validation.length, test: data.splits.test.length },
      classNames: data.classNames,
    };
    return new Session(config, data, backend, trainer, info);
  }

  /** Loss, accuracy and outputs on one split. */
  evaluate(split: keyof DataSplits): Promise<EvalResult> {
    return this.backend.evaluate(this.data.splits[split]);
  }

  /** Releases the backend's GPU memory. */
  dispose(): void {
    this.backend.dispose();
  }
}
