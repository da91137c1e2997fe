// What the two kernel tables share: the step's dispatches (sp-shader-kernel-list, with a device)
// and the entry points read from the sources (sp-shader-entry-points, without one) look alike.
import { css, html } from 'lit';
import type { BindingInfo } from '../../src/explorer/catalog.ts';

/** A compact table of kernels: one row per kernel, clickable, with its bindings wrapped in one cell. */
export const kernelTableStyles = css`
  :host {
    display: block;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    font-size: 13px;
  }
  th,
  td {
    text-align: left;
    padding: 4px 8px;
    border-bottom: 1px solid var(--sp-border);
    white-space: nowrap;
    vertical-align: top;
  }
  th {
    color: var(--sp-muted);
    font-weight: 600;
  }
  td.num,
  th.num {
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
  tr.kernel {
    cursor: pointer;
  }
  tr.kernel:hover {
    background: var(--sp-panel);
  }
  tr.selected {
    background: color-mix(in srgb, var(--sp-accent) 12%, transparent);
  }
  code {
    font-size: 12px;
  }
  .bindings {
    white-space: normal;
    min-width: 16em;
    font-size: 12px;
    color: var(--sp-muted);
  }
  .bindings span {
    display: inline-block;
    margin-right: 8px;
  }
  .rw {
    color: var(--sp-fg);
  }
`;

/** "0 u (uniform)", "1 src", "4 out (rw)". */
function bindingText(b: BindingInfo): string {
  return `${b.binding} ${b.name}${b.kind === 'rw' ? ' (rw)' : b.kind === 'uniform' ? ' (uniform)' : ''}`;
}

/** A kernel's bindings in one cell, read-write ones stronger. */
export function bindingCell(bindings: readonly BindingInfo[]) {
  return html`<td class="bindings">
    ${bindings.map((b) => html`<span class=${b.kind === 'rw' ? 'rw' : ''} title=${`binding ${b.binding}: ${b.kind}`}>${bindingText(b)}</span>`)}
  </td>`;
}

/** Enter or Space on a focused row does what a click does. */
export function onRowKey(e: KeyboardEvent, select: () => void): void {
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    select();
  }
}
