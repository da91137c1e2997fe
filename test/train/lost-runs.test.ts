import { expect } from '@esm-bundle/chai';
import '../../components/sweep/sp-sweep-results.ts';
import '../../components/runs/sp-multi-run.ts';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import type { SweepConfig } from '../../src/config/sweep.ts';
import { loadExperimentData, type LoadedData } from '../../src/data/load.ts';
import { setCpuPoolScript } from '../../src/cpu/cpu-pool.ts';
import { killSliceWorker, setMaxRetries } from '../../src/cpu/pool-slice.ts';
import { runHalving } from '../../src/train/halving.ts';
import { crossValidate, raceOptimizers, trainEnsemble, type MultiRunHooks } from '../../src/train/multi-run.ts';
import { rankRows, runSweep, type SweepRow } from '../../src/train/sweep.ts';
import { lostSentence } from '../../src/train/lost-runs.ts';
import { stack } from '../../src/train/stacking.ts';
import { testGpu } from '../helpers/gpu.ts';
import { find, findAll, settle } from '../helpers/sweep.ts';

// Every consumer of a batched CPU job when the pool loses a slice: the lost runs are named, the
// others' results are those of a fault-free run. The jobs run over 2 workers with a retry budget
// of 1, and the test kills the worker holding model 0 at every epoch past the first quarter:
// that slice (models 0, 2, 4, ...) is lost on its second death (its move lands on the other
// slice's worker, which is retried once and goes on).
const SCRIPT = new URL('../fixtures/pool-worker.ts', import.meta.url);

const BASE: ExperimentConfig = {
  ...DEFAULT_EXPERIMENT,
  dataset: { name: 'moons', size: 160, noise: 0.2, imbalance: 1, classes: 2 },
  hidden: [{ units: 12, activation: 'tanh' }],
  batchSize: 16,
  epochs: 30,
  seed: 3,
  backend: 'cpu',
};
const POOLED = { ...BASE, cpuWorkers: 2 };
const ALONE = { ...BASE, cpuWorkers: 1 };
const SWEEP: SweepConfig = { mode: 'grid', budget: 16, seed: 1, metric: 'accuracy', lr: { min: 0.003, max: 0.3, steps: 6 }, replicates: 1 };

/** Kills the worker of model 1 (slice 1, on a pool worker: slice 0 trains on the engine's thread) at each progress report past a quarter of the job. */
const killing = (): MultiRunHooks => ({ onProgress: (done, total) => void (done >= total / 4 && killSliceWorker(1)) });
const text = (el: Element) => el.textContent!.replace(/\s+/g, ' ').trim();
const REASON = /CPU worker \d+ stopped: killed by a test; 2 workers in a row died holding these models \(1 retry allowed\)/;

