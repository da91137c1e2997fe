import { expect } from '@esm-bundle/chai';
import { applyStandardizer, fitStandardizer } from '../../src/data/standardize.ts';

/** 3 columns × 8 rows: a spread column, a large-offset column, and a constant column. */
function makeFeatures(): Float32Array {
  const f = new Float32Array(8 * 3);
  for (let r = 0; r < 8; r++) {
    f[r * 3] = r * 1.5 - 2;
    f[r * 3 + 1] = 1000 + (r % 3) * 0.25;
    f[r * 3 + 2] = 4.2;
  }
  return f;
}

const TRAIN = Uint32Array.of(0, 1, 2, 3, 4, 5);
/** float32 storage of the output limits agreement to roughly 1e-6 relative. */
const TOL = 1e-5;

function columnStats(x: Float32Array, inputSize: number, rows: Uint32Array, j: number) {
  let m = 0;
  for (const r of rows) m += x[r * inputSize + j]!;
  m /= rows.length;
  let v = 0;
  for (const r of rows) v += (x[r * inputSize + j]! - m) ** 2;
  return { mean: m, std: Math.sqrt(v / rows.length) };
}

describe('standardizer', () => {
  it('maps the fitted rows to mean 0 and population std 1 (tolerance 1e-5)', () => {
    const f = makeFeatures();
    const s = fitStandardizer(f, 3, TRAIN);
    const out = applyStandardizer(f, 3, s);
    for (const j of [0, 1]) {
      const st = columnStats(out, 3, TRAIN, j);
      expect(Math.abs(st.mean)).to.be.lessThan(TOL);
      expect(Math.abs(st.std - 1)).to.be.lessThan(TOL);
    }
  });

  it('fits on the given rows only', () => {
    const f = makeFeatures();
    const before = fitStandardizer(f, 3, TRAIN);
    f[7 * 3] = 1e6; // row 7 is not a training row
    const after = fitStandardizer(f, 3, TRAIN);
    expect([...after.mean]).to.deep.equal([...before.mean]);
    expect([...after.std]).to.deep.equal([...before.std]);
    expect(before.mean[0]).to.be.closeTo((-2 + -0.5 + 1 + 2.5 + 4 + 5.5) / 6, 1e-12);
  });

  it('gives a constant column std 1 and maps it to 0, not NaN', () => {
    const f = makeFeatures();
    const s = fitStandardizer(f, 3, TRAIN);
    expect(s.std[2]).to.equal(1);
    const out = applyStandardizer(f, 3, s);
    for (let r = 0; r < 8; r++) expect(out[r * 3 + 2]).to.equal(0);
  });

  it('applies to every row and leaves the input untouched', () => {
    const f = makeFeatures();
    const copy = f.slice();
    const s = fitStandardizer(f, 3, TRAIN);
    const out = applyStandardizer(f, 3, s);
    expect(out).to.not.equal(f);
    expect(out.length).to.equal(f.length);
    expect([...f]).to.deep.equal([...copy]);
    expect(out[7 * 3]).to.be.closeTo((f[7 * 3]! - s.mean[0]!) / s.std[0]!, 1e-5);
  });

  it('rejects bad shapes and rows', () => {
    const f = makeFeatures();
    expect(() => fitStandardizer(f, 5, TRAIN)).to.throw(Error, /multiple/);
    expect(() => fitStandardizer(f, 3, new Uint32Array(0))).to.throw(Error, /rows/);
    expect(() => fitStandardizer(f, 3, Uint32Array.of(8))).to.throw(Error, /out of range/);
    const s = fitStandardizer(f, 3, TRAIN);
    expect(() => applyStandardizer(new Float32Array(8), 2, s)).to.throw(Error, /expected 2/);
  });
});
