import { expect } from '@esm-bundle/chai';
import { Rng } from '../../src/nn/rng.ts';
import { averageProbabilities, bootstrapSample, majorityVote } from '../../src/train/ensemble.ts';

function accuracy(pred: Uint32Array, labels: number[]): number {
  return pred.reduce((s, p, i) => s + (p === labels[i] ? 1 : 0), 0) / labels.length;
}

describe('ensembles', () => {
  // Three 3-class members over four rows; each is wrong on a different row.
  const labels = [0, 1, 2, 1];
  const a = Float32Array.of(0.1, 0.8, 0.1, /**/ 0.1, 0.8, 0.1, /**/ 0.1, 0.1, 0.8, /**/ 0.2, 0.7, 0.1);
  const b = Float32Array.of(0.8, 0.1, 0.1, /**/ 0.1, 0.1, 0.8, /**/ 0.1, 0.1, 0.8, /**/ 0.1, 0.8, 0.1);
  const c = Float32Array.of(0.7, 0.2, 0.1, /**/ 0.2, 0.7, 0.1, /**/ 0.1, 0.1, 0.8, /**/ 0.6, 0.3, 0.1);

  it('averages member probabilities', () => {
    const mean = averageProbabilities([a, b, c], 4, 3);
    const want = [1.6 / 3, 1.1 / 3, 0.1, 0.4 / 3, 1.6 / 3, 1 / 3, 0.1, 0.1, 0.8, 0.3, 0.6, 0.1];
    mean.forEach((v, i) => expect(v).to.be.closeTo(want[i]!, 1e-6));
  });

  it("has the accuracy of its members' vote", () => {
    const members = [a, b, c];
    const votes = majorityVote(members, 4, 3);
    expect([...votes]).to.deep.equal([0, 1, 2, 1]);
    expect(accuracy(votes, labels)).to.equal(1);
    // Each member alone gets 3 of 4 rows right; the vote fixes every member's mistake.
    for (const m of members) expect(accuracy(majorityVote([m], 4, 3), labels)).to.equal(0.75);
  });

  it('breaks vote ties by mean probability, then by the lowest class', () => {
    const p = Float32Array.of(0.6, 0.4, 0, /**/ 0.5, 0, 0.5);
    const q = Float32Array.of(0.1, 0.9, 0, /**/ 0, 0.5, 0.5);
    // Row 0: one vote each for 0 and 1; class 1 has the higher mean (0.65 vs 0.35).
    // Row 1: votes 0 and 1 tie, means 0.25 and 0.25 tie (class 2 has no vote), so class 0.
    expect([...majorityVote([p, q], 2, 3)]).to.deep.equal([1, 0]);
  });

  it('votes with binary sigmoid heads', () => {
    const m1 = Float32Array.of(0.9, 0.2, 0.6);
    const m2 = Float32Array.of(0.8, 0.4, 0.3);
    const m3 = Float32Array.of(0.1, 0.7, 0.55);
    expect([...majorityVote([m1, m2, m3], 3, 1)]).to.deep.equal([1, 0, 1]);
  });

  it('rejects mismatched members', () => {
    expect(() => majorityVote([], 4, 3)).to.throw(/at least one/);
    expect(() => averageProbabilities([a, Float32Array.of(1)], 4, 3)).to.throw(/member 1/);
  });

  it('draws a bootstrap sample with replacement from the training rows', () => {
    const train = Uint32Array.from({ length: 200 }, (_, i) => 3 * i + 1);
    const s = bootstrapSample(train, new Rng(5));
    expect(s.length).to.equal(200);
    const allowed = new Set(train);
    for (const r of s) expect(allowed.has(r)).to.equal(true);
    const distinct = new Set(s).size;
    // About 1 − 1/e ≈ 63% distinct rows.
    expect(distinct).to.be.within(105, 150);
    expect([...bootstrapSample(train, new Rng(5))]).to.deep.equal([...s]);
    expect(() => bootstrapSample(new Uint32Array(0), new Rng(5))).to.throw(/empty/);
  });
});
