import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, validateDataset, type ExperimentConfig } from '../../src/config/experiment.ts';
import { ConfigError } from '../../src/config/errors.ts';
import {
  decodeDrawn,
  DRAWN_LIMITS,
  drawingProblem,
  drawnTable,
  encodeDrawn,
  snapDrawnPoint,
  validateDrawnPoints,
  type DrawnPoint,
} from '../../src/data/drawn.ts';
import { loadExperimentData } from '../../src/data/load.ts';
import { dataFingerprint } from '../../src/io/export-data.ts';
import { Rng } from '../../src/nn/rng.ts';
import { plotPoints } from '../../src/train/plot-points.ts';

/** `n` snapped points at random places in the plane, of `classes` classes (or values when 0). */
function drawing(n: number, classes: number, seed = 1): DrawnPoint[] {
  const rng = new Rng(seed);
  const task = classes ? 'classification' : 'regression';
  return Array.from({ length: n }, (_, i) =>
    snapDrawnPoint(3 * rng.uniform() - 1.5, 3 * rng.uniform() - 1.5, classes ? i % classes : 2 * rng.uniform() - 1, task),
  );
}

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('a drawing: limits and checks', () => {
  it('snaps points into the plane and onto the 0.01 grid, and leaves snapped points alone', () => {
    expect(snapDrawnPoint(0.123, -2, 3.4, 'classification')).to.deep.equal({ x1: 0.12, x2: -1.5, y: 3 });
    expect(snapDrawnPoint(9, 0.4449, 12, 'classification')).to.deep.equal({ x1: 1.5, x2: 0.44, y: 7 });
    expect(snapDrawnPoint(-0.001, 0, -0.256, 'regression')).to.deep.equal({ x1: 0, x2: 0, y: -0.26 });
    expect(Object.is(snapDrawnPoint(-0.001, 0, 0, 'regression').x1, 0), 'never -0').to.equal(true);
    expect(snapDrawnPoint(0, 0, 5, 'regression').y).to.equal(1);
    for (const p of drawing(200, 0)) expect(snapDrawnPoint(p.x1, p.x2, p.y, 'regression')).to.deep.equal(p);
  });

  it('refuses a malformed drawing with a ConfigError naming the point', () => {
    const ok = { x1: 0, x2: 0, y: 1 };
    const cases: [unknown, string][] = [
      [{}, 'must be a list'],
      [Array.from({ length: 501 }, () => ok), 'at most 500 points, got 501'],
      [[ok, null], 'dataset.drawn[1]'],
      [[{ x1: 1.6, x2: 0, y: 0 }], 'dataset.drawn[0].x1: must be a number from -1.5 to 1.5'],
      [[{ x1: 0, x2: NaN, y: 0 }], 'dataset.drawn[0].x2'],
      [[{ x1: 0, x2: 0, y: 3.5 }], 'dataset.drawn[0].y: must be a class from 0 to 7 or a value from -1 to 1'],
      [[{ x1: 0, x2: 0, y: 8 }], 'dataset.drawn[0].y'],
      [[{ x1: '0', x2: 0, y: 0 }], 'dataset.drawn[0].x1'],
    ];
    for (const [points, words] of cases) {
      const e = thrown(() => validateDrawnPoints(points));
      expect(e).to.be.instanceOf(ConfigError);
      expect(e.message).to.contain(words);
    }
    expect(validateDrawnPoints([ok, { x1: -1.5, x2: 1.5, y: -0.5 }])).to.have.length(2);
    expect(() => validateDataset({ ...DEFAULT_EXPERIMENT.dataset, name: 'drawn', drawn: [{ x1: 2, x2: 0, y: 0 }] })).to.throw(ConfigError);
  });

  it('says in plain words why a drawing cannot be trained on: too few points, one class, the other task', () => {
    const two = drawing(12, 2);
    expect(drawingProblem(two, 'classification')).to.equal(null);
    expect(drawingProblem(two.slice(0, 9), 'classification')).to.equal('Draw at least 10 points to train on (9 so far).');
    expect(drawingProblem([], 'classification')).to.contain('(0 so far)');
    const one = two.map((p) => ({ ...p, y: 4 }));
    expect(drawingProblem(one, 'classification')).to.equal('Draw points of at least two classes: all 12 are class 4.');
    const values = drawing(12, 0);
    expect(drawingProblem(values, 'regression')).to.equal(null);
    expect(drawingProblem(values, 'classification')).to.contain('values, not classes');
    expect(drawingProblem(drawing(12, 3), 'regression')).to.contain('classes above 1');
    expect(drawingProblem(one, 'regression'), 'a regression drawing may have a single value').to.contain('classes above 1');
  });
});

