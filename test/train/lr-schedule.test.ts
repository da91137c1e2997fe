import { expect } from '@esm-bundle/chai';
import { learningRateAt, scheduleCurve, validateLrSchedule, type LrSchedule } from '../../src/train/lr-schedule.ts';

describe('learning-rate schedules', () => {
  it('constant keeps the base rate', () => {
    expect(learningRateAt({ kind: 'constant' }, 0.01, 0)).to.equal(0.01);
    expect(learningRateAt({ kind: 'constant' }, 0.01, 9999)).to.equal(0.01);
  });

  it('step multiplies by the factor every `every` epochs', () => {
    const s: LrSchedule = { kind: 'step', every: 10, factor: 0.5 };
    expect(learningRateAt(s, 0.01, 0)).to.equal(0.01);
    expect(learningRateAt(s, 0.01, 9)).to.equal(0.01);
    expect(learningRateAt(s, 0.01, 10)).to.be.closeTo(0.005, 1e-15);
    expect(learningRateAt(s, 0.01, 25)).to.be.closeTo(0.0025, 1e-15);
  });

  it('cosine falls from the base to floor · base and stays there', () => {
    const s: LrSchedule = { kind: 'cosine', epochs: 100, floor: 0.1 };
    expect(learningRateAt(s, 0.01, 0)).to.be.closeTo(0.01, 1e-15);
    expect(learningRateAt(s, 0.01, 50)).to.be.closeTo(0.0055, 1e-15);
    expect(learningRateAt(s, 0.01, 100)).to.be.closeTo(0.001, 1e-15);
    expect(learningRateAt(s, 0.01, 150)).to.be.closeTo(0.001, 1e-15);
    expect(learningRateAt({ kind: 'cosine', epochs: 4, floor: 0 }, 1, 4)).to.equal(0);
  });

  it('scheduleCurve lists every epoch, non-increasing for step and cosine', () => {
    const curve = scheduleCurve({ kind: 'cosine', epochs: 30, floor: 0 }, 0.1, 40);
    expect(curve.length).to.equal(40);
    expect(curve[0]).to.equal(0.1);
    for (let e = 1; e < curve.length; e++) expect(curve[e]).to.be.at.most(curve[e - 1]!);
    expect(scheduleCurve({ kind: 'step', every: 2, factor: 0.1 }, 1, 5).map((v) => Number(v.toPrecision(6)))).to.deep.equal([1, 1, 0.1, 0.1, 0.01]);
  });

  it('validates the schedule, the base rate and the epoch', () => {
    expect(() => validateLrSchedule({ kind: 'exp' } as unknown as LrSchedule)).to.throw(/constant, step, cosine/);
    expect(() => learningRateAt({ kind: 'step', every: 0, factor: 0.5 }, 0.1, 0)).to.throw(/every/);
    expect(() => learningRateAt({ kind: 'step', every: 5, factor: 1.5 }, 0.1, 0)).to.throw(/factor/);
    expect(() => learningRateAt({ kind: 'step', every: 5, factor: 0 }, 0.1, 0)).to.throw(/factor/);
    expect(() => learningRateAt({ kind: 'cosine', epochs: 10, floor: 1.2 }, 0.1, 0)).to.throw(/floor/);
    expect(() => learningRateAt({ kind: 'cosine', epochs: 0.5, floor: 0 }, 0.1, 0)).to.throw(/epochs/);
    expect(() => learningRateAt({ kind: 'constant' }, 0, 0)).to.throw(/base/);
    expect(() => learningRateAt({ kind: 'constant' }, NaN, 0)).to.throw(/base/);
    expect(() => learningRateAt({ kind: 'constant' }, 0.1, -1)).to.throw(/epoch/);
    expect(() => scheduleCurve({ kind: 'constant' }, 0.1, 10001)).to.throw(/epochs/);
  });
});
