// The parallel-coordinates chart's arithmetic, kept free of the DOM so it can be unit-tested:
// which axes a sweep gets and how each scales (log, linear or evenly spaced categories), where
// every row crosses each axis, brushes and the rows they keep, and the metric's colour scale.
import { SWEEP_PARAMS, type SweepConfig, type SweepParam } from '../../src/config/sweep.ts';
import type { SweepResult, SweepRow } from '../../src/train/sweep.ts';
import { formatValue, logAxis, metricOf, metricText, PARAM_LABELS } from './sweep-format.ts';

/** How an axis places values: log or linear between its ends, or categories evenly spaced. */
export type AxisKind = 'log' | 'linear' | 'categorical';

/** Where a row without a metric (diverged, or cancelled before it was scored) crosses the metric axis: below it. */
export const NO_SCORE = -0.12;

/** A tick: its position (0 bottom, 1 top) and label. */
export interface Tick {
  t: number;
  label: string;
}

/** One vertical axis: a varied hyperparameter, or the metric (always last). */
export interface ParallelAxis {
  key: SweepParam | 'metric';
  label: string;
  /** A name that fits a narrow column. */
  short: string;
  kind: AxisKind;
  ticks: Tick[];
  /** Positions a keyboard brush steps through, ascending: every distinct value when there are few. */
  stops: number[];
  /** Each row's position on the axis, in `result.rows` order (0 bottom, 1 top; NO_SCORE when it has no metric). */
  at: number[];
  /** The value at a position, as text (what a brush bound stands for). */
  valueAt: (t: number) => string;
}

/** A brush: the positions it keeps, lo ≤ hi, in 0..1. */
export interface Brush {
  lo: number;
  hi: number;
}

/** Brushes by axis key; an axis without one keeps every row. */
export type Brushes = Partial<Record<ParallelAxis['key'], Brush>>;

const SHORT: Record<SweepParam, string> = {
  lr: 'lr',
  batch: 'batch',
  epochs: 'epochs',
  l2: 'L2',
  l1: 'L1',
  dropout: 'dropout',
  optimizer: 'optim.',
  seed: 'seed',
};
/** Up to this many distinct values, every one is a tick and a keyboard stop. */
const FEW = 6;
const MAX_STOPS = 24;
const EPS = 1e-9;

/**
 * Whether a numeric hyperparameter's axis is log: the learning rate always (it is searched on a
 * log scale); L2 and L1 when the sweep's range starts above 0 (log-spaced then, see gridValues);
 * batch sizes when they span a factor of 8 or more. Without the sweep, L2 and L1 are judged by
 * their values as the other sweep charts judge them (logAxis).
 */
export function isLogParam(p: SweepParam, values: number[], sweep?: SweepConfig | null): boolean {
  if ((p === 'l2' || p === 'l1') && sweep?.[p]) return sweep[p]!.min > 0;
  return logAxis(p, values);
}

/** A continuous scale from [min, max] to 0..1; a single value sits in the middle. */
export function numericScale(kind: 'log' | 'linear', min: number, max: number): { to: (v: number) => number; from: (t: number) => number } {
  const f = kind === 'log' ? Math.log : (v: number) => v;
  const inv = kind === 'log' ? Math.exp : (v: number) => v;
  const [a, b] = [f(min), f(max)];
  if (!(b > a)) return { to: () => 0.5, from: () => min };
  return { to: (v) => (f(v) - a) / (b - a), from: (t) => inv(a + t * (b - a)) };
}

/** Ticks of a continuous axis: its ends, and powers of ten (log) or round steps (linear) between. */
export function numericTicks(kind: 'log' | 'linear', min: number, max: number, label: (v: number) => string): Tick[] {
  const { to } = numericScale(kind, min, max);
  if (!(max > min)) return [{ t: 0.5, label: label(min) }];
  const inner: number[] = [];
  if (kind === 'log') {
    for (let e = Math.ceil(Math.log10(min)); e <= Math.floor(Math.log10(max)); e++) inner.push(10 ** e);
  } else {
    const raw = (max - min) / 4;
    const mag = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
    for (let v = Math.ceil(min / step) * step; v <= max; v += step) inner.push(Number(v.toPrecision(12)));
  }
  const ticks = [min, ...inner.filter((v) => to(v) > 0.08 && to(v) < 0.92), max];
  return ticks.map((v) => ({ t: to(v), label: label(v) }));
}

