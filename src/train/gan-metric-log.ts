import type { GanMetric } from './gan-backend.ts';

const KEYS = ['dLoss', 'dAccuracy', 'gLoss', 'dReal', 'dFake'] as const satisfies readonly (keyof GanMetric)[];
const FIRST_CAPACITY = 1024;

/**
 * Every iteration's GanMetric, kept as float64 columns: 40 bytes an iteration, where an array of
 * objects costs about 150 (each field a boxed number). The 2-D lab trains some 2,500 iterations a
 * second for as long as a tab plays, and keeps them all for the curve file, so objects would grow
 * the worker by over a gigabyte an hour. Values come back exactly as pushed (NaN included).
 * Array-like for readers: `length`, `at`, `map`, `forEach`, `slice`, `every`, iteration; `toArray()` for a
 * plain copy.
 */
export class GanMetricLog implements Iterable<GanMetric> {
  private columns = KEYS.map(() => new Float64Array(FIRST_CAPACITY));
  private count = 0;

  /** Iterations recorded. */
  get length(): number {
    return this.count;
  }

  /** Appends metrics in order; returns the new length. */
  push(...metrics: GanMetric[]): number {
    if (this.count + metrics.length > this.columns[0]!.length) {
      const capacity = Math.max(2 * this.columns[0]!.length, this.count + metrics.length);
      this.columns = this.columns.map((c) => {
        const grown = new Float64Array(capacity);
        grown.set(c.subarray(0, this.count));
        return grown;
      });
    }
    for (const m of metrics) {
      KEYS.forEach((k, j) => (this.columns[j]![this.count] = m[k]));
      this.count++;
    }
    return this.count;
  }

  /** Iteration i's metrics (0-based; negative counts from the end; a fraction truncated, as Array.at does), or undefined past the ends. */
  at(i: number): GanMetric | undefined {
    const n = Math.trunc(i) || 0;
    const k = n < 0 ? this.count + n : n;
    if (k < 0 || k >= this.count) return undefined;
    const c = this.columns;
    return { dLoss: c[0]![k]!, dAccuracy: c[1]![k]!, gLoss: c[2]![k]!, dReal: c[3]![k]!, dFake: c[4]![k]! };
  }

  /** One metric of every iteration, as a copy. */
  column(key: keyof GanMetric): Float64Array {
    return this.columns[KEYS.indexOf(key)]!.slice(0, this.count);
  }

  map<T>(f: (m: GanMetric, i: number) => T): T[] {
    return Array.from({ length: this.count }, (_, i) => f(this.at(i)!, i));
  }

  forEach(f: (m: GanMetric, i: number) => void): void {
    for (let i = 0; i < this.count; i++) f(this.at(i)!, i);
  }

  every(f: (m: GanMetric, i: number) => boolean): boolean {
    for (let i = 0; i < this.count; i++) if (!f(this.at(i)!, i)) return false;
    return true;
  }

  /** Iterations start to end as objects (Array.prototype.slice's arguments). */
  slice(start = 0, end = this.count): GanMetric[] {
    const from = start < 0 ? Math.max(0, this.count + start) : Math.min(start, this.count);
    const to = end < 0 ? Math.max(0, this.count + end) : Math.min(end, this.count);
    return Array.from({ length: Math.max(0, to - from) }, (_, i) => this.at(from + i)!);
  }

  toArray(): GanMetric[] {
    return this.slice();
  }

  *[Symbol.iterator](): Iterator<GanMetric> {
    for (let i = 0; i < this.count; i++) yield this.at(i)!;
  }
}
