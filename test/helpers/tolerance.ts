import { expect } from '@esm-bundle/chai';
import { Rng } from '../../src/nn/rng.ts';

/**
 * Elementwise closeness: |got − want| ≤ atol + rtol·|want|, with NaN only matching NaN.
 * Reports the worst element so a failure says where and by how much.
 */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, atol: number, rtol: number, what = 'values'): void {
  expect(got.length, `${what}: length`).to.equal(want.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (Number.isNaN(w) || Number.isNaN(g)) {
      if (Number.isNaN(w) !== Number.isNaN(g)) {
        worst = i;
        break;
      }
      continue;
    }
    const excess = Math.abs(g - w) - (atol + rtol * Math.abs(w));
    if (excess > worstExcess) {
      worstExcess = excess;
      worst = i;
    }
  }
  if (worst >= 0) {
    expect.fail(`${what}[${worst}] = ${got[worst]} but want ${want[worst]} (|Δ| ≤ ${atol} + ${rtol}·|want| violated)`);
  }
}

/** Seeded uniform floats in [lo, hi). */
export function randomArray(rng: Rng, n: number, lo = -1, hi = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * rng.uniform();
  return a;
}
