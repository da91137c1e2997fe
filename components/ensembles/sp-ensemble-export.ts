import { html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ExperimentConfig } from '../../src/config/experiment.ts';
import { boostingResultJson, stackingResultJson } from '../../src/io/ensemble-result.ts';
import { boostingScript, stackingScript } from '../../src/io/export-ensembles.ts';
import type { BoostingOptions, BoostingResult, StackingOptions, StackingResult } from '../../src/worker/api.ts';
import { downloadText } from '../shared/download.ts';
import { baseStyles } from '../shared/styles.ts';
import { ensembleStyles } from './ensemble-styles.ts';

/** A finished run as the driver was called: its experiment, options and result. */
export type EnsembleRun =
  | { kind: 'boost'; config: ExperimentConfig; options: BoostingOptions; result: BoostingResult }
  | { kind: 'stack'; config: ExperimentConfig; options: StackingOptions; result: StackingResult };

/** The buttons' test ids, by kind. */
const IDS = {
  boost: { script: 'boost-export-pytorch', result: 'boost-result-json' },
  stack: { script: 'stack-export-pytorch', result: 'stack-result-json' },
} as const;

/**
 * The code export of a boosting or stacking run: "Export PyTorch" downloads a script that
 * reproduces the run (src/io/export-ensembles.ts) and "Download result" the file its `--check`
 * compares with (src/io/ensemble-result.ts). Test ids `boost-export-pytorch`/`boost-result-json`
 * or `stack-export-pytorch`/`stack-result-json`, after `run.kind`.
 */
@customElement('sp-ensemble-export')
export class SpEnsembleExport extends LitElement {
  static override styles = [baseStyles, ensembleStyles];

  @property({ attribute: false }) run: EnsembleRun | null = null;

  @state() private error = '';

  /** The PyTorch script of the run. */
  script(): string {
    const r = this.run;
    if (!r) throw new Error('there is no finished run to export');
    return r.kind === 'boost' ? boostingScript(r.config, r.options, r.result) : stackingScript(r.config, r.options, r.result);
  }

  /** The run's result file, for the script's --check. */
  resultJson(): string {
    const r = this.run;
    if (!r) throw new Error('there is no finished run to export');
    return r.kind === 'boost' ? boostingResultJson(r.config, r.options, r.result) : stackingResultJson(r.config, r.options, r.result);
  }

  private save(what: 'script' | 'result'): void {
    const name = this.run?.kind === 'boost' ? 'boosting' : 'stacking';
    try {
      if (what === 'script') downloadText(this.script(), `shaderprop_${name}.py`, 'text/x-python');
      else downloadText(this.resultJson(), `shaderprop_${name}_result.json`, 'application/json');
      this.error = '';
    } catch (e) {
      this.error = `The ${what === 'script' ? 'script' : 'result file'} could not be written: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  override render() {
    const r = this.run;
    if (!r) return nothing;
    const ids = IDS[r.kind];
    return html`<div class="actions">
        <button data-testid=${ids.script} @click=${() => this.save('script')}>Export PyTorch</button>
        <button data-testid=${ids.result} @click=${() => this.save('result')}>Download result</button>
        <span class="muted">The script reproduces this run; <code>--check</code> compares it with the result file.</span>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-ensemble-export': SpEnsembleExport;
  }
}
