import { expect } from '@esm-bundle/chai';
import { Rng } from '../../src/nn/rng.ts';
import { BatchSchedule } from '../../src/train/schedule.ts';

describe('seeded randomness', () => {
  it('Rng repeats for a seed, differs across seeds, and is roughly uniform and normal', () => {
    const a = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.nextU32()
      )(new Rng(9)),
    );
    const b = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.nextU32()
      )(new Rng(9)),
    );
    const c = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.nextU32()
      )(new Rng(10)),
    );
    expect(a).to.deep.equal(b);
    expect(a).to.not.deep.equal(c);
    const rng = new Rng(1);
    const n = 20000;
    let sum = 0;
    let sq = 0;
    let uSum = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      sum += z;
      sq += z * z;
      uSum += rng.uniform();
    }
    // Standard errors at n = 20000 are about 0.007 (mean) and 0.01 (variance): 5σ bounds.
    expect(Math.abs(sum / n)).to.be.lessThan(0.035);
    expect(Math.abs(sq / n - 1)).to.be.lessThan(0.05);
    expect(Math.abs(uSum / n - 0.5)).to.be.lessThan(0.011);
  });

  it('BatchSchedule visits every training row once per epoch, reshuffled each epoch', () => {
    const train = Uint32Array.from([3, 5, 8, 13, 21, 34, 55]);
    const schedule = new BatchSchedule(train, 3, 1);
    expect(schedule.stepsPerEpoch).to.equal(3);
    const epochs: number[][] = [];
    for (let e = 0; e < 2; e++) {
      const { chunk, epoch, endsEpoch } = schedule.next(10);
      expect(epoch).to.equal(e);
      expect(endsEpoch).to.equal(true);
      expect([...chunk.rows]).to.deep.equal([3, 3, 1]);
      const seen = [...chunk.batchIndices.subarray(0, 3), ...chunk.batchIndices.subarray(3, 6), chunk.batchIndices[6]!];
      expect([...seen].sort((x, y) => x - y)).to.deep.equal([...train]);
      epochs.push(seen);
    }
    expect(epochs[0]).to.not.deep.equal(epochs[1]);
  });

  it('BatchSchedule chunks never cross an epoch boundary', () => {
    const schedule = new BatchSchedule(
      Uint32Array.from({ length: 10 }, (_, i) => i),
      2,
      3,
    );
    const a = schedule.next(4);
    const b = schedule.next(4);
    expect([a.chunk.rows.length, a.endsEpoch, b.chunk.rows.length, b.endsEpoch]).to.deep.equal([4, false, 1, true]);
  });
});
