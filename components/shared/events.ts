import type { ExperimentConfig } from '../../src/config/experiment.ts';
import type { SweepConfig } from '../../src/config/sweep.ts';
import type { BoostSettings, StackSettings } from '../../src/config/ensembles.ts';
import type { CheckResult } from '../../src/explorer/checks.ts';
import type { CompileResult } from '../../src/explorer/edit.ts';
import type { LayerSpec } from '../../src/nn/spec.ts';
import type { InputFeature } from '../../src/data/features.ts';
import type { OptimizerKind } from '../../src/nn/optimizer.ts';
import type { EnsembleMode, GanConfig, SweepResult } from '../../src/worker/api.ts';
import type { CellSelectDetail, NormalizeChangeDetail } from '../metrics/sp-confusion-matrix.ts';
import type { CsvLoadDetail } from '../playground/sp-csv-import.ts';
import type { DatasetChangeDetail, TaskChangeDetail } from '../playground/sp-dataset-picker.ts';
import type { DrawTool } from '../playground/draw-controller.ts';
import type { DrawPointDetail } from '../playground/sp-draw-surface.ts';
import type { GanLoadDetail } from '../gan/sp-gan-export.ts';
import type { Gan2dDrawDetail } from '../gan2d/sp-gan-2d-plane.ts';
import type { Gan2dConfigDetail } from '../gan2d/sp-gan-2d-options.ts';
import type { Gan2dCompareDetail } from '../gan2d/sp-gan-2d-compare.ts';
import type { MetricsSplit } from '../metrics/sp-metrics-panel.ts';
import type { ExportDetail, LoadModelDetail } from '../playground/sp-model-io.ts';
import type { PlaygroundState } from '../playground/sp-playground.ts';
import type { PinnedRun } from '../playground/sp-run-compare.ts';
import type { ExperimentOpenDetail, ExperimentSaveDetail } from '../playground/sp-saved-experiments.ts';

/** A kernel family's compile or check outcome, as the shader explorer reports it. */
export interface KernelResultDetail<R> {
  family: string;
  result: R;
}

/**
 * Every event the components emit: name → detail (null where the name says it all). Names are
 * contracts and all start with `sp-`. Listeners get the detail typed through HTMLElementEventMap.
 */
export interface SpEventMap {
  'sp-config-change': { config: ExperimentConfig; live: boolean };
  'sp-dataset-change': DatasetChangeDetail;
  'sp-task-change': TaskChangeDetail;
  'sp-layers-change': { layers: LayerSpec[] };
  'sp-features-change': { features: InputFeature[] };
  'sp-csv-load': CsvLoadDetail;
  'sp-state': PlaygroundState;
  'sp-play': null;
  'sp-pause': null;
  'sp-step': null;
  'sp-epoch': null;
  'sp-reset': null;
  'sp-resume': null;
  'sp-restart': null;
  'sp-forget-trials': null;
  'sp-split-change': { split: MetricsSplit };
  'sp-threshold-change': { threshold: number };
  'sp-normalize-change': NormalizeChangeDetail;
  'sp-cell-select': CellSelectDetail;
  'sp-pin-change': { pinned: PinnedRun | null };
  'sp-load-model': LoadModelDetail;
  'sp-save-model': null;
  'sp-export': ExportDetail;
  'sp-experiment-save': ExperimentSaveDetail;
  'sp-experiment-open': ExperimentOpenDetail;
  'sp-cross-validate': { k: number; balanced: boolean };
  'sp-ensemble': { members: number; mode: EnsembleMode };
  'sp-race': { kinds: OptimizerKind[] };
  'sp-cancel-job': null;
  'sp-sweep-change': SweepConfig;
  'sp-sweep-edit': { sweep: SweepConfig };
  'sp-sweep-result': SweepResult;
  /** The parallel-coordinates chart's brushes: the rows (their `index`) in every brush, or null when none is set. */
  'sp-sweep-brush': { shown: number[] | null };
  'sp-boost-change': BoostSettings;
  'sp-boost-edit': { settings: BoostSettings | null; problem: string | null };
  'sp-boost-select': { round: number };
  'sp-stack-change': StackSettings;
  'sp-stack-edit': { settings: StackSettings | null; problem: string | null };
  'sp-gan-config': { config: GanConfig };
  'sp-gan-load': GanLoadDetail;
  'sp-gan2d-draw': Gan2dDrawDetail;
  'sp-gan2d-config': Gan2dConfigDetail;
  'sp-gan2d-compare': Gan2dCompareDetail;
  'sp-kernel-compiled': KernelResultDetail<CompileResult>;
  'sp-kernel-checked': KernelResultDetail<CheckResult>;
  'sp-kernel-select': { family: string };
  'sp-source-input': { source: string };
  'sp-snapshot-request': null;
  'sp-neuron-close': null;
  'sp-weight-edit': { layer: number; from: number; to: number; value: number };
  'sp-weight-close': null;
  'sp-draw-toggle': null;
  'sp-draw-tool': { tool: DrawTool };
  'sp-draw-class': { drawClass: number };
  'sp-draw-value': { value: number };
  'sp-draw-undo': null;
  'sp-draw-clear': null;
  'sp-draw-from-data': null;
  'sp-draw-begin': null;
  'sp-draw-add': DrawPointDetail;
  'sp-draw-remove': DrawPointDetail;
}

/** The events of SpEventMap as the DOM delivers them. */
export type SpEvents = { [K in keyof SpEventMap]: CustomEvent<SpEventMap[K]> };

/**
 * The shader explorer's names before every event took the `sp-` prefix. Deprecated: they are still
 * dispatched beside the new names (names are contracts), so listen for the `sp-` names.
 */
export const DEPRECATED_EVENT_NAMES = {
  'sp-kernel-compiled': 'kernel-compiled',
  'sp-kernel-checked': 'kernel-checked',
  'sp-kernel-select': 'kernel-select',
  'sp-source-input': 'source-input',
  'sp-snapshot-request': 'snapshot-request',
} as const satisfies Partial<Record<keyof SpEventMap, string>>;

/** How an event travels: by default it bubbles out of shadow roots, so a page can listen anywhere. */
export interface EmitOptions {
  bubbles?: boolean;
  composed?: boolean;
}

/**
 * Dispatches `name` from `el` with its typed detail (and, for a renamed event, its deprecated
 * name too, with the same detail).
 */
export function emit<K extends keyof SpEventMap>(el: EventTarget, name: K, detail: SpEventMap[K], options: EmitOptions = {}): void {
  const bubbles = options.bubbles ?? true;
  const init = { detail, bubbles, composed: options.composed ?? bubbles };
  el.dispatchEvent(new CustomEvent(name, init));
  const old = (DEPRECATED_EVENT_NAMES as Partial<Record<keyof SpEventMap, string>>)[name];
  if (old) el.dispatchEvent(new CustomEvent(old, init));
}

declare global {
  // Interface merging is the only way to add to the DOM's event map; SpEvents holds the members.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface HTMLElementEventMap extends SpEvents {}
}
