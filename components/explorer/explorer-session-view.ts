// The shader explorer's session UI as template functions: the bar of its own training session
// and the banner of an edit that came in a link. The element keeps the state; these draw it.
import { html, nothing } from 'lit';
import type { ExperimentConfig } from '../../src/config/experiment.ts';
import type { SharedEdit } from '../../src/explorer/share.ts';
import { networkText, type ExplorerSession } from './explorer-session.ts';

/** What the session bar reads from the explorer element, and its one action. */
export interface SessionBarContext {
  session: ExplorerSession;
  /** The network the session trains; null for the default Iris one. */
  experiment: ExperimentConfig | null;
  /** Starts the session again after it failed. */
  retry(): void;
}

/** The own session's controls and numbers: Pause/Train, Restart, network, device, step, loss. */
export function sessionBar(c: SessionBarContext) {
  const s = c.session;
  const running = s.state === 'training' || s.state === 'paused';
  const startingText = `Starting: ${s.device ? 'building the network on the GPU device…' : 'taking a GPU device…'}`;
  return html`<div class="session" role="group" aria-label="Training on this page's device">
    ${
      running
        ? html`<button class="primary" data-testid="train-toggle" aria-pressed=${s.state === 'training' ? 'true' : 'false'} @click=${() => s.toggle()}>
              ${s.state === 'training' ? 'Pause' : 'Train'}
            </button>
            <button data-testid="restart-training" @click=${() => s.restart()}>Restart from the initial weights</button>`
        : nothing
    }
    <span>network: <strong data-testid="network">${networkText(c.experiment)}</strong></span>
    <span>device: <strong data-testid="device">${s.device || (s.state === 'starting' ? '…' : 'none')}</strong></span>
    ${
      running
        ? html`<span>step <strong data-testid="step">${s.steps}</strong></span>
            <span>loss <strong data-testid="train-loss">${s.loss === null ? '…' : Number.isFinite(s.loss) ? s.loss.toFixed(4) : String(s.loss)}</strong></span>`
        : nothing
    }
    ${s.state === 'starting' ? html`<span class="muted" data-testid="explorer-starting" role="status">${startingText}</span>` : nothing}
    ${
      s.state === 'failed'
        ? html`<span class="error" role="alert" data-testid="explorer-error">${s.error}</span>
            <button data-testid="explorer-retry" @click=${() => c.retry()}>Start again</button>`
        : nothing
    }
  </div>`;
}

/** What the banner of a linked edit reads, and what its buttons do. */
export interface SharedEditContext {
  /** The edit from the link; nothing is drawn without one. */
  edit: SharedEdit | null;
  /** False without a GPU device: the edit is shown but cannot run. */
  canRun: boolean;
  /** While a device starts: why it cannot run yet (it can once the device is ready). */
  waiting?: string | null;
  /** Compiles and runs the edit (only on this click, never by itself). */
  run(): void;
  ignore(): void;
}

/** The banner of an edit that came in a link: what it is, and Run or Ignore. */
export function sharedEditBanner(c: SharedEditContext) {
  const edit = c.edit;
  if (!edit) return nothing;
  return html`<div class="banner" data-testid="shared-edit">
    This link carries an edited <code>${edit.family}.wgsl</code> (${edit.source.length} characters).
    ${
      c.canRun
        ? html`It has not been compiled or run. <button class="primary" data-testid="run-shared" @click=${() => c.run()}>Run this edited kernel</button>`
        : c.waiting
          ? `It can run once the network is built on the GPU: ${c.waiting}`
          : 'It cannot run here: there is no GPU device.'
    }
    <button @click=${() => c.ignore()}>Ignore</button>
  </div>`;
}