/** Distinct positions ascending, or evenly spaced stops when there are too many to step through. */
function stopsOf(at: number[]): number[] {
  const distinct = [...new Set(at.filter((t) => t >= 0))].sort((a, b) => a - b);
  return distinct.length <= MAX_STOPS ? distinct : Array.from({ length: 21 }, (_, i) => i / 20);
}

function categoricalAxis(p: SweepParam, rows: readonly SweepRow[], order: readonly string[]): ParallelAxis {
  const seen = [...new Set(rows.map((r) => String(r.values[p])))];
  const cats = [...order.filter((c) => seen.includes(c)), ...seen.filter((c) => !order.includes(c))];
  const pos = (i: number) => (cats.length === 1 ? 0.5 : i / (cats.length - 1));
  const at = rows.map((r) => pos(cats.indexOf(String(r.values[p]))));
  const valueAt = (t: number) => cats[Math.max(0, Math.min(cats.length - 1, Math.round(t * (cats.length - 1))))] ?? '';
  return {
    key: p,
    label: PARAM_LABELS[p],
    short: SHORT[p],
    kind: 'categorical',
    ticks: cats.map((c, i) => ({ t: pos(i), label: c })),
    stops: stopsOf(at),
    at,
    valueAt,
  };
}

function numericAxis(p: SweepParam, rows: readonly SweepRow[], sweep?: SweepConfig | null): ParallelAxis {
  const values = rows.map((r) => r.values[p] as number);
  const kind = isLogParam(p, values, sweep) ? 'log' : 'linear';
  const range = p === 'lr' || p === 'epochs' || p === 'l2' || p === 'l1' || p === 'dropout' ? sweep?.[p] : undefined;
  // The sweep's range where it is known (random draws fall inside it), else the values' extent.
  const min = Math.min(...values, ...(range ? [range.min] : []));
  const max = Math.max(...values, ...(range ? [range.max] : []));
  const { to, from } = numericScale(kind, min, max);
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  const ticks = distinct.length <= FEW ? distinct.map((v) => ({ t: to(v), label: formatValue(v) })) : numericTicks(kind, min, max, formatValue);
  const at = values.map(to);
  return { key: p, label: PARAM_LABELS[p], short: SHORT[p], kind, ticks, stops: stopsOf(at), at, valueAt: (t) => formatValue(from(t)) };
}

/**
 * The metric's axis: accuracy linear over the scores' extent; loss linear, or log when the
 * scores are all above 0 and span a factor of 10 or more (a few bad learning rates would
 * otherwise squash every other line together). Rows without a score sit at NO_SCORE.
 */
export function metricAxis(r: SweepResult): ParallelAxis {
  const scores = r.rows.map((row) => metricOf(row, r.metric));
  const finite = scores.filter(Number.isFinite);
  const [min, max] = finite.length ? [Math.min(...finite), Math.max(...finite)] : [0, 1];
  const kind = r.metric === 'loss' && min > 0 && max / min >= 10 ? 'log' : 'linear';
  const { to, from } = numericScale(kind, min, max);
  const text = (v: number) => metricText(v, r.metric);
  const at = scores.map((v) => (Number.isFinite(v) ? to(v) : NO_SCORE));
  const label = r.metric === 'accuracy' ? 'Validation accuracy' : 'Validation loss';
  const short = r.metric === 'accuracy' ? 'val. acc.' : 'val. loss';
  return { key: 'metric', label, short, kind, ticks: numericTicks(kind, min, max, text), stops: stopsOf(at), at, valueAt: (t) => text(from(t)) };
}

/**
 * The axes of a sweep's chart: one per varied hyperparameter in SWEEP_PARAMS order (seed
 * replicates aside: a seed is not a setting to choose), then the metric. The optimizer is
 * categorical; every other hyperparameter is numeric, log or linear as `isLogParam` says.
 */
export function parallelAxes(r: SweepResult, sweep?: SweepConfig | null): ParallelAxis[] {
  const params = SWEEP_PARAMS.filter((p) => p !== 'seed' && r.varied.includes(p));
  const axes = params.map((p) =>
    r.rows.some((row) => typeof row.values[p] === 'string') ? categoricalAxis(p, r.rows, sweep?.optimizer ?? []) : numericAxis(p, r.rows, sweep),
  );
  return [...axes, metricAxis(r)];
}

/** A brush spanning the whole axis keeps every row with a position on it: it is no brush. */
export function normalBrush(b: Brush): Brush | null {
  const lo = Math.max(0, Math.min(b.lo, b.hi));
  const hi = Math.min(1, Math.max(b.lo, b.hi));
  return lo <= EPS && hi >= 1 - EPS ? null : { lo, hi };
}

