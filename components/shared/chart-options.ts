// chart.js options the chart elements share, so that every chart here looks and behaves alike:
// drawn once per data change at its box's size, its axes in the theme's colours.
import type { ThemeColors } from './palette.ts';

/**
 * No animation (the charts redraw on data, never on a timer) and the size of the element's box,
 * not the canvas's aspect ratio.
 */
export const STILL_CHART = { animation: false, responsive: true, maintainAspectRatio: false } as const;

/** A linear axis titled `title`, its title and ticks in the muted colour and its grid in the border colour. */
export function linearAxis(t: ThemeColors, title: string) {
  return { type: 'linear', title: { display: true, text: title, color: t.muted }, ticks: { color: t.muted }, grid: { color: t.border } } as const;
}
