// Compare mode's share of <sp-gan-2d>: the switch, its link key and where the small multiples go,
// kept here so the lab's element only wires them in.
import { html } from 'lit';
import type { BackendChoice } from '../../src/config/experiment.ts';
import { DEFAULT_COMPARE, formatCompare, gan2dVariants, parseCompare, type Gan2dCompareSpec } from '../../src/gan2d/compare.ts';
import type { Gan2dConfig } from '../../src/gan2d/config.ts';
import './sp-gan-2d-compare.ts';
import type { Gan2dCompareDetail } from './sp-gan-2d-compare.ts';

/** The link key of compare mode: `compare=seed:8`, `compare=lr-ratio:0.1-10:5`, …; absent: off. */
export const COMPARE_KEY = 'compare';

/** Compare mode from a link hash: the spec (null: off), and `messages` with one more when its value was not used. */
export function readCompareHash(hash: string, config: Gan2dConfig, messages: string[] = []): { spec: Gan2dCompareSpec | null; messages: string[] } {
  const raw = new URLSearchParams(hash.replace(/^#/, '')).get(COMPARE_KEY);
  if (raw === null) return { spec: null, messages };
  try {
    const spec = parseCompare(raw);
    gan2dVariants(config, spec);
    return { spec, messages };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { spec: null, messages: [...messages, `"${COMPARE_KEY}=${raw.slice(0, 40)}" was not used (${why}); compare mode is off.`] };
  }
}

/** The link's compare entry, or none when compare mode is off. */
export function compareHashParts(spec: Gan2dCompareSpec | null): string[] {
  return spec ? [`${COMPARE_KEY}=${encodeURIComponent(formatCompare(spec))}`] : [];
}

/** The `gan2d-compare` switch: on, compare mode starts with 8 seeds. */
export function renderCompareSwitch(on: boolean, toggle: (spec: Gan2dCompareSpec | null) => void) {
  const change = (e: Event) => toggle((e.target as HTMLInputElement).checked ? DEFAULT_COMPARE : null);
  return html`<label><input type="checkbox" data-testid="gan2d-compare" .checked=${on} @change=${change} /> Compare variants side by side</label>`;
}

/** The small multiples, when compare mode is on. */
export function renderCompare(
  spec: Gan2dCompareSpec | null,
  config: Gan2dConfig,
  backend: BackendChoice,
  assets: string | null,
  changed: (spec: Gan2dCompareSpec) => void,
) {
  if (!spec) return null;
  return html`<section aria-label="Variants compared">
    <h2>Compare</h2>
    <sp-gan-2d-compare
      .config=${config}
      .spec=${spec}
      backend=${backend}
      .assets=${assets}
      @sp-gan2d-compare=${(e: CustomEvent<Gan2dCompareDetail>) => changed(e.detail.spec)}
    ></sp-gan-2d-compare>
  </section>`;
}
