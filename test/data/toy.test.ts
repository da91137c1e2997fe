import { expect } from '@esm-bundle/chai';
import { DEFAULT_DATASET, type DatasetConfig, type DatasetName } from '../../src/config/experiment.ts';
import type { LabeledTable } from '../../src/data/dataset.ts';
import { applyImbalance, imbalancedCount, makeToyTable } from '../../src/data/toy.ts';

const cfg = (name: DatasetName, over: Partial<DatasetConfig> = {}): DatasetConfig => ({ ...DEFAULT_DATASET, name, ...over });

function counts(t: LabeledTable): number[] {
  const c = new Array<number>(t.classNames.length).fill(0);
  for (const l of t.labels) c[l]!++;
  return c;
}

/** Mean of f(x1, x2) over the rows of one class. */
function classMean(t: LabeledTable, k: number, f: (x: number, y: number) => number): number {
  let sum = 0;
  let n = 0;
  t.labels.forEach((l, r) => {
    if (l === k) {
      sum += f(t.features[2 * r]!, t.features[2 * r + 1]!);
      n++;
    }
  });
  return sum / n;
}

describe('makeToyTable', () => {
  const toys: DatasetName[] = ['spiral', 'circles', 'xor', 'gaussians', 'moons'];

  for (const name of toys) {
    it(`${name}: cfg.size rows of 2 finite features in a sane range, every class present`, () => {
      const t = makeToyTable(cfg(name, { size: 301, noise: 0.2, classes: 3 }), 7);
      expect(t.labels.length).to.equal(301);
      expect(t.inputSize).to.equal(2);
      expect(t.features.length).to.equal(602);
      expect(t.featureNames).to.deep.equal(['x1', 'x2']);
      for (const v of t.features) {
        expect(Number.isFinite(v)).to.equal(true);
        expect(Math.abs(v)).to.be.below(2.5);
      }
      const c = counts(t);
      expect(c.length).to.equal(name === 'spiral' || name === 'gaussians' ? 3 : 2);
      expect(Math.max(...c) - Math.min(...c)).to.be.at.most(1);
    });

    it(`${name}: clean coordinates lie roughly in [-1, 1]`, () => {
      const t = makeToyTable(cfg(name, { size: 500, noise: 0, classes: 8 }), 3);
      for (const v of t.features) expect(Math.abs(v)).to.be.at.most(1.05);
    });

    it(`${name}: the same seed gives the same table, another seed another`, () => {
      const a = makeToyTable(cfg(name, { imbalance: 0.5 }), 11);
      const b = makeToyTable(cfg(name, { imbalance: 0.5 }), 11);
      const c = makeToyTable(cfg(name, { imbalance: 0.5 }), 12);
      expect(Array.from(a.features)).to.deep.equal(Array.from(b.features));
      expect(Array.from(a.labels)).to.deep.equal(Array.from(b.labels));
      expect(Array.from(a.features)).to.not.deep.equal(Array.from(c.features));
    });
  }

  it('uses cfg.classes arms for spiral and blobs for gaussians, 2 classes elsewhere', () => {
    expect(makeToyTable(cfg('spiral', { classes: 5 }), 1).classNames).to.deep.equal(['class 0', 'class 1', 'class 2', 'class 3', 'class 4']);
    expect(makeToyTable(cfg('gaussians', { classes: 8 }), 1).classNames).to.have.length(8);
    expect(makeToyTable(cfg('circles', { classes: 5 }), 1).classNames).to.deep.equal(['inner', 'outer']);
    expect(makeToyTable(cfg('moons', { classes: 5 }), 1).classNames).to.have.length(2);
  });

  it('keeps round(n_k · imbalance^(k/(K−1))) rows per class', () => {
    const t = makeToyTable(cfg('spiral', { size: 400, classes: 4, imbalance: 0.1 }), 5);
    const want = [0, 1, 2, 3].map((k) => Math.round(100 * Math.pow(0.1, k / 3)));
    expect(counts(t)).to.deep.equal(want);
    expect(want[3]).to.equal(10);
  });

  it('never lets a class fall below 2 rows', () => {
    const t = makeToyTable(cfg('moons', { size: 20, imbalance: 0.02 }), 5);
    expect(counts(t)).to.deep.equal([10, 2]);
    expect(imbalancedCount(1, 1, 2, 0.02)).to.equal(1);
  });

  it('circles: the inner class has the smaller mean radius', () => {
    const t = makeToyTable(cfg('circles', { noise: 0.3 }), 2);
    const radius = (x: number, y: number): number => Math.hypot(x, y);
    expect(classMean(t, 0, radius)).to.be.below(classMean(t, 1, radius) - 0.3);
  });

  it('xor: class 0 has positive x1·x2 on average, class 1 negative', () => {
    const t = makeToyTable(cfg('xor', { noise: 0.3 }), 2);
    const prod = (x: number, y: number): number => x * y;
    expect(classMean(t, 0, prod)).to.be.above(0.1);
    expect(classMean(t, 1, prod)).to.be.below(-0.1);
  });

  it('moons: the upper moon sits above the lower one', () => {
    const t = makeToyTable(cfg('moons', { noise: 0.3 }), 2);
    const y = (_x: number, yy: number): number => yy;
    expect(classMean(t, 0, y)).to.be.above(classMean(t, 1, y) + 0.2);
  });

  it('gaussians and spiral: class centroids (or angles) differ', () => {
    const g = makeToyTable(cfg('gaussians', { classes: 4, noise: 0.2 }), 2);
    for (let k = 0; k < 4; k++) {
      const a = (2 * Math.PI * k) / 4;
      expect(classMean(g, k, (x) => x)).to.be.closeTo(0.7 * Math.cos(a), 0.1);
      expect(classMean(g, k, (_x, y) => y)).to.be.closeTo(0.7 * Math.sin(a), 0.1);
    }
    // A nearest-neighbour check: in a clean spiral most points' nearest neighbour shares their arm.
    const s = makeToyTable(cfg('spiral', { classes: 3, noise: 0.05, size: 600 }), 2);
    let same = 0;
    for (let i = 0; i < 600; i++) {
      let best = -1;
      let bestD = Infinity;
      for (let j = 0; j < 600; j++) {
        const d = j === i ? Infinity : Math.hypot(s.features[2 * i]! - s.features[2 * j]!, s.features[2 * i + 1]! - s.features[2 * j + 1]!);
        if (d < bestD) [best, bestD] = [j, d];
      }
      if (s.labels[best] === s.labels[i]) same++;
    }
    expect(same / 600).to.be.above(0.9);
  });

  it('rejects a dataset that is not generated, and invalid fields', () => {
    expect(() => makeToyTable(cfg('iris'), 1)).to.throw(/not a generated/);
    expect(() => makeToyTable(cfg('spiral', { size: 5 }), 1)).to.throw(/dataset.size/);
  });
});

