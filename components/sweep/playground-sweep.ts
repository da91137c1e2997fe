// What a playground does with its sweep: the Sweep panel, and the sweep's part of a playground link.
import { html } from 'lit';
import type { ExperimentConfig } from '../../src/config/experiment.ts';
import { DEFAULT_SWEEP, decodeSweep, encodeSweep, type SweepConfig } from '../../src/config/sweep.ts';
import type { SweepRunner } from '../../src/train/sweep.ts';
import { engineWorkerUrl } from '../../src/worker/worker-url.ts';
import './sp-sweep.ts';

/**
 * The sweep of a playground link's `sweep=` value (decodeHash's `page.sweep`), or null when it
 * carries none (a sweep row's link: the sweep settings on screen stay). A broken one adds a
 * message to `messages` and gives the default, like any other setting.
 */
export function sweepFromHash(raw: string | undefined, messages: string[]): SweepConfig | null {
  if (raw === undefined) return null;
  try {
    return decodeSweep(raw);
  } catch (e) {
    messages.push(`The sweep setting "${raw.slice(0, 60)}" was not used (${e instanceof Error ? e.message : String(e)}); keeping the default sweep.`);
    return DEFAULT_SWEEP;
  }
}

/** The `&sweep=…` part of a playground hash; empty for the default sweep, so plain links stay short. */
export function sweepHashPart(sweep: SweepConfig): string {
  const text = encodeSweep(sweep);
  return text === encodeSweep(DEFAULT_SWEEP) ? '' : `&sweep=${encodeURIComponent(text)}`;
}

/** What the Sweep panel reads from its playground, and where its edits go. */
export interface SweepPanelContext {
  config: ExperimentConfig;
  sweep: SweepConfig;
  runner: SweepRunner;
  /** The playground keeps its state in this page's URL: a row's link then opens this page. */
  urlState: boolean;
  named(section: string): string;
  onSweep(sweep: SweepConfig): void;
}

/** The Sweep panel: every configuration of the sweep trained together in the worker. */
export function sweepPanel(c: SweepPanelContext) {
  return html`<section class="panel sweep" aria-label=${c.named('Hyperparameter sweep')}>
    <h2>Hyperparameter sweep</h2>
    <sp-sweep
      .config=${c.config}
      .sweep=${c.sweep}
      .runner=${c.runner}
      playground=${c.urlState ? '' : new URL('index.html', engineWorkerUrl()).href}
      @sp-sweep-change=${(ev: CustomEvent<SweepConfig>) => c.onSweep(ev.detail)}
    ></sp-sweep>
  </section>`;
}
