/**
 * Okabe–Ito's categorical palette (distinguishable under the common colour-vision
 * deficiencies), with its black swapped for grey so it stays visible on the dark theme and
 * ordered so the first few classes get the most distinct hues. Every element that colours
 * classes takes its colours from here, so class 2 is the same colour in every chart.
 */
export const PALETTE: readonly string[] = Object.freeze([
  '#0072B2', // blue
  '#E69F00', // orange
  '#009E73', // bluish green
  '#D55E00', // vermillion
  '#CC79A7', // reddish purple
  '#56B4E9', // sky blue
  '#F0E442', // yellow
  '#999999', // grey
]);

/**
 * Colour of class `i`. Past the palette's length colours repeat; charts that may show more
 * classes than that also vary the dash pattern (see `classDash`).
 */
export function classColor(i: number): string {
  const n = PALETTE.length;
  return PALETTE[((Math.trunc(i) % n) + n) % n]!;
}

/** Line dash for class `i`: solid for the first round of colours, dashed when they repeat. */
export function classDash(i: number): number[] {
  return Math.trunc(i / PALETTE.length) % 2 === 1 ? [6, 3] : [];
}

/** Theme colours a canvas needs, resolved to concrete values (canvas cannot read CSS vars). */
export interface ThemeColors {
  fg: string;
  muted: string;
  border: string;
  panel: string;
  accent: string;
}

/**
 * Reads the `--sp-*` custom properties from an element's computed style, with the light
 * defaults as fallback for an element not yet styled (e.g. before it is connected).
 */
export function themeColors(host: Element): ThemeColors {
  const style = getComputedStyle(host);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    fg: read('--sp-fg', '#1b1f24'),
    muted: read('--sp-muted', '#5b6570'),
    border: read('--sp-border', '#d5dae0'),
    panel: read('--sp-panel', '#f5f7fa'),
    accent: read('--sp-accent', '#2f6fdb'),
  };
}

const pendingCharts = new Set<{ update(mode: 'none'): void }>();
let flushQueued = false;

/**
 * Redraws a chart in a task of its own instead of inside the render that changed its data:
 * several charts updating in one render would otherwise make one long main-thread task. Calls
 * for the same chart before it is drawn collapse into one redraw.
 */
export function redrawSoon(chart: { update(mode: 'none'): void }): void {
  pendingCharts.add(chart);
  if (flushQueued) return;
  flushQueued = true;
  setTimeout(function flushOne() {
    const next = pendingCharts.values().next();
    if (!next.done) {
      pendingCharts.delete(next.value);
      // A chart destroyed meanwhile (its element left the page) has nothing left to draw on.
      if ((next.value as { canvas?: unknown }).canvas) next.value.update('none');
    }
    if (pendingCharts.size) setTimeout(flushOne, 0);
    else flushQueued = false;
  }, 0);
}

/** Drops a pending redraw, e.g. when the chart is being destroyed. */
export function cancelRedraw(chart: { update(mode: 'none'): void }): void {
  pendingCharts.delete(chart);
}
