import { expect } from '@esm-bundle/chai';
import { oneVsRest, prCurve, rocCurve } from '../../src/metrics/curves.ts';
import { Rng } from '../../src/nn/rng.ts';
import { expectClose } from '../helpers/tolerance.ts';

const bool = (ys: number[]) => ys.map((y) => y === 1);

/** P(positive score > negative score) + ½·P(tie), by brute force over all pairs. */
function mannWhitney(scores: number[], pos: boolean[]): number {
  let sum = 0;
  let pairs = 0;
  scores.forEach((sp, i) => {
    if (!pos[i]) return;
    scores.forEach((sn, j) => {
      if (pos[j]) return;
      pairs++;
      sum += sp > sn ? 1 : sp === sn ? 0.5 : 0;
    });
  });
  return sum / pairs;
}

describe('rocCurve', () => {
  it("matches scikit-learn's documented example (AUC 0.75)", () => {
    const r = rocCurve([0.1, 0.4, 0.35, 0.8], bool([0, 0, 1, 1]));
    expect(r.fpr).to.deep.equal([0, 0, 0.5, 0.5, 1]);
    expect(r.tpr).to.deep.equal([0, 0.5, 0.5, 1, 1]);
    expect(r.thresholds).to.deep.equal([Infinity, 0.8, 0.4, 0.35, 0.1]);
    expect(r.auc).to.equal(0.75);
  });

  it('gives 1 for a perfect ranking and 0 for a reversed one', () => {
    expect(rocCurve([0.1, 0.2, 0.8, 0.9], bool([0, 0, 1, 1])).auc).to.equal(1);
    expect(rocCurve([0.9, 0.8, 0.2, 0.1], bool([0, 0, 1, 1])).auc).to.equal(0);
  });

  it('turns all-tied scores into one diagonal segment with AUC 0.5', () => {
    const r = rocCurve([0.5, 0.5, 0.5, 0.5], bool([0, 1, 0, 1]));
    expect(r.fpr).to.deep.equal([0, 1]);
    expect(r.tpr).to.deep.equal([0, 1]);
    expect(r.auc).to.equal(0.5);
  });

  it('counts ties between classes as ½ (hand-computed 4 of 6 pairs = 2/3)', () => {
    // Positives 0.6, 0.8, 0.2; negatives 0.2, 0.6. Pairs won: 0.6>0.2, 0.8>0.2, 0.8>0.6 (3),
    // tied: 0.6=0.6, 0.2=0.2 (2 × ½), lost: 0.2<0.6. (3 + 1) / 6 = 2/3.
    const r = rocCurve([0.2, 0.6, 0.6, 0.8, 0.2], bool([0, 0, 1, 1, 1]));
    expect(r.fpr).to.deep.equal([0, 0, 0.5, 1]);
    expectClose(r.tpr, [0, 1 / 3, 2 / 3, 1], 1e-12, 0, 'tpr');
    expectClose([r.auc], [2 / 3], 1e-12, 0, 'auc');
  });

  it('equals the Mann–Whitney probability on random data with many ties', () => {
    const rng = new Rng(11);
    for (let t = 0; t < 5; t++) {
      const n = 40 + t * 7;
      const scores = Array.from({ length: n }, () => rng.int(6) / 5);
      const pos = Array.from({ length: n }, (_, i) => i % 3 === 0 || rng.uniform() < 0.3);
      expectClose([rocCurve(scores, pos).auc], [mannWhitney(scores, pos)], 1e-12, 0, `trial ${t}`);
    }
  });

  it('gives NaN rates and AUC when one class is absent', () => {
    const allPos = rocCurve([0.1, 0.9], [true, true]);
    expect(allPos.auc).to.satisfy(Number.isNaN);
    expect(allPos.fpr.every(Number.isNaN)).to.equal(true);
    expect(allPos.tpr).to.deep.equal([0, 0.5, 1]);
    expect(rocCurve([0.1, 0.9], [false, false]).auc).to.satisfy(Number.isNaN);
    expect(rocCurve([], []).auc).to.satisfy(Number.isNaN);
  });

  it('ranks NaN scores lowest', () => {
    const r = rocCurve([NaN, 0.3, 0.7], bool([0, 0, 1]));
    expect(r.auc).to.equal(1);
    expect(r.thresholds).to.deep.equal([Infinity, 0.7, 0.3, -Infinity]);
  });
});

describe('prCurve', () => {
  it("matches scikit-learn's documented example (AP 0.8333…)", () => {
    const p = prCurve([0.1, 0.4, 0.35, 0.8], bool([0, 0, 1, 1]));
    // scikit-learn lists these from the lowest threshold; ours run from the highest.
    expectClose(p.precision, [1, 1, 0.5, 2 / 3, 0.5], 1e-12, 0, 'precision');
    expect(p.recall).to.deep.equal([0, 0.5, 0.5, 1, 1]);
    expect(p.thresholds).to.deep.equal([Infinity, 0.8, 0.4, 0.35, 0.1]);
    expectClose([p.averagePrecision], [5 / 6], 1e-12, 0, 'AP');
  });

  it('gives AP 1 for a perfect ranking and the positive rate for all-tied scores', () => {
    expect(prCurve([0.1, 0.2, 0.8, 0.9], bool([0, 0, 1, 1])).averagePrecision).to.equal(1);
    const tied = prCurve([0.5, 0.5, 0.5, 0.5], bool([0, 1, 0, 0]));
    expect(tied.precision).to.deep.equal([1, 0.25]);
    expect(tied.averagePrecision).to.equal(0.25);
  });

  it('gives NaN recall and AP without positives, precision 1 without negatives', () => {
    const none = prCurve([0.2, 0.4], [false, false]);
    expect(none.averagePrecision).to.satisfy(Number.isNaN);
    expect(none.recall.every(Number.isNaN)).to.equal(true);
    const all = prCurve([0.2, 0.4], [true, true]);
    expect(all.precision).to.deep.equal([1, 1, 1]);
    expect(all.averagePrecision).to.equal(1);
  });
});

