// What <sp-boosting> and <sp-stacking> share as elements: the experiment and runner properties,
// a runner from the page's default when none is set, cancelling when removed from the page, and
// the embed attributes (`config`, a playground link hash, and the method's own link value) read
// together in one microtask so that setting both applies once.
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import { decodeHash } from '../../src/config/url.ts';
import { joinRunners, leaveRunners, type EnsembleRunner } from './ensemble-runner.ts';

/** The base of the ensemble elements; `S` is the method's settings. */
export abstract class EnsembleElement<S> extends LitElement {
  /** The attribute with the method's link value (`boost` or `stack`). */
  static settingsAttribute = '';

  @property({ attribute: false }) config: ExperimentConfig = DEFAULT_EXPERIMENT;
  @property({ attribute: false }) runner: EnsembleRunner | null = null;
  /** The method's settings (each subclass declares it as a property with its default). */
  abstract settings: S;

  /** Messages about attribute values that were not used. */
  @state() protected messages: string[] = [];
  /** The run under way: epochs done of the total, and whether Cancel was pressed; null when none. */
  @state() protected running: { done: number; total: number; cancelling: boolean } | null = null;
  /** Counts runs, so the answers of a run that was replaced change nothing. */
  protected runId = 0;
  private attributesQueued = false;

  /** Stops the run under way (the runner ends it; its finished part is kept by the subclass). */
  cancel(): void {
    if (!this.running || this.running.cancelling) return;
    this.running = { ...this.running, cancelling: true };
    this.runner?.cancel();
  }

  /** The messages about attribute values, under `testid`. */
  protected renderMessages(testid: string): TemplateResult | typeof nothing {
    return this.messages.length ? html`<div role="status" data-testid=${testid}>${this.messages.map((m) => html`<p class="muted">${m}</p>`)}</div>` : nothing;
  }
  /** Reads the method's link value (its defaults for each field it cannot use). */
  protected abstract decodeSettings(raw: string): { settings: S; messages: string[] };

  override connectedCallback(): void {
    super.connectedCallback();
    joinRunners(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    leaveRunners(this);
    // Removed from the page: the run stops and frees its memory.
    if (this.running) this.cancel();
  }

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'config', this.settingsAttribute];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    const own = (this.constructor as typeof EnsembleElement).settingsAttribute;
    if ((name === 'config' || name === own) && !this.attributesQueued) {
      this.attributesQueued = true;
      queueMicrotask(() => {
        this.attributesQueued = false;
        const decoded = decodeHash(this.getAttribute('config') ?? '', DEFAULT_EXPERIMENT);
        const method = this.decodeSettings(this.getAttribute(own) ?? '');
        this.messages = [...decoded.messages, ...method.messages];
        this.config = decoded.config;
        this.settings = method.settings;
      });
    }
  }
}
