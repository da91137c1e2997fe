import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { DEFAULT_EXPERIMENT, taskOf, type ExperimentConfig } from '../../src/config/experiment.ts';
import { decodeSweep, DEFAULT_SWEEP, encodeSweep, sweepSize, type SweepConfig } from '../../src/config/sweep.ts';
import { decodeHash } from '../../src/config/url.ts';
import type { SweepProgress, SweepResult, SweepRunner } from '../../src/train/sweep.ts';
import { experimentProblem, planProblem, sweepAnnouncement, sweepProblem } from './sweep-checks.ts';
import type { SweepFieldError } from './sp-sweep-settings.ts';
import './sp-sweep-settings.ts';
import './sp-sweep-results.ts';
import { baseStyles } from '../shared/styles.ts';
import { emit } from '../shared/events.ts';
import { sweepMark, markKey } from './sweep-mark.ts';

/**
 * A hyperparameter sweep of the experiment `config`: the settings (`sweep`), Start and Cancel,
 * live progress ("done/total" models and an epoch bar), then the results (<sp-sweep-results>).
 * `runner` trains; the page implements it over the worker. Events out: `sp-sweep-change`
 * (detail: the new valid SweepConfig, on every valid edit), `sp-sweep-result` (detail: the
 * SweepResult, finished or cancelled). For embedding, the `config` attribute takes a playground
 * link hash and `sweep` a `sweep=` link value; a bad one shows a message and the default stays.
 */
