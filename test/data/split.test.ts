import { expect } from '@esm-bundle/chai';
import type { DataSplits } from '../../src/data/dataset.ts';
import { randomSplit, stratifiedSplit } from '../../src/data/split.ts';

/** 150 labels, 50 per class, interleaved so class order differs from row order. */
const labels = Float32Array.from({ length: 150 }, (_, i) => i % 3);

function countByClass(idx: Uint32Array, lab: ArrayLike<number>): number[] {
  const c = [0, 0, 0];
  for (const i of idx) c[lab[i]!]!++;
  return c;
}

function expectPartition(s: DataSplits, rows: number): void {
  const all = [...s.train, ...s.validation, ...s.test];
  expect(all.length).to.equal(rows);
  expect(new Set(all).size).to.equal(rows);
  for (const i of all) expect(i).to.be.lessThan(rows);
  for (const part of [s.train, s.validation, s.test]) {
    for (let k = 1; k < part.length; k++) expect(part[k]).to.be.greaterThan(part[k - 1]!);
  }
}

describe('stratifiedSplit', () => {
  it('gives Iris-shaped data 96/24/30 with every class in proportion', () => {
    const s = stratifiedSplit(labels, { validation: 0.2, test: 0.2 }, 7);
    expect(s.test.length).to.equal(30);
    expect(s.validation.length).to.equal(24);
    expect(s.train.length).to.equal(96);
    expect(countByClass(s.test, labels)).to.deep.equal([10, 10, 10]);
    expect(countByClass(s.validation, labels)).to.deep.equal([8, 8, 8]);
    expect(countByClass(s.train, labels)).to.deep.equal([32, 32, 32]);
  });

  it('returns disjoint sorted splits that cover every row', () => {
    expectPartition(stratifiedSplit(labels, { validation: 0.3, test: 0.1 }, 1), 150);
  });

  it('is deterministic for a seed and differs for another seed', () => {
    const f = { validation: 0.2, test: 0.2 };
    const a = stratifiedSplit(labels, f, 42);
    const b = stratifiedSplit(labels, f, 42);
    const c = stratifiedSplit(labels, f, 43);
    expect([...a.test]).to.deep.equal([...b.test]);
    expect([...a.validation]).to.deep.equal([...b.validation]);
    expect([...a.train]).to.deep.equal([...b.train]);
    expect([...a.test]).to.not.deep.equal([...c.test]);
  });

  it('keeps a training row for every class even when rounding would take it', () => {
    const tiny = [0, 1, 1, 2, 2, 2];
    const s = stratifiedSplit(tiny, { validation: 0.5, test: 0.45 }, 3);
    expectPartition(s, tiny.length);
    const seen = new Set([...s.train].map((i) => tiny[i]));
    expect([...seen].sort()).to.deep.equal([0, 1, 2]);
  });

  it('allows zero fractions', () => {
    const s = stratifiedSplit(labels, { validation: 0, test: 0 }, 1);
    expect(s.train.length).to.equal(150);
    expect(s.validation.length + s.test.length).to.equal(0);
  });

  it('rejects bad fractions naming the field', () => {
    const bad: [Partial<{ validation: number; test: number }>, RegExp][] = [
      [{ validation: -0.1, test: 0.2 }, /validation/],
      [{ validation: 0.2, test: Number.NaN }, /test/],
      [{ validation: Infinity, test: 0.2 }, /validation/],
      [{ validation: 0.2, test: 1 }, /test/],
      [{ validation: 0.6, test: 0.5 }, /test \+ validation/],
    ];
    for (const [f, msg] of bad) {
      expect(() => stratifiedSplit(labels, f as { validation: number; test: number }, 1)).to.throw(Error, msg);
    }
  });
});

describe('randomSplit', () => {
  it('splits by the same fraction rules and covers every row', () => {
    const s = randomSplit(100, { validation: 0.25, test: 0.2 }, 5);
    expect(s.test.length).to.equal(20);
    expect(s.validation.length).to.equal(20);
    expect(s.train.length).to.equal(60);
    expectPartition(s, 100);
  });

  it('is deterministic for a seed and differs for another seed', () => {
    const f = { validation: 0.2, test: 0.2 };
    expect([...randomSplit(50, f, 9).test]).to.deep.equal([...randomSplit(50, f, 9).test]);
    expect([...randomSplit(50, f, 9).test]).to.not.deep.equal([...randomSplit(50, f, 10).test]);
  });

  it('rejects a bad row count and bad fractions', () => {
    expect(() => randomSplit(-1, { validation: 0.2, test: 0.2 }, 1)).to.throw(Error, /rows/);
    expect(() => randomSplit(10, { validation: 0.2, test: -1 }, 1)).to.throw(Error, /test/);
  });
});
