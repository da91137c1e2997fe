import { expect } from '@esm-bundle/chai';
import { appendMetrics, type Gan2dMetricPoint } from '../../../components/gan2d/metric-series.ts';

const metric = (i: number) => ({ dLoss: i, dAccuracy: i / 100, gLoss: -i, dReal: 2 * i, dFake: i * i });

describe('the 2-D lab keeps its chart metrics bounded', () => {
  it('keeps every iteration until the limit, numbered from the count so far', () => {
    const points = appendMetrics([], [metric(1), metric(2)], 7, 4);
    expect(points.map((p) => [p.iteration, p.n, p.dLoss])).to.deep.equal([
      [8, 1, 1],
      [9, 1, 2],
    ]);
  });

  it('past the limit, neighbours merge into their weighted mean: the totals and the last iteration stay exact', () => {
    let points: Gan2dMetricPoint[] = [];
    let iteration = 0;
    for (let chunk = 0; chunk < 37; chunk++) {
      const batch = Array.from({ length: 1 + (chunk % 5) }, (_, i) => metric(iteration + i + 1));
      points = appendMetrics(points, batch, iteration, 16);
      iteration += batch.length;
      expect(points.length).to.be.at.most(16);
      expect(points.at(-1)!.iteration).to.equal(iteration);
    }
    const n = points.reduce((s, p) => s + p.n, 0);
    expect(n).to.equal(iteration);
    // Σ n·mean over the points is the sum over every iteration, for each metric.
    const sum = (f: (p: Gan2dMetricPoint) => number) => points.reduce((s, p) => s + p.n * f(p), 0);
    const exact = (f: (i: number) => number) => Array.from({ length: iteration }, (_, i) => f(i + 1)).reduce((s, v) => s + v, 0);
    expect(sum((p) => p.dLoss)).to.be.closeTo(
      exact((i) => i),
      1e-6,
    );
    expect(sum((p) => p.dFake)).to.be.closeTo(
      exact((i) => i * i),
      1e-3,
    );
    // Points stay in order, each ending after the one before.
    for (let i = 1; i < points.length; i++) expect(points[i]!.iteration).to.be.above(points[i - 1]!.iteration);
  });
});
