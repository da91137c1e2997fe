import { html } from 'lit';
import { fitDropout, taskOf, type DatasetConfig, type ExperimentConfig } from '../../src/config/experiment.ts';
import type { Task } from '../../src/config/task.ts';
import { withTask } from '../../src/config/task-switch.ts';
import { encodeHash } from '../../src/config/url.ts';
import type { LabeledTable } from '../../src/data/dataset.ts';
import type { OptimizerKind } from '../../src/nn/optimizer.ts';
import type { LayerSpec } from '../../src/nn/spec.ts';
import type { EnsembleMode } from '../../src/worker/api.ts';
import type { ControlSection } from './embed-attributes.ts';
import type { EngineController } from './engine-controller.ts';
import type { ModelActions } from './model-actions.ts';
import { imageRemedyViews } from './remedy-views.ts';
import './sp-dataset-picker.ts';
import './sp-embed-snippet.ts';
import './sp-hyperparams.ts';
import './sp-feature-toggles.ts';
import { DEFAULT_FEATURES, isDefaultFeatures, type InputFeature } from '../../src/data/features.ts';
import { isPlaneDataset } from '../../src/data/toy.ts';
import './sp-model-io.ts';
import type { ExportDetail, LoadModelDetail, SpModelIo } from './sp-model-io.ts';
import '../runs/sp-multi-run.ts';
import './sp-network-editor.ts';
import './sp-remedies.ts';
import './sp-saved-experiments.ts';
import type { ExperimentOpenDetail, ExperimentSaveDetail, SpSavedExperiments } from './sp-saved-experiments.ts';
import { engineWorkerUrl } from '../../src/worker/worker-url.ts';

/** What choosing MNIST sets besides the data (it reaches 0.97 test accuracy in 3 epochs on all 60,000 images). */
const MNIST_PRESET: Partial<ExperimentConfig> = { hidden: [{ units: 256, activation: 'relu' }], batchSize: 128, epochs: 3 };

/** The experiment on other data; switching to MNIST brings its preset network: 784→256 relu→10, batch 128, 3 epochs. */
export function withDataset(config: ExperimentConfig, dataset: DatasetConfig): ExperimentConfig {
  const preset = dataset.name === 'mnist' && config.dataset.name !== 'mnist' ? MNIST_PRESET : {};
  return { ...config, ...preset, dataset };
}

/** The experiment with other hidden layers; the dropout rates follow them, cut or padded with 0 (off). */
export function withLayers(config: ExperimentConfig, layers: LayerSpec[]): ExperimentConfig {
  const remedies = config.remedies;
  return { ...config, hidden: layers, ...(remedies ? { remedies: { ...remedies, dropout: fitDropout(remedies.dropout, layers.length) } } : {}) };
}

/** The sections that live in the setup column. */
export const SETUP_SECTIONS: ControlSection[] = ['data', 'network', 'hyperparams', 'remedies', 'model', 'runs'];

/** What the setup column reads from its playground, and the edits it hands back. */
export interface SetupContext {
  config: ExperimentConfig;
  engine: EngineController;
  csvName: string | null;
  /** True in draw mode: the data menu shows "Draw your own" while the previous data is still in use. */
  drawing: boolean;
  actions: ModelActions;
  /** Loads the first training images of the session (the augmentation preview). */
  preview: (n: number) => Promise<Float32Array>;
  show(section: ControlSection): boolean;
  /** A landmark's name, with the widget's id when it has one. */
  named(section: string): string;
  onDataset(dataset: DatasetConfig): void;
  onCsv(table: LabeledTable, name: string): void;
  onLayers(layers: LayerSpec[]): void;
  /** `live`: the change reaches the running model without a rebuild (learning rate, L1, L2, …). */
  onHyperparams(config: ExperimentConfig, live: boolean): void;
}

/** The config with these input features (the plain x1, x2 written as no field, as links do). */
function withFeatures(config: ExperimentConfig, features: InputFeature[]): ExperimentConfig {
  const next: ExperimentConfig = { ...config, features };
  if (isDefaultFeatures(features)) delete next.features;
  return next;
}