/** Whether row `i` lies in every brush (bounds included). */
export function inBrushes(axes: readonly ParallelAxis[], brushes: Brushes, i: number): boolean {
  return axes.every((a) => {
    const b = brushes[a.key];
    return !b || (a.at[i]! >= b.lo - EPS && a.at[i]! <= b.hi + EPS);
  });
}

/** The indices (into result.rows) of the rows in every brush, or null when no axis is brushed. */
export function brushedRows(axes: readonly ParallelAxis[], brushes: Brushes): number[] | null {
  if (!Object.values(brushes).some(Boolean)) return null;
  const n = axes[0]?.at.length ?? 0;
  return Array.from({ length: n }, (_, i) => i).filter((i) => inBrushes(axes, brushes, i));
}

/**
 * Moves one bound of an axis's brush by `steps` stops (negative: down), as a keyboard does; the
 * bound never passes the other one. Without a brush the bounds start at the axis's ends.
 * Returns the new brush, or null when it spans the whole axis again.
 */
export function stepBound(axis: ParallelAxis, brush: Brush | undefined, end: 'lo' | 'hi', steps: number): Brush | null {
  const b = brush ?? { lo: 0, hi: 1 };
  const stops = [0, ...axis.stops, 1].filter((t, i, all) => i === 0 || t > all[i - 1]! + EPS);
  const cur = b[end];
  let t = cur;
  for (let k = 0; k < Math.abs(steps); k++) {
    const next = steps > 0 ? stops.find((s) => s > t + EPS) : [...stops].reverse().find((s) => s < t - EPS);
    if (next === undefined) break;
    t = next;
  }
  const moved = end === 'lo' ? { lo: Math.min(t, b.hi), hi: b.hi } : { lo: b.lo, hi: Math.max(t, b.lo) };
  return normalBrush(moved);
}

/** The axes' x positions in a chart `width` px wide: room on the right for the last axis's tick labels. */
export function axisXs(count: number, width: number, left = 14, right = 46): number[] {
  if (count <= 1) return [left];
  const span = Math.max(1, width - left - right);
  return Array.from({ length: count }, (_, i) => left + (i * span) / (count - 1));
}

/** The axis nearest to x: a drag anywhere in a column (or beyond the outer axes) brushes that column's axis. */
export function nearestAxis(xs: readonly number[], x: number): number {
  let best = 0;
  for (const [i, ax] of xs.entries()) if (Math.abs(ax - x) < Math.abs(xs[best]! - x)) best = i;
  return best;
}

/** Lines' opacity for n lines: near-opaque for a few, faint enough at 256 that crossings stay readable. */
export function lineAlpha(n: number): number {
  return Math.min(0.9, Math.max(0.2, 5.6 / Math.sqrt(Math.max(1, n))));
}

/**
 * The colour of a line by how good its metric is (0 worst, 1 best): OKLCH at lightness 0.6,
 * hue from orange-red through magenta to blue (no green, so it reads under red-green colour
 * blindness). Lightness 0.6 keeps every hue at 3:1 or more on both the light (#ffffff) and dark
 * (#15181c) backgrounds.
 */
export function metricColor(goodness: number): string {
  const g = Math.max(0, Math.min(1, goodness));
  const [r, gr, b] = oklchToRgb(0.6, 0.15, 40 - 150 * g);
  return `rgb(${r}, ${gr}, ${b})`;
}

/** OKLCH to sRGB bytes, clipped to the gamut. */
export function oklchToRgb(l: number, c: number, hueDeg: number): [number, number, number] {
  const h = (hueDeg * Math.PI) / 180;
  const [a, b] = [c * Math.cos(h), c * Math.sin(h)];
  const l1 = (l + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m1 = (l - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s1 = (l - 0.0894841775 * a - 1.291485548 * b) ** 3;
  const lin = [
    4.0767416621 * l1 - 3.3077115913 * m1 + 0.2309699292 * s1,
    -1.2684380046 * l1 + 2.6097574011 * m1 - 0.3413193965 * s1,
    -0.0041960863 * l1 - 0.7034186147 * m1 + 1.707614701 * s1,
  ];
  const gamma = (x: number) => (x <= 0.0031308 ? 12.92 * x : 1.055 * x ** (1 / 2.4) - 0.055);
  return lin.map((x) => Math.round(255 * Math.max(0, Math.min(1, gamma(x))))) as [number, number, number];
}
