// Draws the parallel-coordinates chart on a 2-D canvas context: the lines back to front, then the
// axes, brushes, ticks and titles over them. Kept apart from the element so it stays small.
import type { SweepResult } from '../../src/train/sweep.ts';
import type { ThemeColors } from '../shared/palette.ts';
import { axisXs, inBrushes, lineAlpha, metricColor, NO_SCORE, type Brushes, type ParallelAxis } from './parallel-geometry.ts';

/** The chart's height in CSS px, the plot's top and bottom, and where rows without a score go. */
export const HEIGHT = 300;
export const TOP = 38;
export const BOTTOM = 256;
const NO_SCORE_Y = BOTTOM + 24;

/** A position on an axis (0 bottom, 1 top, or NO_SCORE) as y in CSS px. */
export const yOf = (t: number) => (t === NO_SCORE ? NO_SCORE_Y : BOTTOM - t * (BOTTOM - TOP));
/** A y in CSS px as a position on an axis, clamped to 0..1. */
export const tOf = (y: number) => Math.max(0, Math.min(1, (BOTTOM - y) / (BOTTOM - TOP)));

/** What one drawing needs. */
export interface ParallelPicture {
  result: SweepResult;
  axes: ParallelAxis[];
  brushes: Brushes;
  width: number;
  theme: ThemeColors;
  bg: string;
}

/** Whether row i of a successive-halving result was pruned at a rung. */
export function isPruned(r: SweepResult, i: number): boolean {
  return Boolean((r.rows[i] as { pruned?: boolean }).pruned);
}

/**
 * Draws every line and axis (context already scaled to CSS px) and returns how many lines are
 * highlighted: all of them without a brush, else those in every brush. Back to front: outside
 * the brushes (grey, faint), pruned (dashed, fainter), the rest, the chosen configuration (thick).
 */
export function drawParallel(ctx: CanvasRenderingContext2D, p: ParallelPicture): number {
  const { result: r, axes, brushes, theme } = p;
  const xs = axisXs(axes.length, p.width);
  const metric = axes.at(-1)!;
  const filtered = Object.keys(brushes).length > 0;
  const alpha = lineAlpha(r.rows.length);
  const rank = (i: number) => (filtered && !inBrushes(axes, brushes, i) ? 0 : isPruned(r, i) ? 1 : r.rows[i]!.index === r.best ? 3 : 2);
  const order = r.rows.map((_, i) => i).sort((a, b) => rank(a) - rank(b));
  let highlighted = 0;
  for (const i of order) {
    const level = rank(i);
    const t = metric.at[i]!;
    const good = t === NO_SCORE ? NaN : r.metric === 'accuracy' ? t : 1 - t;
    ctx.setLineDash(level === 1 ? [4, 3] : []);
    ctx.strokeStyle = level === 0 || !Number.isFinite(good) ? theme.muted : metricColor(good);
    ctx.globalAlpha = level === 3 ? 1 : level === 0 ? Math.min(0.15, alpha) : filtered ? Math.min(1, alpha * 2) : level === 1 ? alpha * 0.6 : alpha;
    ctx.lineWidth = level === 3 ? 3 : level === 1 ? 1 : 1.25;
    if (level > 0) highlighted++;
    ctx.beginPath();
    axes.forEach((a, k) => (k ? ctx.lineTo(xs[k]!, yOf(a.at[i]!)) : ctx.moveTo(xs[k]!, yOf(a.at[i]!))));
    ctx.stroke();
  }
  ctx.setLineDash([]);
  ctx.globalAlpha = 1;
  drawAxes(ctx, p, xs);
  return highlighted;
}

function drawAxes(ctx: CanvasRenderingContext2D, p: ParallelPicture, xs: number[]): void {
  const { axes, brushes, theme, bg, width: w } = p;
  const gap = xs.length > 1 ? xs[1]! - xs[0]! : w;
  ctx.lineJoin = 'round';
  for (const [k, a] of axes.entries()) {
    const x = xs[k]!;
    const b = brushes[a.key];
    if (b) {
      ctx.fillStyle = theme.accent;
      ctx.globalAlpha = 0.25;
      ctx.fillRect(x - 7, yOf(b.hi), 14, yOf(b.lo) - yOf(b.hi));
      ctx.globalAlpha = 1;
      ctx.strokeStyle = theme.accent;
      ctx.strokeRect(x - 7, yOf(b.hi), 14, yOf(b.lo) - yOf(b.hi));
    }
    ctx.strokeStyle = theme.fg;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(x, TOP);
    ctx.lineTo(x, BOTTOM);
    ctx.stroke();
    // Tick labels right of the axis, haloed in the background colour to stay legible over lines.
    ctx.font = '10px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    let lastY = Infinity;
    for (const tick of [...a.ticks].sort((p, q) => p.t - q.t)) {
      const y = yOf(tick.t);
      if (lastY - y < 11) continue;
      lastY = y;
      ctx.fillStyle = theme.fg;
      ctx.fillRect(x - 3, y, 6, 1);
      text(ctx, fit(ctx, tick.label, Math.max(28, gap - 12)), x + 7, y, theme.fg, bg);
    }
    ctx.font = '600 11px system-ui, sans-serif';
    ctx.textBaseline = 'alphabetic';
    const title = ctx.measureText(a.label).width <= gap - 6 ? a.label : a.short;
    const tw = ctx.measureText(title).width;
    text(ctx, title, Math.max(2, Math.min(w - tw - 2, x - tw / 2)), TOP - 14, theme.fg, bg);
  }
  if (axes.at(-1)!.at.includes(NO_SCORE)) {
    ctx.font = '10px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    // Left of the last axis: its right margin is too narrow for the words.
    text(ctx, 'no score', xs.at(-1)! - 6 - ctx.measureText('no score').width, NO_SCORE_Y, theme.muted, bg);
  }
}

function text(ctx: CanvasRenderingContext2D, s: string, x: number, y: number, fg: string, bg: string): void {
  ctx.strokeStyle = bg;
  ctx.lineWidth = 3;
  ctx.strokeText(s, x, y);
  ctx.fillStyle = fg;
  ctx.fillText(s, x, y);
}

/** A label cut to fit `max` px, with an ellipsis. */
function fit(ctx: CanvasRenderingContext2D, s: string, max: number): string {
  if (ctx.measureText(s).width <= max) return s;
  let cut = s;
  while (cut.length > 1 && ctx.measureText(`${cut}…`).width > max) cut = cut.slice(0, -1);
  return `${cut}…`;
}
