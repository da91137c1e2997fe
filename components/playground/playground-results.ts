import { html } from 'lit';
import type { ExperimentConfig } from '../../src/config/experiment.ts';
import type { RunMoment } from '../shared/announcements.ts';
import type { ControlSection } from './embed-attributes.ts';
import type { DrawController } from './draw-controller.ts';
import { dataPlot } from './draw-view.ts';
import type { EngineController } from './engine-controller.ts';
import type { EpochMarker } from '../charts/sp-loss-chart.ts';
import '../charts/sp-loss-chart.ts';
import '../metrics/sp-metrics-panel.ts';
import '../metrics/sp-regression-metrics.ts';
import '../charts/sp-network-diagram.ts';
import '../charts/sp-health-panel.ts';
import './sp-run-compare.ts';
import type { PinnedRun } from './sp-run-compare.ts';
import './sp-load-progress.ts';
import './sp-run-status.ts';
import '../gan/sp-sample-grid.ts';
import './sp-training-controls.ts';

/** What the training column reads from its playground, and what it hands back. */
export interface TrainContext {
  config: ExperimentConfig;
  engine: EngineController;
  /** Early-stopping markers for the charts (the same array while they do not change). */
  markers: EpochMarker[];
  pinned: PinnedRun | null;
  /** The reader's drawing on the data plot. */
  draw: DrawController;
  show(section: ControlSection): boolean;
  named(section: string): string;
  /** Reset: the same experiment rebuilt from its initial weights. */
  reset(): void;
  onPin(pinned: PinnedRun | null): void;
}

/** Where training stands towards `epochs`, for the live region that says when a run stopped. */
export function trainingMoment(engine: EngineController, epochs: number): RunMoment {
  const last = engine.history.at(-1);
  return {
    status: engine.status,
    done: last?.epoch ?? 0,
    target: epochs,
    unit: 'epoch',
    loss: last ? { name: 'train loss', value: last.trainLoss } : null,
    notice: engine.notice,
    error: engine.error,
    stoppedEarly: engine.earlyStop !== null,
  };
}

/** Training controls, status, charts, the boundary and the network drawing. */
export function trainPanel(c: TrainContext) {
  const e = c.engine;
  const info = e.info;
  return html`<section class="panel train" aria-label=${c.named('Training')}>
    <sp-training-controls
      ?training=${e.status === 'training' && !e.pausing}
      ?ready=${e.status === 'ready' && !e.stepping}
      @sp-play=${() => e.play(c.config.epochs)}
      @sp-pause=${() => e.pause()}
      @sp-step=${() => e.step()}
      @sp-epoch=${() => e.epoch()}
      @sp-reset=${() => c.reset()}
    ></sp-training-controls>
    ${
      c.show('status')
        ? html`<sp-run-status
            .status=${e.status}
            .info=${info}
            .history=${e.history}
            .test=${e.test}
            .error=${e.error}
            .notice=${e.notice}
            .action=${e.action}
            .stepsPerSecond=${e.stepsPerSecond}
            .epochs=${c.config.epochs}
            @sp-resume=${() => e.resume()}
            @sp-restart=${() => e.restart()}
          ></sp-run-status>`
        : null
    }
    ${
      e.status === 'building' && e.loading
        ? html`<sp-load-progress
            .loaded=${e.loading.loaded}
            .total=${e.loading.total}
            .stage=${e.loading.stage}
            .preview=${e.loading.preview}
          ></sp-load-progress>`
        : null
    }
    ${c.show('charts') ? charts(c) : null} ${c.show('boundary') ? dataPlot(e, c.draw) : null}
    ${
      c.show('diagram') && info
        ? html`<sp-network-diagram
            .spec=${info.spec}
            .params=${e.params}
            .maps=${e.neuronMaps}
            @sp-weight-edit=${(ev: CustomEvent<{ layer: number; from: number; to: number; value: number }>) => e.setWeight(ev.detail)}
          ></sp-network-diagram>`
        : null
    }
    ${
      c.show('diagram') && info
        ? html`<details @toggle=${(ev: Event) => e.showHealth((ev.target as HTMLDetailsElement).open)}>
            <summary>Training health</summary>
            <sp-health-panel .report=${e.health} .course=${e.healthCourse}></sp-health-panel>
          </details>`
        : null
    }
  </section>`;
}

function charts(c: TrainContext) {
  const e = c.engine;
  const baseline = c.pinned?.history ?? null;
  return html`<div class="charts">
      <sp-loss-chart metric="loss" .history=${e.history} .markers=${c.markers} .baseline=${baseline}></sp-loss-chart>
      ${
        // A regression model has no accuracy: its scores are in the metrics panel.
        e.info?.regression ? null : html`<sp-loss-chart metric="accuracy" .history=${e.history} .markers=${c.markers} .baseline=${baseline}></sp-loss-chart>`
      }
    </div>
    <sp-run-compare
      .config=${c.config}
      .history=${e.history}
      @sp-pin-change=${(ev: CustomEvent<{ pinned: PinnedRun | null }>) => c.onPin(ev.detail.pinned)}
    ></sp-run-compare>`;
}

/** Which split and threshold the metrics panel shows. */
export interface MetricsView {
  split: 'validation' | 'test';
  threshold: number;
}

/** What the metrics column reads from its playground, and what it hands back. */
export interface MetricsContext {
  engine: EngineController;
  /** The panel's evaluations (the same object while they do not change). */
  evaluations: { validation: EngineController['validation']; test: EngineController['test'] };
  view: MetricsView;
  /** The images of the selected confusion-matrix cell (image data only). */
  cell: { label: string; count: number; images: Float32Array } | null;
  named(section: string): string;
  onView(view: MetricsView): void;
  onCell(trueClass: number, predictedClass: number): void;
}

/** Confusion matrix, per-class report, curves, and the images of a chosen cell. */
export function metricsPanel(c: MetricsContext) {
  const info = c.engine.info;
  return html`<section class="panel metrics" aria-label=${c.named('Metrics')}>
    <h2>Metrics</h2>
    ${
      info?.regression
        ? html`<sp-regression-metrics
            .evaluations=${c.evaluations}
            .regression=${info.regression}
            .split=${c.view.split}
            @sp-split-change=${(ev: CustomEvent<{ split: 'validation' | 'test' }>) => c.onView({ ...c.view, split: ev.detail.split })}
          ></sp-regression-metrics>`
        : classificationMetrics(c)
    }
    ${
      c.cell
        ? html`<h2>${c.view.split} images: true ${c.cell.label} (${c.cell.count} in this cell)</h2>
            <sp-sample-grid
              data-testid="cell-samples"
              .images=${c.cell.images}
              columns="8"
              caption=${`images of the selected confusion-matrix cell`}
            ></sp-sample-grid>`
        : null
    }
  </section>`;
}

function classificationMetrics(c: MetricsContext) {
  const info = c.engine.info;
  return html`<sp-metrics-panel
    .evaluations=${c.evaluations}
    .labels=${info?.labels ?? { validation: new Uint32Array(0), test: new Uint32Array(0) }}
    .classNames=${info?.classNames ?? []}
    @sp-split-change=${(ev: CustomEvent<{ split: 'validation' | 'test' }>) => c.onView({ ...c.view, split: ev.detail.split })}
    @sp-threshold-change=${(ev: CustomEvent<{ threshold: number }>) => c.onView({ ...c.view, threshold: ev.detail.threshold })}
    @sp-cell-select=${(ev: CustomEvent<{ trueClass: number; predictedClass: number }>) => c.onCell(ev.detail.trueClass, ev.detail.predictedClass)}
  ></sp-metrics-panel>`;
}