describe('drawnTable', () => {
  it('keeps the points in drawing order and numbers the classes drawn, closing gaps', () => {
    const points = drawing(12, 2).map((p) => ({ ...p, y: p.y === 1 ? 5 : 0 }));
    const t = drawnTable(points, 'classification');
    expect(t.classNames).to.deep.equal(['class 0', 'class 5']);
    expect([...t.labels]).to.deep.equal(points.map((p) => (p.y === 5 ? 1 : 0)));
    expect([...t.features]).to.deep.equal([...Float32Array.from(points.flatMap((p) => [p.x1, p.x2]))]);
    expect(t.featureNames).to.deep.equal(['x1', 'x2']);
    expect(t.values).to.equal(undefined);
  });

  it('gives a regression table its values, one class y, and quantile bins that stratify the split', () => {
    const points = drawing(40, 0);
    const t = drawnTable(points, 'regression');
    expect(t.classNames).to.deep.equal(['y']);
    expect([...t.values!]).to.deep.equal([...Float32Array.from(points, (p) => p.y)]);
    expect(new Set(t.labels).size, '5 quantile bins').to.equal(5);
    // Higher bins hold higher values.
    const top = (b: number) => Math.max(...points.filter((_, i) => t.labels[i] === b).map((p) => p.y));
    const bottom = (b: number) => Math.min(...points.filter((_, i) => t.labels[i] === b).map((p) => p.y));
    for (let b = 1; b < 5; b++) expect(bottom(b)).to.be.at.least(top(b - 1));
    expect(new Set(drawnTable(points.slice(0, 10), 'regression').labels).size, '10 points: 2 bins').to.equal(2);
  });

  it('refuses a drawing it cannot train on with the same words', () => {
    const e = thrown(() => drawnTable(drawing(5, 2), 'classification'));
    expect(e).to.be.instanceOf(ConfigError);
    expect(e.message).to.equal('dataset.drawn: Draw at least 10 points to train on (5 so far).');
  });

  it('loads like any data set: split, standardized, no imbalance, plotted on the drawing plane', async () => {
    const drawn = drawing(60, 3);
    const cfg: ExperimentConfig = { ...DEFAULT_EXPERIMENT, dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'drawn', imbalance: 0.1, drawn } };
    const data = await loadExperimentData(cfg);
    expect(data.dataset.rows).to.equal(60);
    expect(data.classNames).to.deep.equal(['class 0', 'class 1', 'class 2']);
    expect(data.splits.train.length + data.splits.validation.length + data.splits.test.length).to.equal(60);
    expect(plotPoints(data).bounds).to.deep.equal({ xMin: -1.5, xMax: 1.5, yMin: -1.5, yMax: 1.5 });
    const features = await loadExperimentData({ ...cfg, features: ['x1', 'x2', 'x1x2'] });
    expect(features.dataset.inputSize).to.equal(3);
    expect(dataFingerprint(cfg)).to.not.equal(null);
  });
});

describe('the drawn= link encoding', () => {
  it('round-trips a full drawing exactly, in a third of the hash or less with classes', () => {
    for (const classes of [8, 0]) {
      const points = drawing(DRAWN_LIMITS.maxPoints, classes, 9);
      const text = encodeDrawn(points);
      expect(text).to.match(/^[cr][A-Za-z0-9_-]*$/);
      expect(text.charAt(0)).to.equal(classes ? 'c' : 'r');
      expect(text.length).to.equal(classes ? 1751 : 2168);
      expect(decodeDrawn(text)).to.deep.equal(points);
    }
    expect(decodeDrawn(encodeDrawn([]))).to.deep.equal([]);
    const corners = [
      { x1: -1.5, x2: -1.5, y: -1 },
      { x1: 1.5, x2: 1.5, y: 1 },
      { x1: 0, x2: 0.01, y: 0.5 },
    ];
    expect(decodeDrawn(encodeDrawn(corners))).to.deep.equal(corners);
  });

  it('snaps off-grid points (a script may give any numbers) to the 0.01 grid', () => {
    expect(decodeDrawn(encodeDrawn([{ x1: 0.123456, x2: -0.987, y: 2 }]))).to.deep.equal([{ x1: 0.12, x2: -0.99, y: 2 }]);
  });

  it('refuses a damaged or hand-made string with a ConfigError, never a crash', () => {
    const good = encodeDrawn(drawing(20, 2));
    const bad = [
      '',
      'x',
      'AAAA',
      `${good}A`,
      good.slice(0, -1),
      `${good.slice(0, 5)}!${good.slice(6)}`,
      `c${'A'.repeat(2000)}`,
      'c____', // indices past 300
      'r____A', // a value index past 200
      'c%20',
      'c\u00e9',
    ];
    for (const text of bad) {
      const e = thrown(() => decodeDrawn(text));
      expect(e, JSON.stringify(text)).to.be.instanceOf(ConfigError);
      expect(e.message).to.match(/^drawn: /);
    }
  });
});
