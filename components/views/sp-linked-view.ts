import { html, LitElement } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { PlaygroundState } from '../playground/sp-playground.ts';
import { baseStyles } from '../shared/styles.ts';

/**
 * Base of the small views a blog author places inside prose, bound to a playground elsewhere on
 * the page by its id (`for="…"`). They hold no model: they follow the playground's `sp-state`.
 */
export abstract class LinkedView extends LitElement {
  static override styles = [baseStyles];

  /** Id of the <sp-playground> to follow. */
  @property({ attribute: 'for' }) for = '';
  @state() protected state: PlaygroundState | null = null;
  private source: Element | null = null;
  /** Watches the document while the named playground is missing (it may be added from script later). */
  private watcher: MutationObserver | null = null;
  private readonly onState = (e: Event) => (this.state = (e as CustomEvent<PlaygroundState>).detail);

  override connectedCallback(): void {
    super.connectedCallback();
    // The playground may come later in the document: look again once the page has parsed.
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => this.attach(), { once: true });
    else queueMicrotask(() => this.attach());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.source?.removeEventListener('sp-state', this.onState);
    this.source = null;
    this.watcher?.disconnect();
    this.watcher = null;
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('for') && this.isConnected) this.attach();
  }

  private attach(): void {
    this.source?.removeEventListener('sp-state', this.onState);
    this.source = this.for ? document.getElementById(this.for) : null;
    this.source?.addEventListener('sp-state', this.onState);
    this.watcher?.disconnect();
    this.watcher = null;
    if (!this.source && this.for && this.isConnected) {
      this.watcher = new MutationObserver(() => {
        if (document.getElementById(this.for)) this.attach();
      });
      this.watcher.observe(document, { childList: true, subtree: true });
    }
    this.requestUpdate();
  }

  /** A note when the playground it names is missing. */
  protected missing() {
    return this.source ? null : html`<p class="muted">No playground with id "${this.for}" on this page.</p>`;
  }
}
