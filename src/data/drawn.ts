// The data set the reader draws on the data plot: points of a class or, for regression, a value.
// A drawing lives in the config (`dataset.drawn`), so it travels in links, saved experiments and
// model files like any other setting; its limits keep a full drawing well inside a link's hash.
import { ConfigError } from '../config/errors.ts';
import type { Task } from '../config/task.ts';
import type { LabeledTable } from './dataset.ts';
import { regressionTable } from './regression-table.ts';

/** One drawn point: its coordinates and its target (a class id, or a value for regression). */
export interface DrawnPoint {
  x1: number;
  x2: number;
  y: number;
}

/**
 * Limits of a drawing, documented in docs/playground.md: at most 500 points, at least 10 (and
 * two classes) to train on, coordinates in [-1.5, 1.5]², classes 0 to 7, regression values in
 * [-1, 1]. Links keep coordinates and values to `step` (0.01).
 */
export const DRAWN_LIMITS = { maxPoints: 500, minPoints: 10, extent: 1.5, maxClasses: 8, maxValue: 1, step: 0.01 } as const;

/** The drawing plane, which is also the plot area of a drawn data set: a point stays where it was drawn. */
export const DRAWN_BOUNDS = { xMin: -DRAWN_LIMITS.extent, xMax: DRAWN_LIMITS.extent, yMin: -DRAWN_LIMITS.extent, yMax: DRAWN_LIMITS.extent } as const;

/** Grid steps per unit (1 / step): coordinates and values are stored as whole multiples of 0.01. */
const PER_UNIT = 100;
const COORD_STEPS = 2 * DRAWN_LIMITS.extent * PER_UNIT; // 300: indices 0..300 need 9 bits
const VALUE_STEPS = 2 * DRAWN_LIMITS.maxValue * PER_UNIT; // 200: indices 0..200 need 8 bits

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
const coordIndex = (v: number): number => Math.round((clamp(v, -DRAWN_LIMITS.extent, DRAWN_LIMITS.extent) + DRAWN_LIMITS.extent) * PER_UNIT);
// Integer arithmetic first, so the value is the double nearest the decimal (0.37, never 0.37000001) and never -0.
const coordOf = (i: number): number => (i - COORD_STEPS / 2) / PER_UNIT;
const valueIndex = (v: number): number => Math.round((clamp(v, -DRAWN_LIMITS.maxValue, DRAWN_LIMITS.maxValue) + DRAWN_LIMITS.maxValue) * PER_UNIT);
const valueOf = (i: number): number => (i - VALUE_STEPS / 2) / PER_UNIT;

/** True when `y` is a class id a drawing may use (0 to 7). */
export function isDrawnClass(y: number): boolean {
  return Number.isInteger(y) && y >= 0 && y < DRAWN_LIMITS.maxClasses;
}

/**
 * A point as the drawing stores it: clamped into the plane and onto the 0.01 grid, its target a
 * class id (0 to 7) or, for regression, a value in [-1, 1] on the same grid. Snapped points
 * come back unchanged from a link.
 */
export function snapDrawnPoint(x1: number, x2: number, y: number, task: Task): DrawnPoint {
  const target = task === 'regression' ? valueOf(valueIndex(y)) : clamp(Math.round(y), 0, DRAWN_LIMITS.maxClasses - 1);
  return { x1: coordOf(coordIndex(x1)), x2: coordOf(coordIndex(x2)), y: target };
}

/**
 * Checks a drawing's shape, whatever the task: a list of at most 500 points, each in the plane,
 * its target a class id (0 to 7) or a value in [-1, 1]. Throws a ConfigError naming the first bad
 * point. Whether there are enough points to train on is `drawingProblem`'s question.
 */
export function validateDrawnPoints(points: unknown): DrawnPoint[] {
  const L = DRAWN_LIMITS;
  if (!Array.isArray(points)) throw new ConfigError('dataset.drawn', 'must be a list of points');
  if (points.length > L.maxPoints) throw new ConfigError('dataset.drawn', `holds at most ${L.maxPoints} points, got ${points.length}`);
  points.forEach((p: unknown, i) => {
    if (typeof p !== 'object' || p === null) throw new ConfigError(`dataset.drawn[${i}]`, 'must be a point {x1, x2, y}');
    const { x1, x2, y } = p as Record<string, unknown>;
    for (const [name, v] of [
      ['x1', x1],
      ['x2', x2],
    ] as const) {
      if (typeof v !== 'number' || !(Math.abs(v) <= L.extent)) {
        throw new ConfigError(`dataset.drawn[${i}].${name}`, `must be a number from -${L.extent} to ${L.extent}, got ${String(v)}`);
      }
    }
    if (typeof y !== 'number' || !(isDrawnClass(y) || Math.abs(y) <= L.maxValue)) {
      throw new ConfigError(`dataset.drawn[${i}].y`, `must be a class from 0 to ${L.maxClasses - 1} or a value from -1 to 1, got ${String(y)}`);
    }
  });
  return points as DrawnPoint[];
}

/** The class ids a drawing uses, ascending. */
export function drawnClasses(points: readonly DrawnPoint[]): number[] {
  return [...new Set(points.map((p) => p.y))].sort((a, b) => a - b);
}

/**
 * Why a drawing cannot be trained on for `task`, in the reader's words, or null when it can:
 * fewer than 10 points, a single class, targets of the other task, or more than 500 points.
 */
