import { expect } from '@esm-bundle/chai';
import { contrast } from '../../../components/metrics/cell-colors.ts';
import {
  axisXs,
  brushedRows,
  isLogParam,
  lineAlpha,
  metricAxis,
  metricColor,
  nearestAxis,
  NO_SCORE,
  normalBrush,
  numericTicks,
  oklchToRgb,
  parallelAxes,
  stepBound,
} from '../../../components/sweep/parallel-geometry.ts';
import type { SweepConfig } from '../../../src/config/sweep.ts';
import type { SweepResult, SweepRow } from '../../../src/train/sweep.ts';

function row(index: number, values: SweepRow['values'], accuracy: number, loss = 1 - accuracy): SweepRow {
  return { index, values, hash: '', validationLoss: loss, validationAccuracy: accuracy, macroF1: accuracy, epochs: 10, status: 'done', divergedAt: null };
}

function result(rows: SweepRow[], varied: SweepResult['varied'], metric: SweepResult['metric'] = 'accuracy'): SweepResult {
  return { varied, metric, rows, best: 0, test: null, curves: [], cancelled: false, backend: { kind: 'cpu', label: 'CPU', fallbackReason: null } };
}

// lr 1e-4, 1e-2, 1 × optimizer adam, sgd × dropout 0, 0.25, 0.5: 18 rows.
const GRID: SweepRow[] = [];
for (const lr of [1e-4, 1e-2, 1])
  for (const optimizer of ['adam', 'sgd'])
    for (const dropout of [0, 0.25, 0.5]) GRID.push(row(GRID.length, { lr, optimizer, dropout, seed: 1 }, 0.5 + GRID.length / 40));
const GRID_RESULT = result(GRID, ['lr', 'dropout', 'optimizer', 'seed']);

