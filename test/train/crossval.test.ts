import { expect } from '@esm-bundle/chai';
import { stratifiedKFold, summarize } from '../../src/train/crossval.ts';

/** 54 / 30 / 12 rows of classes 0 / 1 / 2, interleaved with row order. */
const labels = Uint32Array.from({ length: 96 }, (_, i) => (i % 8 === 3 ? 2 : i % 8 < 3 && i < 80 ? 1 : 0));

function counts(rows: Uint32Array): number[] {
  const c = [0, 0, 0];
  for (const r of rows) c[labels[r]!]!++;
  return c;
}

describe('stratifiedKFold', () => {
  const total = counts(Uint32Array.from(labels.keys()));

  it('has the assumed class counts', () => {
    expect(total).to.deep.equal([54, 30, 12]);
  });

  it('gives disjoint validation folds that cover every row once', () => {
    const folds = stratifiedKFold(labels, 5, 42);
    expect(folds.length).to.equal(5);
    const seen = new Uint32Array(labels.length);
    for (const f of folds) for (const r of f.validation) seen[r]!++;
    expect([...seen].every((n) => n === 1)).to.equal(true);
    const sizes = folds.map((f) => f.validation.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).to.be.at.most(1);
  });

  it('trains each fold on exactly the other rows', () => {
    for (const f of stratifiedKFold(labels, 4, 1)) {
      expect(f.train.length + f.validation.length).to.equal(labels.length);
      const val = new Set(f.validation);
      for (const r of f.train) expect(val.has(r)).to.equal(false);
    }
  });

  it('keeps class proportions within one row per class', () => {
    for (const k of [2, 3, 5, 7, 11]) {
      for (const f of stratifiedKFold(labels, k, 9)) {
        counts(f.validation).forEach((n, c) => {
          expect(n).to.be.within(Math.floor(total[c]! / k), Math.ceil(total[c]! / k));
        });
      }
    }
  });

  it('is deterministic for a seed and sorted', () => {
    const a = stratifiedKFold(labels, 5, 42);
    const b = stratifiedKFold(labels, 5, 42);
    const c = stratifiedKFold(labels, 5, 43);
    expect(a.map((f) => [...f.validation])).to.deep.equal(b.map((f) => [...f.validation]));
    expect(a.map((f) => [...f.validation])).to.not.deep.equal(c.map((f) => [...f.validation]));
    for (const f of a) for (let i = 1; i < f.train.length; i++) expect(f.train[i]).to.be.greaterThan(f.train[i - 1]!);
  });

  it('balances training classes and leaves validation natural when asked', () => {
    const plain = stratifiedKFold(labels, 5, 42);
    const balanced = stratifiedKFold(labels, 5, 42, { balanced: true });
    balanced.forEach((f, i) => {
      const c = counts(f.train);
      expect(c[0]).to.equal(c[1]);
      expect(c[1]).to.equal(c[2]);
      expect(c[0]).to.equal(Math.min(...counts(plain[i]!.train)));
      expect([...f.validation]).to.deep.equal([...plain[i]!.validation]);
      const allowed = new Set(plain[i]!.train);
      for (const r of f.train) expect(allowed.has(r)).to.equal(true);
    });
  });

  it('validates k', () => {
    expect(() => stratifiedKFold(labels, 1, 0)).to.throw(/2\.\.20/);
    expect(() => stratifiedKFold(labels, 21, 0)).to.throw(/2\.\.20/);
    expect(() => stratifiedKFold(labels, 2.5, 0)).to.throw(/2\.\.20/);
    expect(() => stratifiedKFold(labels, 13, 0)).to.throw(/class 2 has 12/);
  });
});

describe('summarize', () => {
  it('gives mean, sample std, min and max', () => {
    const s = summarize([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(s.mean).to.equal(5);
    expect(s.std).to.be.closeTo(Math.sqrt(32 / 7), 1e-12);
    expect(s.min).to.equal(2);
    expect(s.max).to.equal(9);
  });

  it('has no std for one value and rejects empty or non-finite input', () => {
    expect(summarize([0.9]).std).to.satisfy(Number.isNaN);
    expect(() => summarize([])).to.throw(/at least one/);
    expect(() => summarize([1, NaN])).to.throw(/value 1/);
  });
});