export function drawingProblem(points: readonly DrawnPoint[], task: Task): string | null {
  const L = DRAWN_LIMITS;
  const n = points.length;
  if (n > L.maxPoints) return `A drawing holds at most ${L.maxPoints} points; this one has ${n}.`;
  if (n < L.minPoints) return `Draw at least ${L.minPoints} points to train on (${n} so far).`;
  if (task === 'regression') {
    if (points.some((p) => Math.abs(p.y) > L.maxValue))
      return 'This drawing has classes above 1, not values from -1 to 1: switch the task to classification, or clear it.';
    return null;
  }
  if (!points.every((p) => isDrawnClass(p.y))) return 'This drawing has values, not classes: switch the task to regression, or clear it.';
  const classes = drawnClasses(points);
  if (classes.length < 2) return `Draw points of at least two classes: all ${n} are class ${classes[0]}.`;
  return null;
}

/**
 * The table of a drawing, rows in the order drawn. Classification: the classes drawn, numbered
 * 0, 1, … in the order of their ids (a drawing of classes 0 and 2 becomes "class 0" and "class 2"
 * with labels 0 and 1), so the network has no output for a class nobody drew. Regression: a
 * regressionTable of the values, its target named `y`. Throws a
 * ConfigError when the drawing cannot be trained on (see `drawingProblem`).
 */
export function drawnTable(points: readonly DrawnPoint[], task: Task): LabeledTable {
  validateDrawnPoints(points);
  const problem = drawingProblem(points, task);
  if (problem) throw new ConfigError('dataset.drawn', problem);
  const features = new Float32Array(points.length * 2);
  points.forEach((p, i) => features.set([p.x1, p.x2], i * 2));
  const base = { features, inputSize: 2, featureNames: ['x1', 'x2'] };
  if (task === 'regression') {
    return regressionTable(
      features,
      2,
      Float32Array.from(points, (p) => p.y),
      base.featureNames,
      'y',
    );
  }
  const classes = drawnClasses(points);
  return { ...base, labels: Uint32Array.from(points, (p) => classes.indexOf(p.y)), classNames: classes.map((k) => `class ${k}`) };
}

// The link encoding: a letter for the kind of target, then the points as one bit string written
// six bits per character of base64url (A–Z a–z 0–9 - _, nothing a URL escapes). Each point is
// its x1 and x2 as indices 0..300 of the 0.01 grid (9 bits each), then its class (3 bits) or its
// value's index 0..200 (8 bits): 500 points take 1,751 characters with classes and 2,168 with
// values, half of the hash's 4,096.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const COORD_BITS = 9;
const TARGET_BITS = { c: 3, r: 8 } as const;

/** A drawing as the `drawn=` value of a link: `c…` when every target is a class id, else `r…` (values). */
export function encodeDrawn(points: readonly DrawnPoint[]): string {
  const kind = points.every((p) => isDrawnClass(p.y)) ? 'c' : 'r';
  const bits: number[] = [];
  const put = (v: number, width: number) => {
    for (let b = width - 1; b >= 0; b--) bits.push((v >> b) & 1);
  };
  for (const p of points) {
    put(coordIndex(p.x1), COORD_BITS);
    put(coordIndex(p.x2), COORD_BITS);
    put(kind === 'c' ? p.y : valueIndex(p.y), TARGET_BITS[kind]);
  }
  let text: string = kind;
  for (let i = 0; i < bits.length; i += 6) {
    let v = 0;
    for (let b = 0; b < 6; b++) v = (v << 1) | (bits[i + b] ?? 0);
    text += ALPHABET[v];
  }
  return text;
}

/** Reads a `drawn=` value back; anything but what `encodeDrawn` writes throws a ConfigError saying what is wrong. */
export function decodeDrawn(text: string): DrawnPoint[] {
  const fail = (why: string) => new ConfigError('drawn', why);
  const kind = text.charAt(0);
  if (kind !== 'c' && kind !== 'r') throw fail('must start with c (points of classes) or r (points with values)');
  const body = text.slice(1);
  const width = 2 * COORD_BITS + TARGET_BITS[kind];
  if (body.length > Math.ceil((DRAWN_LIMITS.maxPoints * width) / 6)) throw fail(`holds more than ${DRAWN_LIMITS.maxPoints} points`);
  const bits: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const v = ALPHABET.indexOf(body.charAt(i));
    if (v < 0) throw fail(`has "${body.charAt(i)}", which is not one of A-Z, a-z, 0-9, - and _`);
    for (let b = 5; b >= 0; b--) bits.push((v >> b) & 1);
  }
  const n = Math.floor(bits.length / width);
  if (Math.ceil((n * width) / 6) !== body.length || bits.slice(n * width).some(Boolean)) throw fail('is cut short or has extra characters');
  let at = 0;
  const take = (w: number) => {
    let v = 0;
    for (let b = 0; b < w; b++) v = (v << 1) | bits[at++]!;
    return v;
  };
  const points: DrawnPoint[] = [];
  for (let i = 0; i < n; i++) {
    const [a, b, t] = [take(COORD_BITS), take(COORD_BITS), take(TARGET_BITS[kind])];
    if (a > COORD_STEPS || b > COORD_STEPS || (kind === 'r' && t > VALUE_STEPS)) throw fail(`point ${i + 1} lies outside the plane or the range of values`);
    points.push({ x1: coordOf(a), x2: coordOf(b), y: kind === 'c' ? t : valueOf(t) });
  }
  return points;
}
