import { expect } from '@esm-bundle/chai';
import { loadIris } from '../../src/data/iris.ts';

describe('loadIris', () => {
  const iris = loadIris({ seed: 1 });
  const { dataset, splits } = iris;

  it('has 150 rows of 4 features and one class-id target per row', () => {
    expect(dataset.rows).to.equal(150);
    expect(dataset.inputSize).to.equal(4);
    expect(dataset.targetWidth).to.equal(1);
    expect(dataset.features.length).to.equal(600);
    expect(dataset.targets.length).to.equal(150);
    expect(iris.featureNames).to.have.length(4);
  });

  it('numbers the 3 classes by first appearance, 50 rows each', () => {
    expect(iris.classNames).to.deep.equal(['setosa', 'versicolor', 'virginica']);
    const counts = [0, 0, 0];
    for (const t of dataset.targets) {
      expect(Number.isInteger(t)).to.equal(true);
      counts[t]!++;
    }
    expect(counts).to.deep.equal([50, 50, 50]);
    expect(dataset.targets[0]).to.equal(0);
  });

  it('splits 96/24/30 by default, stratified and disjoint', () => {
    expect(splits.train.length).to.equal(96);
    expect(splits.validation.length).to.equal(24);
    expect(splits.test.length).to.equal(30);
    const all = new Set([...splits.train, ...splits.validation, ...splits.test]);
    expect(all.size).to.equal(150);
    const testCounts = [0, 0, 0];
    for (const i of splits.test) testCounts[dataset.targets[i]!]!++;
    expect(testCounts).to.deep.equal([10, 10, 10]);
  });

  it('standardizes with training statistics: train columns have mean ≈0, std ≈1 (tol 1e-5)', () => {
    for (let j = 0; j < 4; j++) {
      let m = 0;
      for (const r of splits.train) m += dataset.features[r * 4 + j]!;
      m /= splits.train.length;
      let v = 0;
      for (const r of splits.train) v += (dataset.features[r * 4 + j]! - m) ** 2;
      expect(Math.abs(m)).to.be.lessThan(1e-5);
      expect(Math.abs(Math.sqrt(v / splits.train.length) - 1)).to.be.lessThan(1e-5);
    }
    // Petal length of a setosa is small, so it must land well below the training mean.
    expect(dataset.features[0 * 4 + 2]).to.be.lessThan(-1);
  });

  it('is deterministic for a seed and honours custom fractions', () => {
    expect([...loadIris({ seed: 1 }).splits.test]).to.deep.equal([...splits.test]);
    expect([...loadIris({ seed: 2 }).splits.test]).to.not.deep.equal([...splits.test]);
    const s = loadIris({ seed: 1, test: 0.1, validation: 0 }).splits;
    expect([s.train.length, s.validation.length, s.test.length]).to.deep.equal([135, 0, 15]);
  });
});