describe('applyImbalance', () => {
  const table: LabeledTable = {
    features: Float32Array.from({ length: 150 }, (_, i) => i),
    inputSize: 1,
    labels: Uint32Array.from({ length: 150 }, (_, i) => Math.floor(i / 50)),
    classNames: ['a', 'b', 'c'],
    featureNames: ['f'],
  };

  it('subsamples like Iris would be: 50, round(50·√0.2), 10', () => {
    const t = applyImbalance(table, 0.2, 3);
    expect(counts(t)).to.deep.equal([50, Math.round(50 * Math.sqrt(0.2)), 10]);
    // Kept rows keep their features and original order.
    const kept = Array.from(t.features);
    expect(kept).to.deep.equal([...kept].sort((a, b) => a - b));
    t.labels.forEach((l, r) => expect(Math.floor(t.features[r]! / 50)).to.equal(l));
  });

  it('is deterministic per seed and returns the table itself at 1', () => {
    expect(Array.from(applyImbalance(table, 0.3, 9).features)).to.deep.equal(Array.from(applyImbalance(table, 0.3, 9).features));
    expect(Array.from(applyImbalance(table, 0.3, 9).features)).to.not.deep.equal(Array.from(applyImbalance(table, 0.3, 10).features));
    expect(applyImbalance(table, 1, 9)).to.equal(table);
    expect(() => applyImbalance(table, 0, 9)).to.throw(RangeError);
  });
});