describe('parallel coordinates geometry', () => {
  it('one axis per varied hyperparameter in the usual order, seed left out, the metric last', () => {
    const axes = parallelAxes(GRID_RESULT);
    expect(axes.map((a) => a.key)).to.deep.equal(['lr', 'dropout', 'optimizer', 'metric']);
    expect(axes.map((a) => a.kind)).to.deep.equal(['log', 'linear', 'categorical', 'linear']);
    expect(axes[0]!.label).to.equal('Learning rate');
    expect(axes.at(-1)!.label).to.equal('Validation accuracy');
  });

  it('log scale: 1e-4, 1e-2, 1 evenly spaced; linear: 0, 0.25, 0.5 evenly spaced', () => {
    const [lr, dropout] = parallelAxes(GRID_RESULT);
    expect(GRID.map((r, i) => [r.values.lr, lr!.at[i]]).filter(([v]) => v === 1e-2)[0]![1]).to.be.closeTo(0.5, 1e-12);
    expect(lr!.at[0]).to.equal(0);
    expect(lr!.at.at(-1)).to.equal(1);
    expect(lr!.ticks.map((t) => t.label)).to.deep.equal(['0.0001', '0.01', '1']);
    expect(dropout!.at.slice(0, 3)).to.deep.equal([0, 0.5, 1]);
    expect(lr!.valueAt(0.5)).to.equal('0.01');
  });

  it('categories evenly spaced in the sweep’s order; one category sits in the middle', () => {
    const sweep = { optimizer: ['sgd', 'adam'] } as SweepConfig;
    const opt = parallelAxes(GRID_RESULT, sweep)[2]!;
    expect(opt.ticks).to.deep.equal([
      { t: 0, label: 'sgd' },
      { t: 1, label: 'adam' },
    ]);
    expect(opt.at[0]).to.equal(1); // adam
    expect(opt.valueAt(0.2)).to.equal('sgd');
    const one = parallelAxes(result([row(0, { optimizer: 'adam' }, 0.5)], ['optimizer']))[0]!;
    expect(one.at).to.deep.equal([0.5]);
  });

  it('L2 is log when the sweep’s range starts above 0 and linear from 0; batch sizes log when they span ×8', () => {
    const range = { min: 1e-4, max: 1e-3, steps: 2 };
    expect(isLogParam('l2', [1e-4, 1e-3], { l2: range } as SweepConfig)).to.equal(true);
    expect(isLogParam('l2', [0.001, 0.002], { l2: { ...range, min: 0 } } as SweepConfig)).to.equal(false);
    expect(isLogParam('batch', [8, 64])).to.equal(true);
    expect(isLogParam('batch', [16, 32])).to.equal(false);
    expect(isLogParam('epochs', [1, 1000])).to.equal(false);
    // The sweep's range sets the ends: random draws fall inside it.
    const draws = result([row(0, { l2: 0.01 }, 0.5), row(1, { l2: 0.1 }, 0.6)], ['l2']);
    const l2 = parallelAxes(draws, { l2: { min: 0.001, max: 1, steps: 1 } } as SweepConfig)[0]!;
    expect(l2.at[0]).to.be.closeTo(1 / 3, 1e-12);
    expect(l2.at[1]).to.be.closeTo(2 / 3, 1e-12);
  });

  it('numeric ticks: the ends and round values between (none crowding an end), log at powers of ten', () => {
    expect(numericTicks('linear', 0, 1, String).map((t) => t.label)).to.deep.equal(['0', '0.25', '0.5', '0.75', '1']);
    expect(numericTicks('log', 3e-5, 2, String).map((t) => t.label)).to.deep.equal(['0.00003', '0.0001', '0.001', '0.01', '0.1', '2']);
    expect(numericTicks('linear', 3, 3, String)).to.deep.equal([{ t: 0.5, label: '3' }]);
  });

  it('the metric axis: rows without a score below it; loss goes log when it spans ×10', () => {
    const rows = [row(0, { lr: 1 }, 0.9, 0.05), row(1, { lr: 2 }, 0.5, 5), row(2, { lr: 3 }, NaN, NaN)];
    const acc = metricAxis(result(rows, ['lr']));
    expect(acc.at).to.deep.equal([1, 0, NO_SCORE]);
    const loss = metricAxis(result(rows, ['lr'], 'loss'));
    expect(loss.kind).to.equal('log');
    expect(loss.at.slice(0, 2)).to.deep.equal([0, 1]);
    expect(metricAxis(result(rows.slice(0, 1), ['lr'], 'loss')).kind).to.equal('linear');
  });

  it('brushes: a row stays when it lies in every brush, bounds included; no brush keeps all (null)', () => {
    const axes = parallelAxes(GRID_RESULT);
    expect(brushedRows(axes, {})).to.equal(null);
    const lrTop = brushedRows(axes, { lr: { lo: 0.5, hi: 1 } })!;
    expect(lrTop).to.have.length(12);
    expect(lrTop.every((i) => (GRID[i]!.values.lr as number) >= 1e-2)).to.equal(true);
    const both = brushedRows(axes, { lr: { lo: 0.5, hi: 1 }, optimizer: { lo: 0.9, hi: 1 } })!;
    expect(both.map((i) => GRID[i]!.values.optimizer)).to.deep.equal(Array(6).fill('sgd'));
    expect(brushedRows(axes, { dropout: { lo: 0.2, hi: 0.3 } })).to.deep.equal([]);
    // A metric brush leaves out rows with no score.
    const rows = [row(0, { lr: 1 }, 0.9), row(1, { lr: 2 }, NaN)];
    expect(brushedRows(parallelAxes(result(rows, ['lr'])), { metric: { lo: 0, hi: 0.99 } })).to.deep.equal([0]);
  });

  it('a brush over the whole axis is no brush; an inverted one is put right', () => {
    expect(normalBrush({ lo: 0, hi: 1 })).to.equal(null);
    expect(normalBrush({ lo: -0.3, hi: 1.2 })).to.equal(null);
    expect(normalBrush({ lo: 0.7, hi: 0.2 })).to.deep.equal({ lo: 0.2, hi: 0.7 });
  });

  it('keyboard steps move one bound through the values, never past the other, back to no brush at the ends', () => {
    const dropout = parallelAxes(GRID_RESULT)[1]!;
    expect(dropout.stops).to.deep.equal([0, 0.5, 1]);
    let b = stepBound(dropout, undefined, 'hi', -1);
    expect(b).to.deep.equal({ lo: 0, hi: 0.5 });
    b = stepBound(dropout, b!, 'lo', 5);
    expect(b).to.deep.equal({ lo: 0.5, hi: 0.5 });
    expect(stepBound(dropout, b!, 'hi', -1)).to.deep.equal({ lo: 0.5, hi: 0.5 });
    b = stepBound(dropout, b!, 'lo', -1);
    expect(stepBound(dropout, b!, 'hi', 1)).to.equal(null);
    // From a bound set by a drag, between values: the next value in that direction.
    expect(stepBound(dropout, { lo: 0.3, hi: 0.8 }, 'lo', -1)).to.deep.equal({ lo: 0, hi: 0.8 });
    // Many distinct values (random search): 5 % steps.
    const many = result(
      Array.from({ length: 40 }, (_, i) => row(i, { dropout: i / 39 }, 0.5)),
      ['dropout'],
    );
    expect(parallelAxes(many)[0]!.stops).to.have.length(21);
  });

  it('pixel layout: axes spread over the width with room for the last axis’s labels; a pointer picks the nearest axis', () => {
    const xs = axisXs(5, 360);
    expect(xs[0]).to.equal(14);
    expect(xs.at(-1)).to.equal(360 - 46);
    expect(nearestAxis(xs, 16)).to.equal(0);
    expect(nearestAxis(xs, xs[2]! + 10)).to.equal(2);
    expect(nearestAxis(xs, 359)).to.equal(4);
    expect(nearestAxis([100], 300)).to.equal(0);
  });

  it('line colours: 3:1 or better on the light and dark backgrounds at every goodness; alpha falls with the line count', () => {
    for (let g = 0; g <= 1; g += 0.05) {
      const rgb = metricColor(g).match(/\d+/g)!.map(Number) as [number, number, number];
      expect(contrast(rgb, [255, 255, 255]), `g ${g} on light`).to.be.at.least(3);
      expect(contrast(rgb, [0x15, 0x18, 0x1c]), `g ${g} on dark`).to.be.at.least(3);
    }
    expect(metricColor(0)).to.not.equal(metricColor(1));
    expect(oklchToRgb(1, 0, 0)).to.deep.equal([255, 255, 255]);
    expect(lineAlpha(4)).to.equal(0.9);
    expect(lineAlpha(256)).to.be.within(0.2, 0.4);
  });
});