describe('runs the CPU pool lost, in every consumer', () => {
  let data: LoadedData;

  before(async () => {
    setCpuPoolScript(SCRIPT, 400);
    setMaxRetries(1);
    data = await loadExperimentData(BASE);
  });

  after(() => {
    setMaxRetries();
    setCpuPoolScript(null);
  });

  afterEach(() => document.body.replaceChildren());

  it('a sweep keeps every surviving row as the fault-free sweep scored it; the table marks the lost ones and the message names them', async () => {
    const reference = await runSweep(ALONE, SWEEP, data, testGpu);
    const r = await runSweep(POOLED, SWEEP, data, testGpu, { onProgress: (p) => void (p.epochs >= p.totalEpochs / 4 && killSliceWorker(1)) });
    expect(r.rows.map((row) => row.status)).to.deep.equal(['done', 'lost', 'done', 'lost', 'done', 'lost']);
    // Every score as the fault-free sweep's (the link differs only in its worker count).
    const scores = ({ hash, ...row }: SweepRow) => ({ ...row, hash: hash.replace(/cpuworkers=\d+/, '') });
    for (const i of [0, 2, 4]) expect(scores(r.rows[i]!), `row ${i + 1}`).to.deep.equal(scores(reference.rows[i]!));
    for (const i of [1, 3, 5]) expect(r.rows[i]!.lost).to.match(REASON);
    expect(r.lost).to.match(/^Configurations 2, 4, 6 were lost: CPU worker \d+ stopped: killed by a test; .*\. The other results are kept\.$/);
    // Ranked among the survivors only, and tested as the fault-free sweep tested that row.
    expect(r.best).to.equal(
      rankRows(
        reference.rows.filter((row) => row.index % 2 === 0),
        'accuracy',
      )[0],
    );
    if (r.best === reference.best) expect(r.test).to.deep.equal(reference.test);

    const el = document.createElement('sp-sweep-results');
    el.result = r;
    document.body.append(el);
    await settle(el);
    expect(text(find(el, 'sweep-lost'))).to.equal(r.lost);
    const rows = findAll(el, 'sweep-row');
    expect(rows, 'every row stays in the table').to.have.length(6);
    expect(rows.map((row) => text(row.querySelector('td.status')!))).to.deep.equal([
      'done',
      'lost: its CPU workers kept dying',
      'done',
      'lost: its CPU workers kept dying',
      'done',
      'lost: its CPU workers kept dying',
    ]);
    expect(rows[1]!.querySelector('td.status')!.getAttribute('title')).to.match(REASON);
  });

  it('successive halving never promotes a lost configuration nor counts it pruned', async () => {
    const halving: SweepConfig = { ...SWEEP, mode: 'halving', eta: 2, minEpochs: 5 };
    const r = await runHalving(POOLED, halving, data, testGpu, { onProgress: (p) => void (p.epochs >= 6 && killSliceWorker(1)) });
    // Which rung the slice is lost in depends on when its worker noticed the kills (mid-submit, or
    // at the next evaluation): a model of it that a cut left out before keeps its scores, pruned.
    const lost = r.rows.filter((row) => row.status === 'lost');
    expect(lost.length).to.be.above(0);
    for (const i of [1, 3, 5]) expect(r.rows[i]!.status === 'lost' || r.rows[i]!.pruned, `row ${i + 1} lost or pruned before`).to.equal(true);
    for (const row of lost) {
      expect(row.index % 2, 'only slice 1 is lost').to.equal(1);
      expect(row.pruned).to.equal(false);
      // Scored at each rung it reached, the last (where it was lost) without a score; never trained past it.
      expect(row.rungMetrics).to.have.length(row.rung + 1);
      expect(Number.isNaN(row.rungMetrics.at(-1)!)).to.equal(true);
      expect(row.epochs).to.be.at.most(r.rungs[row.rung]!.epochs);
    }
    expect(r.rows[r.best!]!.status).to.equal('done');
    expect(r.lost).to.equal(
      lostSentence(
        lost.map((row) => row.index + 1),
        ['Configuration', 'Configurations'],
        lost.map((row) => row.lost!),
      ),
    );
  });

  it('an ensemble leaves the lost members out, says so, and averages the others as a fault-free run does', async () => {
    const reference = await trainEnsemble(ALONE, testGpu, data, 4, 'seeds');
    const r = await trainEnsemble(POOLED, testGpu, data, 4, 'seeds', killing());
    expect(r.members.map((m) => m.member)).to.deep.equal([0, 2]);
    expect(r.members).to.deep.equal([0, 2].map((m) => ({ ...reference.members[m]!, member: m })));
    expect(r.outputs).to.deep.equal([reference.outputs[0], reference.outputs[2]]);
    expect(r.boundaries!.members).to.have.length(2);
    expect(r.lost).to.match(/^Members 2 \(seed 4\), 4 \(seed 6\) were lost: .*\. The other results are kept\.$/);
  });

  it('k-fold reports the folds that finished, the summary over them, and which were lost; the panel shows both', async () => {
    const reference = await crossValidate(ALONE, testGpu, data, 4, false);
    const r = await crossValidate(POOLED, testGpu, data, 4, false, killing());
    expect(r.folds).to.deep.equal([reference.folds[0], reference.folds[2]]);
    expect(r.summary.accuracy.mean).to.equal((reference.folds[0]!.accuracy + reference.folds[2]!.accuracy) / 2);
    expect(r.lost).to.match(/^Folds 2, 4 were lost: /);

    const el = document.createElement('sp-multi-run');
    el.crossValidation = r;
    el.ready = true;
    document.body.append(el);
    await settle(el);
    const cells = [...find(el, 'cv-table').querySelectorAll('tbody tr td:first-child')].map(text);
    expect(cells.slice(0, 2)).to.deep.equal(['1', '3']);
    expect(text(find(el, 'cv-table').querySelector('caption')!)).to.contain('(2 of 4 folds finished)');
    expect(text(find(el, 'cv-lost'))).to.equal(r.lost);
  });

  it('an optimizer race marks the lost optimizers and keeps the others whole', async () => {
    const kinds = ['sgd', 'momentum', 'adam', 'adamw'] as const;
    const reference = await raceOptimizers(ALONE, testGpu, data, [...kinds]);
    const race = await raceOptimizers(POOLED, testGpu, data, [...kinds], killing());
    expect(race.map((e) => Boolean(e.lost))).to.deep.equal([false, true, false, true]);
    for (const i of [0, 2]) expect(race[i]).to.deep.equal(reference[i]);
    expect(race[1]!.history.length).to.be.below(BASE.epochs);

    const el = document.createElement('sp-multi-run');
    el.race = race;
    document.body.append(el);
    await settle(el);
    expect(text(find(el, 'race-lost'))).to.match(/^Optimizers momentum, adamw were lost: .*Their curves end where they were lost; the others are whole\.$/);
  });

  it('stacking, which needs every fold model, stops with a message naming the models it lost', async () => {
    // One base learner: its k = 3 fold models and its full-data model are one batch of 4 (slice 1, on the pool worker: fold 2's and the one on all rows).
    const error = await stack(
      POOLED,
      testGpu,
      data,
      { learners: [{}], k: 3 },
      { onEpochs: (done, total) => void (done >= total / 8 && killSliceWorker(1)) },
    ).then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).to.match(
      /^Base learner 1 lost its fold 2 model, its model on all rows: CPU worker \d+ stopped: killed by a test; .*\. Stacking needs every fold's out-of-fold probabilities, so it stops here; start it again\.$/,
    );
  });
});
