import { expect } from '@esm-bundle/chai';
import { mixtureOf, sample2d } from '../../src/gan2d/datasets.ts';
import { divergences, HISTOGRAM_CELLS, histogram2d, KL_EPSILON, meanDistanceToModes, modeStats } from '../../src/gan2d/metrics.ts';
import { Rng } from '../../src/nn/rng.ts';

/** `n` copies of the point (x, y), interleaved. */
const at = (x: number, y: number, n: number) => Float64Array.from({ length: 2 * n }, (_, i) => (i % 2 ? y : x));
const concat = (...parts: Float64Array[]) => Float64Array.from(parts.flatMap((p) => Array.from(p)));

describe('2-D GAN metrics: divergences on the grid histogram', () => {
  it('bins: cells of 0.1, x = 1 to the last cell, points off the plane to the outside cell', () => {
    const h = histogram2d(Float64Array.from([-1, -1, -0.85, -1, 1, 1, 0, 0, 1.5, 0, Number.NaN, 0]));
    expect(h.length).to.equal(HISTOGRAM_CELLS);
    const share = 1 / 6;
    expect(h[0]).to.be.closeTo(share, 1e-15); // (−1, −1)
    expect(h[1]).to.be.closeTo(share, 1e-15); // (−0.85, −1): second cell of the first row
    expect(h[20 * 20 - 1]).to.be.closeTo(share, 1e-15); // (1, 1)
    expect(h[10 * 20 + 10]).to.be.closeTo(share, 1e-15); // (0, 0)
    expect(h[400]).to.be.closeTo(2 * share, 1e-15); // (1.5, 0) and NaN
  });

  it('identical samples: KL = JS = 0', () => {
    const s = sample2d('ring', 1000, new Rng(5));
    const d = divergences(s, s);
    expect(d.kl).to.equal(0);
    expect(d.js).to.equal(0);
  });

  it('no cell in common: JS = ln 2 exactly; KL by hand with ε = 1e-4', () => {
    const d = divergences(at(-0.5, -0.5, 100), at(0.55, 0.55, 40));
    expect(d.js).to.be.closeTo(Math.LN2, 1e-12);
    // Real cell: (1 + ε) ln((1 + ε)/ε); fake cell: ε ln(ε/(1 + ε)); the other 399 cells add 0.
    const e = KL_EPSILON;
    expect(d.kl).to.be.closeTo((1 + e) * Math.log((1 + e) / e) + e * Math.log(e / (1 + e)), 1e-12);
  });

  it('half the fakes on the real cell: JS and KL by hand', () => {
    // p = (1, 0), q = (½, ½) on two cells; m = (¾, ¼).
    const d = divergences(at(0.05, 0.05, 10), concat(at(0.05, 0.05, 5), at(-0.55, 0.35, 5)));
    const js = 0.5 * Math.log(1 / 0.75) + 0.5 * (0.5 * Math.log(0.5 / 0.75) + 0.5 * Math.log(0.5 / 0.25));
    expect(d.js).to.be.closeTo(js, 1e-12);
    const e = KL_EPSILON;
    expect(d.kl).to.be.closeTo((1 + e) * Math.log((1 + e) / (0.5 + e)) + e * Math.log(e / (0.5 + e)), 1e-12);
  });

  it('fakes off the plane count as mass where the real data has none', () => {
    expect(divergences(at(0, 0, 10), at(5, 5, 10)).js).to.be.closeTo(Math.LN2, 1e-12);
  });
});

describe('2-D GAN metrics: modes covered and high-quality share', () => {
  const ring = mixtureOf('ring')!;
  const grid = mixtureOf('grid')!;

  it('collapse onto one ring mode: 1/8 covered, all high quality', () => {
    const [cx, cy] = ring.centres[3]!;
    const s = modeStats(at(cx + 0.1, cy, 200), ring); // 0.1 = 2σ from the centre
    expect(s.covered).to.equal(1);
    expect(s.total).to.equal(8);
    expect(s.highQuality).to.equal(1);
    expect(s.perMode[3]).to.equal(1);
  });

  it('exactly 1% near a mode covers it; just under 1% does not; 3σ is inside, beyond is not', () => {
    const [c0, c1] = [grid.centres[0]!, grid.centres[12]!];
    const r = 3 * grid.sigma;
    // 300 samples: 3 on mode 0's 3σ circle (covered: 3 ≥ 1% of 300), 2 near mode 12 (not covered), 295 far off.
    const s = modeStats(concat(at(c0[0] + r * 0.999999, c0[1], 3), at(c1[0], c1[1], 2), at(0.2, 0.2, 295)), grid);
    expect(s.covered).to.equal(1);
    expect(s.total).to.equal(25);
    expect(s.highQuality).to.be.closeTo(5 / 300, 1e-15);
    expect(modeStats(at(c0[0] + r * 1.001, c0[1], 10), grid).highQuality).to.equal(0);
  });

  it('half on the ring, half between modes: 8/8 covered, quality ½', () => {
    const real = sample2d('ring', 800, new Rng(9));
    const s = modeStats(concat(real, at(0, 0, 800)), ring);
    expect(s.covered).to.equal(8);
    expect(s.highQuality).to.be.closeTo(0.5 * modeStats(real, ring).highQuality, 1e-12);
  });

  it('mean distance to the nearest mode by hand', () => {
    expect(meanDistanceToModes(concat(at(0.75, 0.3, 1), at(0, 0, 1)), ring)).to.be.closeTo((0.3 + 0.75) / 2, 1e-12);
  });
});
