import { expect } from '@esm-bundle/chai';
import type { GanMetric } from '../../src/train/gan-backend.ts';
import { GanMetricLog } from '../../src/train/gan-metric-log.ts';

const metric = (i: number): GanMetric => ({ dLoss: i + 0.1, dAccuracy: i / 3, gLoss: -i, dReal: Math.fround(i * 1e-7), dFake: i === 5 ? NaN : i * 1e300 });

describe('GanMetricLog: a GAN history as float64 columns', () => {
  it('gives back every metric exactly as pushed, across growth, NaN and -0 included', () => {
    const log = new GanMetricLog();
    const plain: GanMetric[] = [];
    // 3,000 pushes in uneven chunks: past the first capacity (1,024) twice.
    for (let i = 0; i < 3000;) {
      const chunk = Array.from({ length: 1 + (i % 37) }, (_, j) => metric(i + j));
      expect(log.push(...chunk)).to.equal(i + chunk.length);
      plain.push(...chunk);
      i += chunk.length;
    }
    log.push({ dLoss: -0, dAccuracy: 0, gLoss: Infinity, dReal: -Infinity, dFake: 0 });
    plain.push({ dLoss: -0, dAccuracy: 0, gLoss: Infinity, dReal: -Infinity, dFake: 0 });
    expect(log.length).to.equal(plain.length);
    expect(log.toArray()).to.deep.equal(plain);
    expect(Object.is(log.at(-1)!.dLoss, -0)).to.equal(true);
    expect(Number.isNaN(log.at(5)!.dFake)).to.equal(true);
    expect([...log]).to.deep.equal(plain);
    expect(Array.from(log.column('gLoss'))).to.deep.equal(plain.map((m) => m.gLoss));
  });

  it('reads like an array: at, slice, map and every, with the same edges', () => {
    const log = new GanMetricLog();
    const plain = Array.from({ length: 10 }, (_, i) => metric(i)).filter((_, i) => i !== 5);
    log.push(...plain);
    for (const i of [0, 3, -1, -9, 9, -10, 1.5]) expect(log.at(i), `at(${i})`).to.deep.equal(plain.at(i));
    for (const [a, b] of [[], [2], [-3], [2, 5], [5, 2], [-4, -1], [0, 99], [-99, 3]] as number[][])
      expect(log.slice(...(a === undefined ? [] : b === undefined ? [a] : [a, b])), `slice(${a}, ${b})`).to.deep.equal(plain.slice(a, b));
    expect(log.map((m, i) => m.gLoss + i)).to.deep.equal(plain.map((m, i) => m.gLoss + i));
    expect(log.every((m) => m.dLoss > 0)).to.equal(true);
    expect(log.every((m) => m.gLoss > -3)).to.equal(false);
    expect(new GanMetricLog().at(0)).to.equal(undefined);
  });
});