/** Data, network, hyperparameters, remedies, model and several runs: the playground's setup column. */
export function setupPanel(c: SetupContext) {
  if (!SETUP_SECTIONS.some((x) => c.show(x))) return null;
  const onConfig = (ev: CustomEvent<{ config: ExperimentConfig; live: boolean }>) => c.onHyperparams(ev.detail.config, ev.detail.live);
  return html`<section class="panel setup" aria-label=${c.named('Data and model')}>
    ${
      c.show('data')
        ? html`<h2>Data</h2>
            <sp-dataset-picker
              .config=${c.config.dataset}
              .csvName=${c.csvName}
              .drawing=${c.drawing}
              .task=${taskOf(c.config)}
              @sp-task-change=${(ev: CustomEvent<{ task: Task }>) => c.onHyperparams(withTask(c.config, ev.detail.task), false)}
              @sp-dataset-change=${(ev: CustomEvent<{ dataset: DatasetConfig }>) => c.onDataset(ev.detail.dataset)}
              @sp-csv-load=${(ev: CustomEvent<{ table: LabeledTable; name: string }>) => c.onCsv(ev.detail.table, ev.detail.name)}
            ></sp-dataset-picker>
            ${
              isPlaneDataset(c.config.dataset.name)
                ? html`<sp-feature-toggles
                    .features=${c.config.features ?? DEFAULT_FEATURES}
                    @sp-features-change=${(ev: CustomEvent<{ features: InputFeature[] }>) => c.onHyperparams(withFeatures(c.config, ev.detail.features), false)}
                  ></sp-feature-toggles>`
                : null
            }`
        : null
    }
    ${c.show('network') ? networkSection(c) : null}
    ${
      c.show('hyperparams')
        ? html`<h2>Hyperparameters</h2>
            <sp-hyperparams .config=${c.config} @sp-config-change=${onConfig} @sp-forget-trials=${() => c.engine.forgetTrials()}></sp-hyperparams>`
        : null
    }
    ${
      c.show('remedies')
        ? html`<h2>Remedies</h2>
            <sp-remedies .config=${c.config} @sp-config-change=${onConfig}></sp-remedies>
            ${imageRemedyViews(c.config, c.engine.info, c.preview)}`
        : null
    }
    ${c.show('model') ? modelSection(c) : null} ${c.show('runs') ? runsSection(c) : null}
  </section>`;
}

function networkSection(c: SetupContext) {
  const info = c.engine.info;
  const classes = info?.classNames.length ?? 0;
  const regression = taskOf(c.config) === 'regression';
  return html`<h2>Network</h2>
    <sp-network-editor
      .layers=${c.config.hidden}
      .inputSize=${info?.spec.inputSize ?? 0}
      .outputSize=${regression ? 1 : classes}
      .outputLabel=${regression ? 'linear (one value, mean squared error)' : classes ? `softmax (${classes} classes)` : 'softmax'}
      @sp-layers-change=${(ev: CustomEvent<{ layers: LayerSpec[] }>) => c.onLayers(ev.detail.layers)}
    ></sp-network-editor>`;
}

function modelSection(c: SetupContext) {
  const ready = c.engine.status === 'ready';
  return html`<h2>Model</h2>
    <sp-model-io
      ?ready=${ready}
      .currentSpec=${c.engine.info?.spec ?? null}
      @sp-save-model=${(ev: Event) => c.actions.save(ev.target as SpModelIo)}
      @sp-load-model=${(ev: CustomEvent<LoadModelDetail>) => c.actions.load(ev.detail, ev.target as SpModelIo)}
      @sp-export=${(ev: CustomEvent<ExportDetail>) => c.actions.export(ev.detail.format)}
    ></sp-model-io>
    <sp-saved-experiments
      ?ready=${ready}
      @sp-experiment-save=${(ev: CustomEvent<ExperimentSaveDetail>) => c.actions.saveExperiment(ev.detail.name, ev.target as SpSavedExperiments)}
      @sp-experiment-open=${(ev: CustomEvent<ExperimentOpenDetail>) => c.actions.open(ev.detail, ev.target as SpSavedExperiments)}
    ></sp-saved-experiments>
    <p>
      <a data-testid="open-explorer" href=${new URL(`shaders.html#${encodeHash(c.config)}`, engineWorkerUrl()).href} target="_blank" rel="noopener"
        >Open this network in the shader explorer</a
      >
    </p>
    <details>
      <summary>Embed this experiment</summary>
      <sp-embed-snippet .hash=${encodeHash(c.config)}></sp-embed-snippet>
    </details>`;
}

function runsSection(c: SetupContext) {
  const e = c.engine;
  return html`<h2>Several runs</h2>
    <sp-multi-run
      .crossValidation=${e.multi.jobs.cv}
      .ensemble=${e.multi.jobs.ensemble}
      .race=${e.multi.jobs.race}
      .running=${e.multi.jobs.running}
      .error=${e.multi.jobs.error}
      ?ready=${e.status === 'ready' || e.status === 'training'}
      .points=${e.info?.points ?? null}
      .classNames=${e.info?.classNames ?? []}
      .task=${taskOf(c.config)}
      @sp-cross-validate=${(ev: CustomEvent<{ k: number; balanced: boolean }>) => e.multi.crossValidate(ev.detail.k, ev.detail.balanced)}
      @sp-ensemble=${(ev: CustomEvent<{ members: number; mode: EnsembleMode }>) => e.multi.trainEnsemble(ev.detail.members, ev.detail.mode)}
      @sp-race=${(ev: CustomEvent<{ kinds: OptimizerKind[] }>) => e.multi.raceOptimizers(ev.detail.kinds)}
      @sp-cancel-job=${() => e.multi.cancel()}
    ></sp-multi-run>
    ${e.multi.ensembles.panels(c.config)}`;
}
