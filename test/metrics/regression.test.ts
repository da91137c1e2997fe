import { expect } from '@esm-bundle/chai';
import { regressionScores } from '../../src/metrics/regression.ts';

describe('Regression metrics (scikit-learn definitions; the Python test compares them with scikit-learn itself)', () => {
  it('MSE, MAE and R² of a small example by hand', () => {
    const s = regressionScores([3, -0.5, 2, 7], [2.5, 0, 2, 8]);
    expect(s.mse).to.be.closeTo(0.375, 1e-15);
    expect(s.mae).to.be.closeTo(0.5, 1e-15);
    expect(s.r2).to.be.closeTo(0.9486081370449679, 1e-15);
    expect(s.rows).to.equal(4);
  });

  it('predicting the mean scores R² 0; a constant target scores 1 when exact, else 0', () => {
    expect(regressionScores([1, 2, 3], [2, 2, 2]).r2).to.equal(0);
    expect(regressionScores([5, 5], [5, 5]).r2).to.equal(1);
    expect(regressionScores([5, 5], [5, 6]).r2).to.equal(0);
  });

  it('an empty split scores NaN and mismatched lengths are refused', () => {
    expect(Number.isNaN(regressionScores([], []).r2)).to.equal(true);
    expect(() => regressionScores([1], [1, 2])).to.throw(/2 predictions for 1 targets/);
  });
});