describe('oneVsRest', () => {
  it('scores each softmax column against the rest and averages the AUCs', () => {
    // Rows: true 0, 1, 2, 2. Class 2's scores: positives 0.6, 0.1 against negatives 0.1, 0.1:
    // 2 pairs won, 2 tied → AUC 3/4; AP = ½·1 + ½·(2 of 4 at 0.1) = 3/4. Classes 0, 1 rank perfectly.
    const out = [0.8, 0.1, 0.1, 0.1, 0.8, 0.1, 0.2, 0.2, 0.6, 0.2, 0.7, 0.1];
    const o = oneVsRest(out, 4, 3, Uint32Array.of(0, 1, 2, 2), 3);
    expect(o.perClass.map((c) => c.roc.auc)).to.deep.equal([1, 1, 0.75]);
    expectClose([o.macroAuc], [(1 + 1 + 0.75) / 3], 1e-12, 0, 'macro AUC');
    expect(o.perClass[2]!.pr.averagePrecision).to.be.closeTo(0.75, 1e-12);
  });

  it('scores a sigmoid head: class 1 by p, class 0 by its mirror with the same AUC', () => {
    const p = Float32Array.of(0.1, 0.4, 0.35, 0.8);
    const o = oneVsRest(p, 4, 1, [0, 0, 1, 1], 2);
    expect(o.perClass[1]!.roc.auc).to.equal(0.75);
    expect(o.perClass[0]!.roc.auc).to.be.closeTo(0.75, 1e-12);
    expect(o.perClass[1]!.pr.averagePrecision).to.be.closeTo(5 / 6, 1e-12);
    expect(o.macroAuc).to.equal(0.75);
    expect(o.perClass[0]!.roc.thresholds.slice(1)).to.deep.equal(Array.from(p, (x) => 1 - x).sort((a, b) => b - a));
  });

  it("two classes: the figure is class 1's AUC, scikit-learn's roc_auc_score(y, p1), labelled so (the issue's example)", () => {
    // A confident softmax in float32: p1 rounds to exactly 1 in both rows, p0 still differs.
    const out = Float32Array.of(6.2e-20, 1.0, 3.8e-9, 1.0);
    const o = oneVsRest(out, 2, 2, [1, 0], 2);
    expect(o.macroAuc).to.equal(0.5);
    expect(o.aucLabel).to.equal('AUC (class 1 score)');
    expect(o.perClass[1]!.roc.auc).to.equal(0.5);
    expect(o.perClass[0]!.roc.auc).to.equal(0.5);
  });

  it("two classes: class 0's ROC is class 1's mirrored, tie for tie", () => {
    const rows = 60;
    const out = new Float32Array(rows * 2);
    const labels: number[] = [];
    for (let r = 0; r < rows; r++) {
      const p1 = Math.fround(r % 7 === 0 ? 1 : ((r * 37) % 11) / 11);
      out.set([Math.fround(r % 7 === 0 ? 1e-9 * r : 1 - p1), p1], 2 * r);
      labels.push((r * 13) % 3 === 0 ? 0 : 1);
    }
    const o = oneVsRest(out, rows, 2, labels, 2);
    const [c0, c1] = [o.perClass[0]!.roc, o.perClass[1]!.roc];
    expect(c0.fpr.length).to.equal(c1.fpr.length);
    c0.fpr.forEach((f, k) => {
      expect(f).to.be.closeTo(1 - c1.tpr[c1.tpr.length - 1 - k]!, 1e-12);
      expect(c0.tpr[k]).to.be.closeTo(1 - c1.fpr[c1.fpr.length - 1 - k]!, 1e-12);
    });
    expect(c0.auc).to.be.closeTo(c1.auc, 1e-12);
    expect(o.macroAuc).to.equal(c1.auc);
  });

  it('three or more classes keep the macro average and its label', () => {
    const o = oneVsRest([0.7, 0.2, 0.1, 0.3, 0.6, 0.1, 0.2, 0.2, 0.6], 3, 3, [0, 1, 2], 3);
    expect(o.aucLabel).to.equal('Macro AUC');
    expect(o.macroAuc).to.equal(1);
  });

  it('leaves classes absent from the labels out of the macro average', () => {
    const out = [0.7, 0.2, 0.1, 0.3, 0.6, 0.1, 0.6, 0.3, 0.1];
    const o = oneVsRest(out, 3, 3, [0, 1, 0], 3);
    expect(o.perClass[2]!.roc.auc).to.satisfy(Number.isNaN);
    expect(o.macroAuc).to.equal(1);
    expect(o.macroAveragePrecision).to.equal(1);
  });

  it('rejects a head width that does not match the classes', () => {
    expect(() => oneVsRest([0.5, 0.5], 1, 2, [0], 3)).to.throw(RangeError);
    expect(() => oneVsRest([0.5], 1, 1, [0], 3)).to.throw(RangeError);
    expect(() => oneVsRest([0.5, 0.5], 2, 1, [0], 2)).to.throw(RangeError);
  });
});
