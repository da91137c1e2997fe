// Where a playground's experiment comes from besides a script assigning `config`: its embed
// attributes (config, dataset, layers, …) or, with `url-state`, the page's URL hash, which also
// carries the sweep settings and is written back on every edit.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ExperimentConfig } from '../../src/config/experiment.ts';
import { encodeSweep, type SweepConfig } from '../../src/config/sweep.ts';
import { decodeHash, encodeHash } from '../../src/config/url.ts';
import { sweepFromHash, sweepHashPart } from '../sweep/playground-sweep.ts';
import { configFromAttributes, EMBED_ATTRIBUTE_NAMES } from './embed-attributes.ts';
import type { HashPart } from '../ensembles/playground-ensembles.ts';

/** The element whose experiment the attributes or the hash describe. */
export interface ConfigSourceHost extends ReactiveControllerHost, Element {
  /** Mirror the state in location.hash (the `url-state` attribute); the attributes are then not read. */
  readonly urlState: boolean;
}

/** What the hash holds, and how an experiment or sweep read from the attributes or the hash is applied. */
export interface SourcedState {
  config(): ExperimentConfig;
  sweep(): SweepConfig;
  /** Other sweep settings, from the hash. */
  onSweep(sweep: SweepConfig): void;
  /** Another experiment; `messages` say what in it was not used. */
  onConfig(config: ExperimentConfig, messages: string[]): void;
  /** Other settings the hash carries (boosting's and stacking's), written after the sweep's. */
  parts?: () => HashPart[];
}

/**
 * Reads a playground's experiment from its attributes (several set together are read once) or,
 * with `url-state`, from the URL hash on connect and on `hashchange`; `write` records the current
 * experiment and sweep there. A hash that spells the current experiment differently changes
 * nothing, so a move does not rebuild.
 */
export class ConfigSource implements ReactiveController {
  private attributesQueued = false;
  private readonly onHashChange = () => this.read();

  constructor(
    private readonly host: ConfigSourceHost,
    private readonly state: SourcedState,
  ) {
    host.addController(this);
    for (const part of state.parts?.() ?? []) part.write = () => this.write();
  }

  /** True while changed attributes wait to be read: the experiment they describe replaces the current one at once. */
  get queued(): boolean {
    return this.attributesQueued;
  }

  /** Called from the host's attributeChangedCallback. */
  attributeChanged(name: string): void {
    if ((name === 'config' || EMBED_ATTRIBUTE_NAMES.includes(name)) && !this.host.urlState && !this.attributesQueued) {
      // Several attributes set together become one rebuild.
      this.attributesQueued = true;
      queueMicrotask(() => {
        this.attributesQueued = false;
        const { config, messages } = configFromAttributes(this.host);
        this.state.onConfig(config, messages);
      });
    }
  }

  hostConnected(): void {
    if (!this.host.urlState) return;
    this.read();
    window.addEventListener('hashchange', this.onHashChange);
  }

  hostDisconnected(): void {
    window.removeEventListener('hashchange', this.onHashChange);
  }

  /** Records the current experiment, sweep and other parts in the URL, without a history entry; nothing without url-state. */
  write(): void {
    if (this.host.urlState) history.replaceState(null, '', `#${this.text()}`);
  }

  /** The experiment's hash, and the sweep's settings when they are not the default. */
  private text(): string {
    return encodeHash(this.state.config()) + sweepHashPart(this.state.sweep()) + (this.state.parts?.() ?? []).map((p) => p.hashPart()).join('');
  }

  private read(): void {
    const hash = location.hash;
    if (!hash || hash === `#${this.text()}`) return;
    const { config, messages, page } = decodeHash(hash);
    const sweep = sweepFromHash(page.sweep, messages);
    if (sweep && encodeSweep(sweep) !== encodeSweep(this.state.sweep())) this.state.onSweep(sweep);
    for (const part of this.state.parts?.() ?? []) part.read(page, messages);
    // The same experiment spelled differently (e.g. an escaped comma): reconnecting the element,
    // as a move does, must not rebuild it.
    if (messages.length === 0 && encodeHash(config) === encodeHash(this.state.config())) return;
    this.state.onConfig(config, messages);
  }
}
