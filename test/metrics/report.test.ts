import { expect } from '@esm-bundle/chai';
import { classificationReport } from '../../src/metrics/report.ts';
import { expectClose } from '../helpers/tolerance.ts';

function prf(s: { precision: number; recall: number; f1: number }): number[] {
  return [s.precision, s.recall, s.f1];
}

describe('classificationReport', () => {
  it('scores a perfect classifier 1 everywhere', () => {
    const r = classificationReport([
      [2, 0, 0],
      [0, 3, 0],
      [0, 0, 5],
    ]);
    for (const c of r.perClass) expect(prf(c)).to.deep.equal([1, 1, 1]);
    expect(r.perClass.map((c) => c.support)).to.deep.equal([2, 3, 5]);
    expect(prf(r.macro)).to.deep.equal([1, 1, 1]);
    expect(prf(r.weighted)).to.deep.equal([1, 1, 1]);
    expect(r.accuracy).to.equal(1);
    expect(r.total).to.equal(10);
  });

  it('scores an all-wrong classifier 0 everywhere', () => {
    const r = classificationReport([
      [0, 2],
      [3, 0],
    ]);
    for (const c of r.perClass) expect(prf(c)).to.deep.equal([0, 0, 0]);
    expect(prf(r.macro)).to.deep.equal([0, 0, 0]);
    expect(r.accuracy).to.equal(0);
  });

  it('gives a never-predicted class precision 0 and counts it in the macro average', () => {
    // y_true = [0,0,1,1,2,2], y_pred = [0,0,0,1,1,1]: class 2 is never predicted.
    const r = classificationReport([
      [2, 0, 0],
      [1, 1, 0],
      [0, 2, 0],
    ]);
    expectClose(prf(r.perClass[0]!), [2 / 3, 1, 0.8], 1e-12, 0, 'class 0');
    expectClose(prf(r.perClass[1]!), [1 / 3, 0.5, 0.4], 1e-12, 0, 'class 1');
    expect(prf(r.perClass[2]!)).to.deep.equal([0, 0, 0]);
    expectClose(prf(r.macro), [1 / 3, 0.5, 0.4], 1e-12, 0, 'macro');
    expectClose(prf(r.weighted), [1 / 3, 0.5, 0.4], 1e-12, 0, 'weighted');
    expect(r.accuracy).to.equal(0.5);
  });

  it('gives a class without support recall 0: in the macro average, weightless in the weighted one', () => {
    // y_true = [0,0,1,1], y_pred = [0,2,1,1] over 3 classes: class 2 never occurs in the truth.
    // scikit-learn, labels=[0,1,2], zero_division=0: macro P 2/3, R 1/2, F1 5/9.
    const r = classificationReport([
      [1, 0, 1],
      [0, 2, 0],
      [0, 0, 0],
    ]);
    expectClose(prf(r.perClass[0]!), [1, 0.5, 2 / 3], 1e-12, 0, 'class 0');
    expect(r.perClass[2]).to.deep.equal({ precision: 0, recall: 0, f1: 0, support: 0 });
    expectClose(prf(r.macro), [2 / 3, 0.5, 5 / 9], 1e-12, 0, 'macro');
    expectClose(prf(r.weighted), [1, 0.75, 5 / 6], 1e-12, 0, 'weighted');
    expect(r.accuracy).to.equal(0.75);
    expect(r.total).to.equal(4);
  });

  it('weights by support on an imbalanced matrix', () => {
    // Class 0: P 3/5, R 3/4, F1 2/3. Class 1: P 4/5, R 4/6, F1 8/11.
    const r = classificationReport([
      [3, 1],
      [2, 4],
    ]);
    expectClose(prf(r.perClass[1]!), [0.8, 2 / 3, 8 / 11], 1e-12, 0, 'class 1');
    expectClose(prf(r.macro), [0.7, (0.75 + 2 / 3) / 2, (2 / 3 + 8 / 11) / 2], 1e-12, 0, 'macro');
    expectClose(prf(r.weighted), [0.72, 0.7, 232 / 330], 1e-12, 0, 'weighted');
    expect(r.accuracy).to.equal(0.7);
  });

  it('reports an empty matrix as accuracy NaN and zero averages', () => {
    const r = classificationReport([
      [0, 0],
      [0, 0],
    ]);
    expect(r.accuracy).to.satisfy(Number.isNaN);
    expect(r.total).to.equal(0);
    expect(prf(r.weighted)).to.deep.equal([0, 0, 0]);
  });

  it('rejects a non-square matrix', () => {
    expect(() => classificationReport([[1, 2], [3]])).to.throw(RangeError);
  });
});
