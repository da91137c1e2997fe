import { expect } from '@esm-bundle/chai';
import { runAnnouncement, type RunMoment } from '../../../components/shared/announcements.ts';

const moment = (patch: Partial<RunMoment>): RunMoment => ({
  status: 'ready',
  done: 60,
  target: 60,
  unit: 'epoch',
  loss: { name: 'train loss', value: 0.1234 },
  notice: null,
  error: null,
  stoppedEarly: false,
  ...patch,
});

describe('runAnnouncement: what the live region says', () => {
  it('says nothing while a run goes on, nor for changes that are not the end of a run', () => {
    expect(runAnnouncement('training', moment({ status: 'training', done: 12 }))).to.equal(null);
    expect(runAnnouncement('ready', moment({}))).to.equal(null);
    expect(runAnnouncement('building', moment({}))).to.equal(null);
    expect(runAnnouncement('training', moment({ status: 'building' }))).to.equal(null);
  });

  it('says "finished" with the epoch and the loss when the run reaches its end', () => {
    expect(runAnnouncement('training', moment({}))).to.equal('Training finished: epoch 60 of 60, train loss 0.123.');
    expect(runAnnouncement('training', moment({ unit: 'iteration', done: 2020, target: 2020, loss: { name: 'G loss', value: 0.71 } }))).to.equal(
      'Training finished: iteration 2020 of 2020, G loss 0.710.',
    );
  });

  it('says "diverged", "finished early", "paused" or the error, as the run stopped', () => {
    expect(runAnnouncement('training', moment({ done: 7, notice: 'Training diverged at step 12: the loss became NaN.' }))).to.equal(
      'Training diverged at step 12: the loss became NaN.',
    );
    expect(runAnnouncement('training', moment({ done: 31, stoppedEarly: true, notice: 'Early stopping ended training after epoch 31.' }))).to.equal(
      'Training finished early at epoch 31, train loss 0.123. Early stopping ended training after epoch 31.',
    );
    expect(runAnnouncement('training', moment({ done: 20 }))).to.equal('Training paused at epoch 20, train loss 0.123.');
    expect(runAnnouncement('training', moment({ status: 'error', error: 'The GPU device was lost.' }))).to.equal('Training stopped: The GPU device was lost.');
  });

  it('leaves out a loss that is not a number', () => {
    expect(runAnnouncement('training', moment({ done: 3, loss: { name: 'train loss', value: NaN } }))).to.equal('Training paused at epoch 3.');
  });
});
