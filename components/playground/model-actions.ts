import type { ExperimentConfig } from '../../src/config/experiment.ts';
import { downloadBytes, downloadText } from '../shared/download.ts';
import { kerasScript } from '../../src/io/export-keras.ts';
import { pytorchScript } from '../../src/io/export-pytorch.ts';
import type { ExportOptions } from '../../src/io/export-python.ts';
import { modelToSafetensors } from '../../src/io/model-file.ts';
import { initParams } from '../../src/nn/init.ts';
import type { ModelSpec } from '../../src/nn/spec.ts';
import type { SessionInfo } from '../../src/train/session.ts';
import type { EngineController } from './engine-controller.ts';
import type { ExperimentOpenDetail, SpSavedExperiments } from './sp-saved-experiments.ts';
import type { LoadModelDetail, SpModelIo } from './sp-model-io.ts';

/** What the actions need from the playground. */
export interface ModelHost {
  engine: EngineController;
  config(): ExperimentConfig;
  /** Rebuilds with this config (and records it in the URL). */
  rebuild(config: ExperimentConfig): Promise<void>;
  /** Column names when the data is the user's CSV, for the exported scripts. */
  csvColumns(): { label: string; features: string[] } | undefined;
}

function sameSpec(a: ModelSpec, b: ModelSpec): boolean {
  return a.inputSize === b.inputSize && a.outputSize === b.outputSize && a.loss === b.loss && JSON.stringify(a.hidden) === JSON.stringify(b.hidden);
}

/**
 * The playground's answers to the model file and saved-experiment elements: they ask, these
 * fetch the parameters from the worker and save, download, rebuild or load.
 */
export class ModelActions {
  /** The session whose weights were replaced from a file: its curve does not start from the initial weights. */
  private loadedInto: SessionInfo | null = null;

  constructor(private readonly host: ModelHost) {}

  /** Downloads the trained model as .safetensors, with the config in its metadata. */
  async save(io: SpModelIo): Promise<void> {
    const { engine } = this.host;
    const info = engine.info;
    if (!info) return;
    try {
      const params = await engine.snapshot();
      const last = engine.history.at(-1);
      const training = {
        epochs: engine.history.length,
        steps: last?.step ?? 0,
        trainLoss: last?.trainLoss,
        validationAccuracy: last?.validationAccuracy ?? null,
      };
      downloadBytes(modelToSafetensors(info.spec, params, this.host.config(), training), 'shaderprop-model.safetensors');
    } catch (e) {
      io.showError(e instanceof Error ? e.message : String(e));
    }
  }

  /**
   * Downloads a PyTorch or Keras script that repeats the experiment, with this run's training
   * curve for its --check, or (`init`) the network's initial weights for the scripts' --init.
   */
  export(format: 'pytorch' | 'keras' | 'init'): void {
    const info = this.host.engine.info;
    if (!info) return;
    const config = this.host.config();
    if (format === 'init') {
      downloadBytes(modelToSafetensors(info.spec, initParams(info.spec, config.seed), config, null), 'init.safetensors');
      return;
    }
    const csvColumns = this.host.csvColumns();
    const options: ExportOptions = { ...(csvColumns ? { csvColumns } : {}), ...this.curve(info) };
    if (format === 'pytorch') downloadText(pytorchScript(config, info.spec, options), 'shaderprop_pytorch.py', 'text/x-python');
    else downloadText(kerasScript(config, info.spec, options), 'shaderprop_keras.py', 'text/x-python');
  }

  /** This run's training loss per epoch, when it started from the initial weights, and where it came from. */
  private curve(info: SessionInfo): Pick<ExportOptions, 'curve' | 'curveNote'> {
    const history = this.host.engine.history;
    if (this.loadedInto === info)
      return { curve: [], curveNote: "the playground's weights were loaded from a file, so its run did not start from the initial weights" };
    if (!history.length) return { curve: [], curveNote: 'nothing was trained in the playground before this export' };
    if (this.host.engine.weightEdited)
      return { curve: [], curveNote: "a weight of the playground's model was typed by hand, so its run is not the experiment's alone" };
    return {
      curve: finitePrefix(history.map((r) => r.trainLoss)),
      curveNote: `recorded in the playground on ${info.backendLabel}; it is this run only if no setting was changed while it trained`,
    };
  }

  /** Rebuilds the saved network when the file carries its experiment, then loads the weights. */
  async load(detail: LoadModelDetail, io: SpModelIo): Promise<void> {
    await this.apply(detail.config ? { ...detail.config, hidden: detail.spec.hidden } : null, detail.spec, detail.params, (m) => io.showError(m));
  }

  /** Reopens a saved experiment, with its trained parameters when they were saved. */
  async open(detail: ExperimentOpenDetail, list: SpSavedExperiments): Promise<void> {
    await this.apply(detail.config, detail.spec, detail.params, (m) => list.showError(m));
  }

  /** Saves the experiment under `name` with its parameters and a summary of its history. */
  async saveExperiment(name: string, list: SpSavedExperiments): Promise<void> {
    const { engine } = this.host;
    if (!engine.info) return;
    try {
      const params = await engine.snapshot();
      const last = engine.history.at(-1);
      await list.saveExperiment({
        name,
        config: this.host.config(),
        spec: engine.info.spec,
        params,
        history: last
          ? {
              epochs: engine.history.length,
              trainLoss: last.trainLoss,
              validationAccuracy: last.validationAccuracy,
              testAccuracy: engine.test?.accuracy ?? null,
            }
          : null,
      });
    } catch (e) {
      list.showError(e instanceof Error ? e.message : String(e));
    }
  }

  private async apply(config: ExperimentConfig | null, spec: ModelSpec, params: Float32Array | null, report: (m: string) => void): Promise<void> {
    const { engine } = this.host;
    try {
      if (config) await this.host.rebuild(config);
      else await engine.whenBuilt();
      if (!engine.info) throw new Error(engine.error ?? 'The model could not be built');
      if (!sameSpec(engine.info.spec, spec)) {
        throw new Error(
          `The file's network (${spec.inputSize}→${spec.hidden.map((l) => l.units).join('→')}→${spec.outputSize}) does not fit this data (${engine.info.spec.inputSize} inputs, ${engine.info.spec.outputSize} classes)`,
        );
      }
      if (params) {
        await engine.loadParams(params);
        this.loadedInto = engine.info;
      }
    } catch (e) {
      report(e instanceof Error ? e.message : String(e));
    }
  }
}

/** The values before the first non-finite one (a diverged epoch ends what a script can compare). */
function finitePrefix(values: number[]): number[] {
  const end = values.findIndex((x) => !Number.isFinite(x));
  return end < 0 ? values : values.slice(0, end);
}
