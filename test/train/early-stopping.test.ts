import { expect } from '@esm-bundle/chai';
import { EarlyStopping, type EarlyStoppingDecision, type EarlyStoppingOptions } from '../../src/train/early-stopping.ts';
import type { EpochRecord } from '../../src/train/trainer.ts';

function record(epoch: number, validationLoss: number | null, validationAccuracy: number | null = null): EpochRecord {
  return { epoch, step: epoch * 10, trainLoss: 1, trainAccuracy: 0.5, validationLoss, validationAccuracy };
}

/** Feeds `values` as epochs 1, 2, ... until a stop; returns every decision made. */
function run(options: EarlyStoppingOptions, values: number[]): EarlyStoppingDecision[] {
  const es = new EarlyStopping(options);
  const out: EarlyStoppingDecision[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const d = es.update(options.monitor === 'validation_loss' ? record(i + 1, v) : record(i + 1, 1, v));
    out.push(d);
    if (d.stop) break;
  }
  return out;
}

describe('EarlyStopping', () => {
  it('stops after patience epochs without a lower loss and names the best epoch', () => {
    const d = run({ monitor: 'validation_loss', patience: 2 }, [1.0, 0.8, 0.81, 0.79, 0.85, 0.9, 0.1]);
    expect(d.map((x) => x.improved)).to.deep.equal([true, true, false, true, false, false]);
    expect(d.map((x) => x.stop)).to.deep.equal([false, false, false, false, false, true]);
    expect(d.at(-1)!.bestEpoch).to.equal(4);
  });

  it('only counts improvements larger than minDelta', () => {
    const d = run({ monitor: 'validation_loss', patience: 2, minDelta: 0.05 }, [1.0, 0.8, 0.81, 0.79, 0.5]);
    expect(d.map((x) => x.improved)).to.deep.equal([true, true, false, false]);
    expect(d.at(-1)).to.deep.equal({ improved: false, stop: true, bestEpoch: 2 });
  });

  it('maximizes accuracy', () => {
    const d = run({ monitor: 'validation_accuracy', patience: 3, minDelta: 0.02 }, [0.5, 0.6, 0.6, 0.7, 0.69, 0.7, 0.71, 0.99]);
    expect(d.map((x) => x.improved)).to.deep.equal([true, true, false, true, false, false, false]);
    expect(d.at(-1)).to.deep.equal({ improved: false, stop: true, bestEpoch: 4 });
  });

  it('treats an equal value as no improvement', () => {
    const d = run({ monitor: 'validation_accuracy', patience: 1 }, [0.5, 0.5]);
    expect(d.at(-1)).to.deep.equal({ improved: false, stop: true, bestEpoch: 1 });
  });

  it('never improves on NaN', () => {
    const d = run({ monitor: 'validation_loss', patience: 2 }, [0.5, NaN, NaN]);
    expect(d.map((x) => x.improved)).to.deep.equal([true, false, false]);
    expect(d.at(-1)).to.deep.equal({ improved: false, stop: true, bestEpoch: 1 });
    const first = run({ monitor: 'validation_loss', patience: 0 }, [NaN, NaN]);
    expect(first[0]).to.deep.equal({ improved: false, stop: false, bestEpoch: 0 });
    expect(first[1]!.stop).to.equal(true);
  });

  it('with patience 0 stops at the first epoch without improvement', () => {
    const d = run({ monitor: 'validation_loss', patience: 0 }, [1, 0.9, 0.95]);
    expect(d.map((x) => x.stop)).to.deep.equal([false, false, true]);
  });

  it('tracks best and wait, and resets', () => {
    const es = new EarlyStopping({ monitor: 'validation_loss', patience: 5 });
    es.update(record(1, 0.4));
    es.update(record(2, 0.6));
    expect(es.best).to.equal(0.4);
    expect(es.wait).to.equal(1);
    es.reset();
    expect(es.best).to.equal(Infinity);
    expect(es.update(record(1, 0.9)).improved).to.equal(true);
  });

  it('needs the monitored validation metric', () => {
    const es = new EarlyStopping({ monitor: 'validation_accuracy', patience: 1 });
    expect(() => es.update(record(1, 0.5, null))).to.throw(/validation split/);
  });

  it('validates its options', () => {
    expect(() => new EarlyStopping({ monitor: 'train_loss' as 'validation_loss', patience: 1 })).to.throw(/monitor/);
    expect(() => new EarlyStopping({ monitor: 'validation_loss', patience: -1 })).to.throw(/patience/);
    expect(() => new EarlyStopping({ monitor: 'validation_loss', patience: 1.5 })).to.throw(/patience/);
    expect(() => new EarlyStopping({ monitor: 'validation_loss', patience: 1, minDelta: -0.1 })).to.throw(/minDelta/);
    expect(() => new EarlyStopping({ monitor: 'validation_loss', patience: 1, minDelta: NaN })).to.throw(/minDelta/);
    expect(new EarlyStopping({ monitor: 'validation_loss', patience: 3 }).options.minDelta).to.equal(0);
  });
});
