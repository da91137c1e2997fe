import { html, LitElement, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { DEFAULT_EXPERIMENT, type DatasetConfig, type ExperimentConfig } from '../../src/config/experiment.ts';
import type { LabeledTable } from '../../src/data/dataset.ts';
import { EngineController } from './engine-controller.ts';
import { Memo } from '../shared/memo.ts';
import { earlyStopMarkers } from '../charts/sp-loss-chart.ts';
import { ModelActions } from './model-actions.ts';
import { cellSamples } from '../metrics/cell-samples.ts';
import type { PinnedRun } from './sp-run-compare.ts';
import { playgroundStyles } from './playground-styles.ts';
import { baseStyles, containerStyles, panelLayoutStyles } from '../shared/styles.ts';
import { engineWorkerUrl } from '../../src/worker/worker-url.ts';
import { EMBED_ATTRIBUTE_NAMES, visibleSections, type ControlSection } from './embed-attributes.ts';
import { prefersReducedMotion, VisibilityController } from '../shared/visibility-controller.ts';
import { runAnnouncement } from '../shared/announcements.ts';
import { sweepPanel } from '../sweep/playground-sweep.ts';
import { WorkerSweepRunner } from '../sweep/worker-sweep-runner.ts';
import { DEFAULT_SWEEP, type SweepConfig } from '../../src/config/sweep.ts';
import { emit } from '../shared/events.ts';
import { setupPanel, SETUP_SECTIONS, withDataset, withLayers } from './playground-setup.ts';
import { isPlaneDataset } from '../../src/data/toy.ts';
import { metricsPanel, trainingMoment, trainPanel, type MetricsView } from './playground-results.ts';
import { ConfigSource } from './config-source.ts';
import { DrawController } from './draw-controller.ts';

/** What linked views receive after each render of a playground. */
export interface PlaygroundState {
  history: EngineController['history'];
  boundary: EngineController['boundary'];
  info: EngineController['info'];
}

/**
 * The classification playground: pick data, build a network, tune hyperparameters, train in
 * the engine worker and read every metric live. It owns the experiment config; child elements
 * report edits through events and never read state back from the DOM. With `url-state`, the
 * config round-trips through the page's URL hash.
 */
@customElement('sp-playground')
export class SpPlayground extends LitElement {
  static override styles = [baseStyles, containerStyles, panelLayoutStyles, playgroundStyles];

  /** The experiment; assigning a new object rebuilds the model. */
  @property({ attribute: false }) config: ExperimentConfig = DEFAULT_EXPERIMENT;
  /** Mirror the config in location.hash and follow hash changes. */
  @property({ type: Boolean, attribute: 'url-state' }) urlState = false;

  /** Which sections show (see CONTROL_SECTIONS); all when absent. */
  @property() controls: string | null = null;
  /** 'compact': one column at every width, and only status, charts and boundary unless `controls` says otherwise. */
  @property({ reflect: true }) layout: 'compact' | 'full' | null = null;
  /** Start training once built, when visible and the reader allows motion. */
  @property({ type: Boolean }) autoplay = false;
  /** The folder holding MNIST's files (relative to the page); default: data/ beside shaderprop.js. Read when the worker starts. */
  @property() assets: string | null = null;

  @state() private messages: string[] = [];
  @state() private csv: { table: LabeledTable; name: string } | null = null;
  /** Images behind the selected confusion-matrix cell (image data only). */
  @state() private cell: { label: string; count: number; images: Float32Array } | null = null;
  /** The pinned run's history, overlaid on the charts. */
  @state() private pinned: PinnedRun | null = null;
  /** The hyperparameter sweep's settings (the hash's `sweep=` key with url-state). */
  @state() private sweep: SweepConfig = DEFAULT_SWEEP;
  /** Sweeps train in the shared worker, on this playground's CSV table when it has one. */
  private readonly sweepRunner = new WorkerSweepRunner(() => this.csv?.table ?? null);
  private metricsView: MetricsView = { split: 'test', threshold: 0.5 };
  /** What the polite live region last said ("Training finished: …"), and the status it saw. */
  private announcement = '';
  private announcedStatus: EngineController['status'] = 'idle';

  private readonly engine = new EngineController(this, () => engineWorkerUrl(this.assets));
  /** Draw mode on the data plot; a finished drawing becomes the data set like a picker choice. */
  private readonly draw = new DrawController(this, { config: () => this.config, info: () => this.engine.info, apply: (d) => this.onDataset(d) });
  private readonly visibility = new VisibilityController(this, (visible) => this.onVisible(visible));
  private resumeWhenVisible = false;
  /** A config applied live (see onHyperparams): the next update must not rebuild for it. */
  private liveEdit: ExperimentConfig | null = null;
  private autoplayed = false;

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'config', ...EMBED_ATTRIBUTE_NAMES];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    this.source.attributeChanged(name);
  }

  /** Off screen or in a hidden tab: pause, and pick up where it was when seen again. */
  private onVisible(visible: boolean): void {
    const e = this.engine;
    if (!visible && e.status === 'training') {
      this.resumeWhenVisible = true;
      void e.pause();
    } else if (visible && this.resumeWhenVisible) {
      this.resumeWhenVisible = false;
      void e.play(this.config.epochs);
    }
  }

  override updated(): void {
    const e = this.engine;
    // Views elsewhere on the page (<sp-loss-view for=…>, <sp-boundary-view for=…>) follow this.
    emit(this, 'sp-state', { history: e.history, boundary: e.boundary, info: e.info }, { bubbles: false });
    if (this.autoplay && !this.autoplayed && e.status === 'ready' && e.history.length === 0 && !prefersReducedMotion()) {
      this.autoplayed = true;
      if (this.visibility.visible) void e.play(this.config.epochs);
      else this.resumeWhenVisible = true;
    }
  }

  private show(section: ControlSection): boolean {
    return visibleSections(this.controls, this.layout).has(section);
  }
  private readonly actions = new ModelActions({
    engine: this.engine,
    config: () => this.config,
    rebuild: async (config) => {
      this.setConfig(config);
      await this.updateComplete;
      await this.engine.whenBuilt();
    },
    csvColumns: () => undefined,
  });
  /** Child inputs that stay the same object while their data does not change. */
  private readonly evaluations = new Memo((validation: EngineController['validation'], test: EngineController['test']) => ({ validation, test }));
  private readonly markers = new Memo(earlyStopMarkers);
  /** Loads the first training images of the current session (one loader per session). */
  private readonly previewSource = new Memo((_info: unknown) => (n: number) => this.engine.splitRows('train', [...Array(n).keys()]));

  /** The config from the attributes or, with url-state, the hash; declared after the other controllers, so it reads the hash after they connected. */
  private readonly source = new ConfigSource(this, {
    config: () => this.config,
    sweep: () => this.sweep,
    onSweep: (sweep) => (this.sweep = sweep),
    parts: () => [this.engine.multi.ensembles],
    onConfig: (config, messages) => {
      this.messages = messages;
      this.config = config;
    },
  });

  override willUpdate(changed: PropertyValues<this>): void {
    this.announce();
    this.engine.mapsWanted = this.show('diagram');
    if (changed.has('config')) this.autoplayed = false;
    // While attribute values are queued, the config they describe replaces this one at once. A
    // live edit (learning rate, L1, L2, …) reached the engine already: it keeps the model.
    const live = this.config === this.liveEdit;
    this.liveEdit = null;
    if (changed.has('config') && !this.source.queued && !live) this.rebuild();
  }

  /** A new model for the current config. A pause for a hidden tab belonged to the old one, so nothing resumes. */
  private rebuild(): void {
    this.resumeWhenVisible = false;
    void this.engine.build(this.config, this.config.dataset.name === 'csv' ? (this.csv?.table ?? null) : null);
  }

  /** Updates the live region's words when a run stops (finished, diverged, paused). */
  private announce(): void {
    const said = runAnnouncement(this.announcedStatus, trainingMoment(this.engine, this.config.epochs));
    if (said) this.announcement = said;
    this.announcedStatus = this.engine.status;
  }

  /** Applies an edit: rebuilds the model and records the new config in the URL. */
  private setConfig(config: ExperimentConfig): void {
    this.config = config;
    this.source.write();
  }

  private renderSweep() {
    if (!this.show('sweep')) return null;
    return sweepPanel({
      config: this.config,
      sweep: this.sweep,
      runner: this.sweepRunner,
      urlState: this.urlState,
      named: (section) => this.named(section),
      onSweep: (sweep) => {
        this.sweep = sweep;
        this.source.write();
      },
    });
  }

  private onDataset(dataset: DatasetConfig): void {
    if (this.draw.intercept(dataset)) return;
    if (dataset.name === 'csv' && !this.csv) {
      this.config = { ...this.config, dataset };
      return;
    }
    const next = withDataset(this.config, dataset);
    // Input features belong to the 2-D sets; another data set starts from its own columns.
    if (!isPlaneDataset(dataset.name)) delete next.features;
    this.setConfig(next);
  }

  private onCsv(table: LabeledTable, name: string): void {
    this.csv = { table, name };
    this.setConfig({ ...this.config, dataset: { ...this.config.dataset, name: 'csv' } });
  }

  private onHyperparams(config: ExperimentConfig, live: boolean): void {
    if (!live) {
      this.setConfig(config);
      return;
    }
    // Live changes keep the model and its optimizer state: no rebuild, only the URL.
    this.liveEdit = config;
    this.config = config;
    this.engine.setOptimizer(config.optimizer).catch(() => undefined);
    this.source.write();
  }

  /** For image data, shows up to 32 images of the split whose true and predicted classes match the cell. */
  private async showCell(trueClass: number, predictedClass: number): Promise<void> {
    this.cell = await cellSamples(this.engine, this.metricsView.split, this.metricsView.threshold, trueClass, predictedClass);
  }

  /** A section's name, with the widget's id when it has one, so several widgets' landmarks differ. */
  private named(section: string): string {
    return this.id ? `${section} · ${this.id}` : section;
  }

  /** Data, network, hyperparameters, remedies, model and several runs: the setup column. */
  private renderSetup() {
    return setupPanel({
      config: this.config,
      engine: this.engine,
      csvName: this.csv?.name ?? null,
      drawing: this.draw.active,
      actions: this.actions,
      preview: this.previewSource.get(this.engine.info),
      show: (section) => this.show(section),
      named: (section) => this.named(section),
      onDataset: (dataset) => this.onDataset(dataset),
      onCsv: (table, name) => this.onCsv(table, name),
      onLayers: (layers) => this.setConfig(withLayers(this.config, layers)),
      onHyperparams: (config, live) => this.onHyperparams(config, live),
    });
  }

  /** Training controls, status, charts, the boundary and the network drawing. */
  private renderTrain() {
    return trainPanel({
      config: this.config,
      engine: this.engine,
      markers: this.markers.get(this.engine.earlyStop),
      pinned: this.pinned,
      draw: this.draw,
      show: (section) => this.show(section),
      named: (section) => this.named(section),
      reset: () => this.rebuild(),
      onPin: (pinned) => (this.pinned = pinned),
    });
  }

  /** Confusion matrix, per-class report, curves, and the images of a chosen cell. */
  private renderMetrics() {
    if (!this.show('metrics')) return null;
    return metricsPanel({
      engine: this.engine,
      evaluations: this.evaluations.get(this.engine.validation, this.engine.test),
      view: this.metricsView,
      cell: this.cell,
      named: (section) => this.named(section),
      onView: (view) => (this.metricsView = view),
      onCell: (trueClass, predictedClass) => void this.showCell(trueClass, predictedClass),
    });
  }

  override render() {
    const hasSetup = SETUP_SECTIONS.some((x) => this.show(x));
    // Training comes first in reading and focus order (Train is the first stop); the grid places
    // the setup column to its left on wide screens.
    return html`
      ${
        this.messages.length
          ? html`<div class="notice" role="status">
              ${this.messages.map((m) => html`<p>${m}</p>`)} <button @click=${() => (this.messages = [])}>Dismiss</button>
            </div>`
          : null
      }
      <p class="sr-only" role="status" aria-live="polite" data-testid="announcement">${this.announcement}</p>
      <div class="layout ${hasSetup ? '' : 'no-setup'}" part="layout">
        ${this.renderTrain()}${this.renderSetup()}${this.renderMetrics()}${this.renderSweep()}
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-playground': SpPlayground;
  }
}
