import { expect } from '@esm-bundle/chai';
import { confusionMatrix, predictedClasses, rowNormalize } from '../../src/metrics/confusion.ts';

describe('confusionMatrix', () => {
  it('puts a perfect classifier on the diagonal', () => {
    expect(confusionMatrix([0, 1, 2, 2], [0, 1, 2, 2], 3)).to.deep.equal([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 2],
    ]);
  });

  it('puts an all-wrong classifier off the diagonal, rows = true, columns = predicted', () => {
    expect(confusionMatrix([0, 0, 1, 1, 1], [1, 1, 0, 0, 0], 2)).to.deep.equal([
      [0, 2],
      [3, 0],
    ]);
  });

  it('keeps a class missing from predictions as a zero column and from truth as a zero row', () => {
    // Class 2 is never predicted; class 1 never occurs in the truth.
    expect(confusionMatrix([0, 2, 2, 0], [0, 0, 1, 1], 3)).to.deep.equal([
      [1, 1, 0],
      [0, 0, 0],
      [1, 1, 0],
    ]);
  });

  it('rejects labels outside the class range and mismatched lengths', () => {
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).to.throw(RangeError, /row 1/);
    expect(() => confusionMatrix([0, 1], [0, 1.5], 3)).to.throw(RangeError);
    expect(() => confusionMatrix([0], [0, 1], 3)).to.throw(RangeError, /1 true labels but 2/);
  });

  it('gives an all-zero matrix for no rows', () => {
    expect(confusionMatrix(new Uint32Array(0), new Uint32Array(0), 2)).to.deep.equal([
      [0, 0],
      [0, 0],
    ]);
  });
});

describe('rowNormalize', () => {
  it('divides each row by its sum and leaves empty rows at 0', () => {
    expect(
      rowNormalize([
        [3, 1],
        [0, 0],
        [1, 4],
      ]),
    ).to.deep.equal([
      [0.75, 0.25],
      [0, 0],
      [0.2, 0.8],
    ]);
  });
});

describe('predictedClasses', () => {
  it('takes the argmax for three or more columns, the first maximum winning ties', () => {
    const out = [0.2, 0.5, 0.3, 0.4, 0.4, 0.2, 0.1, 0.1, 0.8, 1 / 3, 1 / 3, 1 / 3];
    expect([...predictedClasses(out, 4, 3)]).to.deep.equal([1, 0, 2, 0]);
  });

  it('ignores the threshold for three or more columns', () => {
    expect([...predictedClasses([0.2, 0.5, 0.3], 1, 3, 0.9)]).to.deep.equal([1]);
  });

  it('thresholds a sigmoid head at p ≥ threshold', () => {
    const p = Float32Array.of(0.1, 0.5, 0.49, 0.7, 0.95);
    expect([...predictedClasses(p, 5, 1)]).to.deep.equal([0, 1, 0, 1, 1]);
    expect([...predictedClasses(p, 5, 1, 0.7)]).to.deep.equal([0, 0, 0, 1, 1]);
    expect([...predictedClasses(p, 5, 1, 0)]).to.deep.equal([1, 1, 1, 1, 1]);
  });

  it('thresholds a two-class softmax on p1, so the slider works for it too', () => {
    const out = [0.9, 0.1, 0.5, 0.5, 0.35, 0.65, 0.2, 0.8];
    expect([...predictedClasses(out, 4, 2)]).to.deep.equal([0, 1, 1, 1]);
    expect([...predictedClasses(out, 4, 2, 0.7)]).to.deep.equal([0, 0, 0, 1]);
  });

  it('never lets NaN reach a threshold or win an argmax', () => {
    expect([...predictedClasses([NaN], 1, 1)]).to.deep.equal([0]);
    expect([...predictedClasses([NaN, 0.1, 0.9, NaN, NaN, NaN], 2, 3)]).to.deep.equal([2, 0]);
  });

  it('rejects outputs too short for rows × width', () => {
    expect(() => predictedClasses([0.1, 0.2], 2, 3)).to.throw(RangeError);
  });
});
