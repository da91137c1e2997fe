import { expect } from '@esm-bundle/chai';
import { ConfigError } from '../../src/config/errors.ts';
import { GAN2D_DATASETS, GRID, mixtureOf, PLANE_RANGE, RING, sample2d, type Point2 } from '../../src/gan2d/datasets.ts';
import { modeStats } from '../../src/gan2d/metrics.ts';
import { Rng } from '../../src/nn/rng.ts';

const DRAWN: Point2[] = Array.from({ length: 8 }, (_, i) => [-0.7 + 0.2 * i, 0.1 * i - 0.3]);

describe('2-D GAN data sets', () => {
  it('names the option values of the gan2d-dataset select exactly', () => {
    expect([...GAN2D_DATASETS]).to.deep.equal(['line', 'gaussians', 'ring', 'grid', 'circle', 'spiral', 'drawn']);
  });

  for (const name of GAN2D_DATASETS) {
    it(`${name}: seeded, finite, inside the shared range`, () => {
      const a = sample2d(name, 2000, new Rng(7), DRAWN);
      const b = sample2d(name, 2000, new Rng(7), DRAWN);
      expect(Array.from(a)).to.deep.equal(Array.from(b));
      expect(Array.from(sample2d(name, 50, new Rng(8), DRAWN))).not.to.deep.equal(Array.from(a.subarray(0, 100)));
      // Every set keeps its mass well inside the square: 4σ-ish margins, so 2000 samples never leave it.
      for (const v of a) {
        expect(Number.isFinite(v)).to.equal(true);
        expect(v).to.be.within(PLANE_RANGE.min, PLANE_RANGE.max);
      }
    });
  }

  it('ring: 8 centres on radius 0.75, every sample near one, every mode used', () => {
    const m = mixtureOf('ring')!;
    expect(m.centres).to.have.length(8);
    for (const [x, y] of m.centres) expect(Math.hypot(x, y)).to.be.closeTo(RING.radius, 1e-12);
    const stats = modeStats(sample2d('ring', 4000, new Rng(1)), m);
    expect(stats.covered).to.equal(8);
    // P(|N(0, I)| > 3) = e^{−4.5} ≈ 1.1% for a 2-D Gaussian: about 98.9% lie within 3σ.
    expect(stats.highQuality).to.be.closeTo(1 - Math.exp(-4.5), 0.01);
    for (const s of stats.perMode) expect(s).to.be.closeTo(1 / 8, 0.03);
  });

  it('grid: 25 centres on the 5×5 lattice of spacing 0.4, every mode used', () => {
    const m = mixtureOf('grid')!;
    expect(m.centres).to.have.length(25);
    expect(m.centres[0]).to.deep.equal([-0.8, -0.8]);
    expect(m.centres[24]![0]).to.be.closeTo(0.8, 1e-12);
    expect(m.sigma).to.equal(GRID.sigma);
    expect(modeStats(sample2d('grid', 5000, new Rng(2)), m).covered).to.equal(25);
  });

  it('gaussians has two modes; line, circle, spiral and drawn have none', () => {
    expect(mixtureOf('gaussians')!.centres).to.deep.equal([
      [-0.5, 0],
      [0.5, 0],
    ]);
    for (const name of ['line', 'circle', 'spiral', 'drawn'] as const) expect(mixtureOf(name)).to.equal(null);
  });

  it('circle lies near radius 0.6; line near y = x/2', () => {
    const c = sample2d('circle', 500, new Rng(3));
    for (let i = 0; i < 500; i++) expect(Math.hypot(c[2 * i]!, c[2 * i + 1]!)).to.be.closeTo(0.6, 0.1);
    const l = sample2d('line', 500, new Rng(3));
    for (let i = 0; i < 500; i++) expect(l[2 * i + 1]! - l[2 * i]! / 2).to.be.closeTo(0, 0.12);
  });

  it('drawn samples stay near the drawn points', () => {
    const s = sample2d('drawn', 300, new Rng(4), DRAWN);
    for (let i = 0; i < 300; i++) {
      const d = Math.min(...DRAWN.map(([x, y]) => Math.hypot(s[2 * i]! - x, s[2 * i + 1]! - y)));
      expect(d).to.be.below(0.12);
    }
  });

  it('drawn: fewer than 8 points, or a point off the plane, is a ConfigError that says so', () => {
    const few = () => sample2d('drawn', 10, new Rng(1), DRAWN.slice(0, 7));
    expect(few).to.throw(ConfigError, /at least 8 points, got 7/);
    expect(() => sample2d('drawn', 10, new Rng(1))).to.throw(ConfigError, /got 0/);
    expect(() => sample2d('drawn', 10, new Rng(1), [...DRAWN, [Number.NaN, 0]])).to.throw(ConfigError, /gan2d\.drawn\[8\]/);
    expect(() => sample2d('drawn', 10, new Rng(1), [...DRAWN, [3, 0]])).to.throw(ConfigError, /from -1 to 1/);
  });
});
