import { expect } from '@esm-bundle/chai';
import { rowWeightTable, SAMME_ERROR_FLOOR, sammeAlpha, sammePredict, sammeRound, uniformWeights, weightedError } from '../../src/train/samme.ts';
import { expectClose } from '../helpers/tolerance.ts';

// Six training rows of three classes and three members' predictions, worked by hand:
// round 1 misses row 5:  err = 1/6,  α = ln 5 + ln 2 = ln 10, row 5's weight ×10 → [1,1,1,1,1,10]/15
// round 2 misses row 3:  err = 1/15, α = ln 14 + ln 2 = ln 28, row 3's weight ×28 → [1,1,1,28,1,10]/42
// round 3 misses row 0:  err = 1/42, α = ln 41 + ln 2 = ln 82, row 0's weight ×82 → [82,1,1,28,1,10]/123
const labels = [0, 1, 2, 0, 1, 2];
const members = [
  [0, 1, 2, 0, 1, 0],
  [0, 1, 2, 1, 1, 2],
  [1, 1, 2, 0, 1, 2],
];
const TOL = 1e-12;

describe('SAMME', () => {
  it('computes weighted errors, votes and row weights as worked by hand', () => {
    let weights = uniformWeights(6);
    const want = [
      { error: 1 / 6, alpha: Math.log(10), weights: [1, 1, 1, 1, 1, 10].map((w) => w / 15) },
      { error: 1 / 15, alpha: Math.log(28), weights: [1, 1, 1, 28, 1, 10].map((w) => w / 42) },
      { error: 1 / 42, alpha: Math.log(82), weights: [82, 1, 1, 28, 1, 10].map((w) => w / 123) },
    ];
    members.forEach((pred, m) => {
      const r = sammeRound(weights, pred, labels, 3, 1, m);
      expect(r.outcome).to.equal('kept');
      expect(r.continue).to.equal(true);
      expectClose([r.error], [want[m]!.error], TOL, TOL, `round ${m + 1} error`);
      expectClose([r.alpha], [want[m]!.alpha], TOL, TOL, `round ${m + 1} α`);
      expectClose(r.weights, want[m]!.weights, TOL, TOL, `round ${m + 1} weights`);
      weights = r.weights;
    });
  });

  it('shrinks α by the learning rate and reweights with the shrunk α', () => {
    const r = sammeRound(uniformWeights(6), members[0]!, labels, 3, 0.5);
    expectClose([r.alpha], [0.5 * Math.log(10)], TOL, TOL, 'α');
    const boosted = Math.sqrt(10);
    expectClose(
      r.weights,
      [1, 1, 1, 1, 1, boosted].map((w) => w / (5 + boosted)),
      TOL,
      TOL,
      'weights',
    );
  });

  it('votes by Σ α·onehot: two weaker members outvote a stronger one when their α add up to more', () => {
    const alphas = [Math.log(10), Math.log(28), Math.log(82)];
    // Row 0: ln 10 + ln 28 = ln 280 for class 0 beats ln 82 for class 1; row 5: ln 28 + ln 82 for 2.
    expect([...sammePredict(members, alphas, 6, 3)]).to.deep.equal(labels);
    // Without member 2, row 0 is a vote of ln 10 against ln 82: class 1 wins.
    expect(sammePredict([members[0]!, members[2]!], [alphas[0]!, alphas[2]!], 6, 3)[0]).to.equal(1);
    // Equal votes: the first class.
    expect([...sammePredict([[2], [1]], [1, 1], 1, 3)]).to.deep.equal([1]);
  });

  it('discards a member no better than chance and stops (err ≥ 1 − 1/K)', () => {
    // K = 3: 4 misses of 6 is err = 2/3, exactly chance.
    const r = sammeRound(uniformWeights(6), [1, 2, 0, 1, 1, 2], labels, 3, 1, 2);
    expect(r.outcome).to.equal('chance');
    expect(r.alpha).to.equal(0);
    expect(r.continue).to.equal(false);
    expectClose(r.weights, uniformWeights(6), TOL, TOL, 'unchanged weights');
    expect(r.message).to.match(/Round 3.*66\.7%.*left out/);
    // The first round's member: no ensemble at all, said so.
    expect(sammeRound(uniformWeights(6), [1, 2, 0, 1, 1, 2], labels, 3).message).to.match(/no ensemble/);
    // K = 2: chance is 1/2; 1 miss of 2 rows is discarded, α would have been 0.
    expect(sammeRound([0.5, 0.5], [0, 0], [0, 1], 2).outcome).to.equal('chance');
    expect(sammeAlpha(0.5, 2)).to.equal(0);
  });

  it('caps the vote of a perfect member and stops', () => {
    const r = sammeRound(uniformWeights(6), labels, labels, 3, 1, 4);
    expect(r.outcome).to.equal('perfect');
    expect(r.continue).to.equal(false);
    expectClose([r.alpha], [Math.log((1 - SAMME_ERROR_FLOOR) / SAMME_ERROR_FLOOR) + Math.log(2)], TOL, TOL, 'capped α');
    expect(Number.isFinite(r.alpha)).to.equal(true);
    expectClose(r.weights, uniformWeights(6), TOL, TOL, 'unchanged weights');
  });

  it('normalises any positive weights and refuses unusable ones', () => {
    expect(weightedError([2, 2, 4], [0, 1, 1], [0, 1, 0])).to.equal(0.5);
    expect(() => weightedError([0, 0], [0, 1], [0, 0])).to.throw(/sum to 0/);
    expect(() => weightedError([1, -1], [0, 1], [0, 0])).to.throw(/≥ 0/);
    expect(() => weightedError([1], [0, 1], [0, 0])).to.throw(/aligned/);
    expect(() => sammeAlpha(0.1, 1)).to.throw(/2 classes/);
    expect(() => sammeAlpha(0.1, 3, 0)).to.throw(/shrinkage/);
    expect(() => sammePredict([[3]], [1], 1, 3)).to.throw(/outside/);
  });

  it('turns boosting weights into loss row weights of mean 1 over the training rows', () => {
    const table = rowWeightTable(
      [1, 1, 1, 1, 1, 10].map((w) => w / 15),
      [7, 1, 3, 4, 0, 6],
      9,
    );
    const n = 6 / 15;
    expectClose(table, [n, n, 0, n, n, 0, 10 * n, n, 0], 1e-7, 1e-7, 'table');
    expect(() => rowWeightTable([1], [9], 9)).to.throw(/outside/);
    expect(() => rowWeightTable([0], [1], 9)).to.throw(/positive/);
  });
});