@customElement('sp-sweep')
export class SpSweep extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
        margin: 12px 0 8px;
      }
      .progress {
        display: flex;
        flex-wrap: wrap;
        gap: 6px 12px;
        align-items: center;
        font-variant-numeric: tabular-nums;
      }
      progress {
        width: min(260px, 100%);
      }
      .notice {
        border: 1px solid var(--sp-border);
        border-radius: var(--sp-radius);
        padding: 6px 10px;
        background: var(--sp-panel);
      }
      .notice p {
        margin: 2px 0;
      }
    `,
  ];

  /** The base experiment every configuration starts from. */
  @property({ attribute: false }) config: ExperimentConfig = DEFAULT_EXPERIMENT;
  /** The sweep's settings; a new object resets the form to it. */
  @property({ attribute: false }) sweep: SweepConfig = DEFAULT_SWEEP;
  /** What trains the sweep; Start stays disabled while it is null. */
  @property({ attribute: false }) runner: SweepRunner | null = null;
  /** The page each configuration's link opens, relative to this page (`<page>#<hash>`). */
  @property() playground = 'index.html';

  @state() private draft: SweepConfig = DEFAULT_SWEEP;
  @state() private problem: SweepFieldError | null = null;
  @state() private running: { total: number; cancelling: boolean } | null = null;
  @state() private progress: SweepProgress | null = null;
  @state() private result: SweepResult | null = null;
  /** The settings `result` was trained with (the form may have changed since). */
  private resultSweep: SweepConfig | null = null;
  @state() private failure: string | null = null;
  @state() private messages: string[] = [];
  /** What the polite live region last said. */
  private announcement = '';
  /** The sweep this element last emitted, so feeding it back in does not reset the form. */
  private emitted: SweepConfig | null = null;
  /** Counts runs, so a stale run's progress or result never lands on a newer one. */
  private runId = 0;
  private attributesQueued = false;

  /**
   * Makes the runner of an element that has none when it joins the page: the widgets bundle sets
   * it to train in the shared worker, so a `<sp-sweep>` alone in a post works without code.
   */
  static defaultRunner: (() => SweepRunner) | null = null;
  private static readonly connected = new Set<SpSweep>();

  /**
   * Sets defaultRunner and gives a runner to every element on the page that has none: defining
   * the element upgrades those already in the document before the bundle's next line runs.
   */
  static useDefaultRunner(make: () => SweepRunner): void {
    SpSweep.defaultRunner = make;
    for (const el of SpSweep.connected) if (!el.runner) el.runner = make();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    SpSweep.connected.add(this);
    if (!this.runner && SpSweep.defaultRunner) this.runner = SpSweep.defaultRunner();
    // A sweep cannot outlive its page: after a reload mid-run, say so (the settings are in the link).
    if (sweepMark.take(markKey(this)))
      this.messages = [
        ...this.messages,
        'A sweep was still running when this page was left or reloaded, and it stopped there. Its settings are kept: Start runs it again.',
      ];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    SpSweep.connected.delete(this);
    // Removed from the page: the running sweep stops and frees its GPU memory.
    if (this.running) this.cancel();
  }

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'config', 'sweep'];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if ((name === 'config' || name === 'sweep') && !this.attributesQueued) {
      // Both attributes set together are read once.
      this.attributesQueued = true;
      queueMicrotask(() => {
        this.attributesQueued = false;
        this.readAttributes();
      });
    }
  }

  private readAttributes(): void {
    const messages: string[] = [];
    const hash = this.getAttribute('config');
    const decoded = decodeHash(hash ?? '', DEFAULT_EXPERIMENT);
    messages.push(...decoded.messages);
    let sweep = DEFAULT_SWEEP;
    const raw = this.getAttribute('sweep');
    if (raw !== null) {
      try {
        sweep = decodeSweep(raw);
      } catch (e) {
        messages.push(`"sweep=${raw.slice(0, 60)}" was not used (${(e as Error).message}); keeping the default sweep.`);
      }
    }
    this.messages = messages;
    this.config = decoded.config;
    this.sweep = sweep;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('sweep') && this.sweep !== this.emitted) {
      this.draft = this.sweep;
      this.problem = sweepProblem(this.sweep);
    }
  }

  private onEdit(e: CustomEvent<{ sweep: SweepConfig }>): void {
    const next = e.detail.sweep;
    this.draft = next;
    this.problem = sweepProblem(next);
    if (this.problem || encodeSweep(next) === encodeSweep(this.sweep)) return;
    this.emitted = next;
    this.sweep = next;
    emit(this, 'sp-sweep-change', next);
  }

  private get canStart(): boolean {
    return this.runner !== null && this.running === null && this.fieldProblem === null && experimentProblem(this.config, this.sweep) === null;
  }

  /** The settings' problem, or else halving's plan against the experiment's epochs (shown beside its field). */
  private get fieldProblem(): SweepFieldError | null {
    return this.problem ?? planProblem(this.draft, this.config.epochs);
  }

  /** Trains the sweep through the runner; a failure becomes a message, and Start works again. */
  async start(): Promise<void> {
    const runner = this.runner;
    if (!runner || !this.canStart) return;
    const id = ++this.runId;
    const sweep = this.sweep;
    const total = sweepSize(sweep);
    this.result = null;
    this.failure = null;
    this.announcement = '';
    this.running = { total, cancelling: false };
    this.progress = { done: 0, total, epochs: 0, totalEpochs: 0 };
    // Cleared under the key it was set with, wherever the element is by then.
    const mark = markKey(this);
    sweepMark.set(mark);
    try {
      const result = await runner.run(this.config, sweep, (p) => {
        if (id === this.runId) this.progress = p;
      });
      if (id !== this.runId) return;
      const done = result.cancelled ? Math.min(this.progress?.done ?? 0, result.rows.length) : result.rows.length;
      this.progress = { ...(this.progress ?? { epochs: 0, totalEpochs: 0 }), done, total: result.rows.length };
      this.resultSweep = sweep;
      this.result = result;
      this.announcement = sweepAnnouncement(result, done);
      emit(this, 'sp-sweep-result', result);
    } catch (e) {
      if (id !== this.runId) return;
      this.failure = `The sweep stopped: ${(e as Error)?.message ?? String(e)}`;
      this.announcement = this.failure;
    } finally {
      sweepMark.clear(mark);
      if (id === this.runId) this.running = null;
    }
  }

  /** Asks the runner to stop; it resolves with what it trained, marked cancelled. */
  cancel(): void {
    if (!this.running || this.running.cancelling) return;
    this.running = { ...this.running, cancelling: true };
    this.runner?.cancel();
  }

  private renderProgress() {
    const p = this.progress;
    if (!p) return nothing;
    const known = p.totalEpochs > 0;
    return html`<div class="progress">
      <span>Models finished: <strong data-testid="sweep-progress">${p.done}/${p.total}</strong></span>
      <progress
        data-testid="sweep-epoch-bar"
        aria-label="Epochs trained, all models together"
        max=${known ? p.totalEpochs : 1}
        .value=${known ? p.epochs : 0}
      ></progress>
      <span class="muted">${known ? `${p.epochs.toLocaleString('en')} of ${p.totalEpochs.toLocaleString('en')} epochs` : 'starting…'}</span>
      ${this.running?.cancelling ? html`<span>Cancelling…</span>` : nothing}
    </div>`;
  }

  override render() {
    const fieldProblem = this.fieldProblem;
    const blocked = fieldProblem ? null : experimentProblem(this.config, this.sweep);
    const running = this.running !== null;
    return html` ${
        this.messages.length
          ? html`<div class="notice" role="status" data-testid="sweep-messages">
              ${this.messages.map((m) => html`<p>${m}</p>`)} <button @click=${() => (this.messages = [])}>Dismiss</button>
            </div>`
          : nothing
      }
      <sp-sweep-settings
        .draft=${this.draft}
        .error=${fieldProblem}
        .epochs=${this.config.epochs}
        ?disabled=${running}
        ?regression=${taskOf(this.config) === 'regression'}
        @sp-sweep-edit=${(e: CustomEvent<{ sweep: SweepConfig }>) => this.onEdit(e)}
      ></sp-sweep-settings>
      ${blocked ? html`<p class="error" role="alert" data-testid="sweep-experiment-error">${blocked}</p>` : nothing}
      <div class="actions">
        <button class="primary" data-testid="sweep-start" ?disabled=${!this.canStart} @click=${() => void this.start()}>Start sweep</button>
        <button data-testid="sweep-cancel" ?disabled=${!running || this.running!.cancelling} @click=${() => this.cancel()}>Cancel</button>
        ${this.runner ? nothing : html`<span class="muted">Not connected to a trainer yet.</span>`}
      </div>
      ${this.renderProgress()} ${this.failure ? html`<p class="error" role="alert" data-testid="sweep-failure">${this.failure}</p>` : nothing}
      <p class="sr-only" role="status" aria-live="polite" data-testid="sweep-announcement">${this.announcement}</p>
      ${this.result ? html`<sp-sweep-results .result=${this.result} .sweep=${this.resultSweep} playground=${this.playground}></sp-sweep-results>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-sweep': SpSweep;
  }
}
