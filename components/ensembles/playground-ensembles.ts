// What a playground does with boosting and stacking: their settings as the link's `boost=` and
// `stack=` keys, a runner for each on the playground's worker and CSV table, and their panels in
// the "Several runs" section.
import { html, type ReactiveControllerHost } from 'lit';
import type { ExperimentConfig } from '../../src/config/experiment.ts';
import {
  decodeBoost,
  decodeStack,
  DEFAULT_BOOST,
  DEFAULT_STACK,
  encodeBoost,
  encodeStack,
  type BoostSettings,
  type StackSettings,
} from '../../src/config/ensembles.ts';
import type { PageKey } from '../../src/config/url.ts';
import type { LabeledTable } from '../../src/data/dataset.ts';
import type { EngineClient } from '../../src/worker/client.ts';
import { WorkerEnsembleRunner } from './worker-ensemble-runner.ts';
import './sp-boosting.ts';
import './sp-stacking.ts';

/** A part of a page's hash beside the experiment: how it is written, and read back over the current value. */
export interface HashPart {
  hashPart(): string;
  /** Set by the page's ConfigSource: records the part in the link after an edit. */
  write: () => void;
  /** Applies the hash's page keys; a bad field adds a message and keeps the current value. */
  read(page: Partial<Record<PageKey, string>>, messages: string[]): void;
}

/** Boosting's and stacking's settings of a playground, their link keys and their runners. */
export class PlaygroundEnsembles implements HashPart {
  boost: BoostSettings = DEFAULT_BOOST;
  stack: StackSettings = DEFAULT_STACK;
  /** One runner each: a runner has one job at a time, and both may run. */
  readonly boostRunner: WorkerEnsembleRunner;
  readonly stackRunner: WorkerEnsembleRunner;

  /** Records the settings in the page's link (with url-state); the page's ConfigSource sets it. */
  write: () => void = () => undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    table: () => LabeledTable | null,
    client: () => EngineClient,
  ) {
    this.boostRunner = new WorkerEnsembleRunner(table, client);
    this.stackRunner = new WorkerEnsembleRunner(table, client);
  }

  /** `&boost=…&stack=…` for the settings that are not the default, so plain links stay short. */
  hashPart(): string {
    const b = encodeBoost(this.boost);
    const s = encodeStack(this.stack);
    return (
      (b === encodeBoost(DEFAULT_BOOST) ? '' : `&boost=${encodeURIComponent(b).replace(/%2C/g, ',')}`) +
      (s === encodeStack(DEFAULT_STACK) ? '' : `&stack=${encodeURIComponent(s).replace(/%2C/g, ',')}`)
    );
  }

  read(page: Partial<Record<PageKey, string>>, messages: string[]): void {
    // A link without the key is a link to the defaults (hashPart leaves them out).
    const boost = decodeBoost(page.boost ?? '', page.boost === undefined ? DEFAULT_BOOST : this.boost);
    const stack = decodeStack(page.stack ?? '', page.stack === undefined ? DEFAULT_STACK : this.stack);
    messages.push(...boost.messages, ...stack.messages);
    if (encodeBoost(boost.settings) !== encodeBoost(this.boost)) this.boost = boost.settings;
    if (encodeStack(stack.settings) !== encodeStack(this.stack)) this.stack = stack.settings;
    this.host.requestUpdate();
  }

  /** The boosting and stacking panels of the "Several runs" section. */
  panels(config: ExperimentConfig) {
    return html`<h3>Boosting (AdaBoost, SAMME)</h3>
      <sp-boosting
        .config=${config}
        .settings=${this.boost}
        .runner=${this.boostRunner}
        @sp-boost-change=${(e: CustomEvent<BoostSettings>) => {
          this.boost = e.detail;
          this.write();
        }}
      ></sp-boosting>
      <h3>Stacking</h3>
      <sp-stacking
        .config=${config}
        .settings=${this.stack}
        .runner=${this.stackRunner}
        @sp-stack-change=${(e: CustomEvent<StackSettings>) => {
          this.stack = e.detail;
          this.write();
        }}
      ></sp-stacking>`;
  }
}
