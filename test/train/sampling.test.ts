import { expect } from '@esm-bundle/chai';
import { Rng } from '../../src/nn/rng.ts';
import { classCounts, classWeights, epochOrder, labelsAt, resampledLength, resampleIndices } from '../../src/train/sampling.ts';

/** 90 rows of class 0 then 10 of class 1. */
const imbalanced = Uint32Array.from({ length: 100 }, (_, i) => (i < 90 ? 0 : 1));

function countsOf(rows: Uint32Array, labels: ArrayLike<number>, classes: number): number[] {
  return [...classCounts(labelsAt(rows, labels), classes)];
}

describe('classWeights', () => {
  it('matches scikit-learn balanced weights for counts [90, 10]', () => {
    const w = classWeights(imbalanced, 2, 'balanced');
    expect(w[0]).to.be.closeTo(100 / 180, 1e-6);
    expect(w[0]).to.be.closeTo(0.5556, 1e-4);
    expect(w[1]).to.be.closeTo(5, 1e-6);
  });

  it('gives every class the same total weight', () => {
    const labels = [0, 0, 0, 1, 2, 2];
    const w = classWeights(labels, 3, 'balanced');
    const counts = classCounts(labels, 3);
    for (let c = 0; c < 3; c++) expect(w[c]! * counts[c]!).to.be.closeTo(2, 1e-6);
  });

  it('weights an empty class 0 and reports it', () => {
    let reported: number[] = [];
    const w = classWeights([0, 0, 2, 2], 3, 'balanced', (e) => (reported = e));
    expect([...w]).to.deep.equal([1, 0, 1]);
    expect(reported).to.deep.equal([1]);
  });

  it('takes manual weights as given and validates them', () => {
    expect([...classWeights(imbalanced, 2, [1, 3])]).to.deep.equal([1, 3]);
    expect(() => classWeights(imbalanced, 2, [1])).to.throw(/one entry per class/);
    expect(() => classWeights(imbalanced, 2, [1, -1])).to.throw(/class weight 1/);
    expect(() => classWeights(imbalanced, 2, [1, NaN])).to.throw(/finite/);
    expect(() => classWeights(imbalanced, 2, [1, Infinity])).to.throw(/finite/);
    expect(() => classWeights(imbalanced, 2, [0, 0])).to.throw(/positive/);
  });

  it('rejects labels outside the classes', () => {
    expect(() => classWeights([0, 2], 2, 'balanced')).to.throw(/class id/);
    expect(() => classWeights([0, 0.5], 2, 'balanced')).to.throw(/class id/);
  });
});

describe('resampleIndices', () => {
  // Rows 0..99 labelled as `imbalanced`; only the even rows are training rows: 45 vs 5.
  const train = Uint32Array.from({ length: 50 }, (_, i) => 2 * i);

  it('returns the rows unchanged for none', () => {
    expect([...resampleIndices(train, imbalanced, 2, 'none', new Rng(1))]).to.deep.equal([...train]);
  });

  it('oversamples every class up to the majority using only training rows', () => {
    const out = resampleIndices(train, imbalanced, 2, 'oversample', new Rng(1));
    expect(countsOf(out, imbalanced, 2)).to.deep.equal([45, 45]);
    const allowed = new Set(train);
    for (const row of out) expect(allowed.has(row)).to.equal(true);
    // Every original row is kept, the minority ones repeated.
    expect(new Set(out).size).to.equal(50);
    expect(resampledLength(train, imbalanced, 2, 'oversample')).to.equal(out.length);
  });

  it('undersamples every class down to the minority without repeats', () => {
    const out = resampleIndices(train, imbalanced, 2, 'undersample', new Rng(1));
    expect(countsOf(out, imbalanced, 2)).to.deep.equal([5, 5]);
    expect(new Set(out).size).to.equal(10);
    for (const row of out) expect(row % 2).to.equal(0);
    expect(resampledLength(train, imbalanced, 2, 'undersample')).to.equal(10);
  });

  it('is deterministic for a seed and varies with it', () => {
    const a = resampleIndices(train, imbalanced, 2, 'oversample', new Rng(7));
    const b = resampleIndices(train, imbalanced, 2, 'oversample', new Rng(7));
    const c = resampleIndices(train, imbalanced, 2, 'oversample', new Rng(8));
    expect([...a]).to.deep.equal([...b]);
    expect([...a]).to.not.deep.equal([...c]);
  });

  it('leaves a class absent from training absent', () => {
    const labels = [0, 0, 0, 2, 1];
    const out = resampleIndices(Uint32Array.of(0, 1, 2, 3), labels, 3, 'oversample', new Rng(1));
    expect(countsOf(out, labels, 3)).to.deep.equal([3, 0, 3]);
  });

  it('rejects an unknown mode and out-of-range rows', () => {
    expect(() => resampleIndices(train, imbalanced, 2, 'smote' as 'none', new Rng(1))).to.throw(/resampling/);
    expect(() => resampleIndices(Uint32Array.of(100), imbalanced, 2, 'oversample', new Rng(1))).to.throw(/outside/);
  });
});

describe('epochOrder', () => {
  const train = Uint32Array.from({ length: 50 }, (_, i) => 2 * i);

  it('shuffles a fresh resample each epoch, deterministically', () => {
    const rng = new Rng(3);
    const first = epochOrder(train, imbalanced, 2, 'oversample', rng);
    const second = epochOrder(train, imbalanced, 2, 'oversample', rng);
    expect(first.length).to.equal(90);
    expect(countsOf(first, imbalanced, 2)).to.deep.equal([45, 45]);
    expect([...first]).to.not.deep.equal([...second]);
    const again = new Rng(3);
    expect([...epochOrder(train, imbalanced, 2, 'oversample', again)]).to.deep.equal([...first]);
  });

  it('is a permutation of the training rows for none', () => {
    const order = epochOrder(train, imbalanced, 2, 'none', new Rng(3));
    expect([...order].sort((a, b) => a - b)).to.deep.equal([...train]);
    expect([...order]).to.not.deep.equal([...train]);
  });
});
