import { expect } from '@esm-bundle/chai';
import { Chart } from 'chart.js';
import '../../../components/sweep/sp-sweep.ts';
import type { SpSweep } from '../../../components/sweep/sp-sweep.ts';
import { heatmapOf } from '../../../components/sweep/sp-sweep-heatmap.ts';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../../src/config/experiment.ts';
import type { SweepConfig } from '../../../src/config/sweep.ts';
import type { SweepResult } from '../../../src/train/sweep.ts';
import { find, findAll, findTags, PageSweepRunner, settle, until } from '../../helpers/sweep.ts';

// A small Iris net on the CPU backend: a sweep of a few models trains in seconds.
const IRIS: ExperimentConfig = { ...DEFAULT_EXPERIMENT, hidden: [{ units: 8, activation: 'relu' }], batchSize: 16, epochs: 6, seed: 3, backend: 'cpu' };
const SGD: ExperimentConfig = { ...IRIS, optimizer: { ...IRIS.optimizer, kind: 'sgd' } };
// Five log-spaced SGD rates from 0.01 to 1e6: the largest blows the weights up.
const DIVERGING: SweepConfig = { mode: 'grid', budget: 16, seed: 1, metric: 'accuracy', lr: { min: 0.01, max: 1e6, steps: 5 }, replicates: 1 };

async function runSweepIn(config: ExperimentConfig, sweep: SweepConfig): Promise<{ el: SpSweep; result: SweepResult }> {
  const el = document.createElement('sp-sweep');
  Object.assign(el, { config, sweep, runner: new PageSweepRunner() });
  let result: SweepResult | null = null;
  el.addEventListener('sp-sweep-result', (e) => (result = (e as CustomEvent<SweepResult>).detail));
  document.body.append(el);
  await settle(el);
  find(el, 'sweep-start').click();
  await until(() => result !== null, 'the sweep to finish');
  await settle(el);
  return { el, result: result! };
}

const text = (el: Element) => el.textContent!.replace(/\s+/g, ' ').trim();
const rowTexts = (el: SpSweep) => findAll(el, 'sweep-row').map((r) => [...r.querySelectorAll('td')].map(text));
const chartOf = (host: Element) => Chart.getChart(host.shadowRoot!.querySelector('canvas')!)!;

describe('<sp-sweep> with the real runner', () => {
  afterEach(() => document.body.replaceChildren());

  it('fills the table, marks the diverging rate, picks the best on validation and tests it once; columns sort', async () => {
    const { el, result } = await runSweepIn(SGD, DIVERGING);
    expect(text(find(el, 'sweep-progress'))).to.equal('5/5');
    const diverged = result.rows.filter((r) => r.status === 'diverged');
    expect(diverged.map((r) => r.values.lr)).to.include(1e6);
    const best = result.rows[result.best!]!;
    expect(text(find(el, 'sweep-announcement'))).to.equal(
      `Sweep finished: 5 models, ${diverged.length} diverged; best validation accuracy ${(best.validationAccuracy * 100).toFixed(1)}%.`,
    );
    const rows = rowTexts(el);
    expect(rows).to.have.length(5);
    // Columns: #, learning rate, val loss, val accuracy, macro F1, epochs, status, link.
    expect(rows.map((r) => r[1])).to.deep.equal(['0.01', '1', '100', '10000', '1000000']);
    for (const row of diverged) {
      const cells = rows[row.index]!;
      expect(row.divergedAt).to.be.a('number');
      expect(cells[6]).to.equal(`diverged at step ${row.divergedAt}`);
      expect(cells.slice(2, 5)).to.deep.equal(['—', '—', '—']);
    }
    expect(rows[0]![6]).to.equal('done');
    expect(rows[0]![5]).to.equal('6');

    // The chosen configuration: a link to it, its validation score the best, its test accuracy labelled.
    const finite = result.rows.filter((r) => r.status !== 'diverged').map((r) => r.validationAccuracy);
    expect(best.validationAccuracy).to.equal(Math.max(...finite));
    const link = find<HTMLAnchorElement>(el, 'sweep-best');
    expect(link.getAttribute('href')).to.equal(`index.html#${best.hash}`);
    expect(link.href).to.equal(new URL(`index.html#${best.hash}`, location.href).href);
    expect(rows[best.index]![0]).to.equal(`${best.index + 1} (chosen)`);
    const testAccuracy = find(el, 'sweep-test-accuracy');
    expect(text(testAccuracy)).to.equal(`${(result.test!.accuracy * 100).toFixed(1)}%`);
    const label = text(testAccuracy.parentElement!);
    expect(label).to.match(/evaluated once on the test split \(\d+ rows\), for the chosen configuration only; selection used the validation split/);
    expect(findAll(el, 'sweep-cancelled')).to.have.length(0);
    // Every row opens its configuration in the playground.
    const links = findAll(el, 'sweep-row').map((r) => r.querySelector('a')!.getAttribute('href'));
    expect(links).to.deep.equal(result.rows.map((r) => `index.html#${r.hash}`));

    // Sorting: accuracy best first (diverged last), again reverses; the header says so.
    const header = (key: string) => findAll(el, 'sweep-sort').find((b) => b.dataset['key'] === key)!;
    header('validationAccuracy').click();
    await settle(el);
    expect(header('validationAccuracy').closest('th')!.getAttribute('aria-sort')).to.equal('descending');
    expect(header('index').closest('th')!.getAttribute('aria-sort')).to.equal('none');
    const order = () => findAll(el, 'sweep-row').map((r) => Number(r.dataset['index']));
    const byAcc = [...result.rows].sort(
      (a, b) =>
        (Number.isNaN(a.validationAccuracy) ? 1 : 0) - (Number.isNaN(b.validationAccuracy) ? 1 : 0) ||
        b.validationAccuracy - a.validationAccuracy ||
        a.index - b.index,
    );
    expect(order()).to.deep.equal(byAcc.map((r) => r.index));
    header('validationAccuracy').click();
    await settle(el);
    expect(header('validationAccuracy').closest('th')!.getAttribute('aria-sort')).to.equal('ascending');
    // Ascending: worst score first, and still the diverged models (no score) last.
    expect(order().slice(-diverged.length)).to.deep.equal(diverged.map((r) => r.index));
    header('lr').click();
    await settle(el);
    expect(order()).to.deep.equal([0, 1, 2, 3, 4]);
    header('lr').click();
    await settle(el);
    expect(order()).to.deep.equal([4, 3, 2, 1, 0]);

    // The chart: log axis for the learning rate, the diverged model on the top edge, in words too.
    const [chartHost] = findTags<HTMLElement>(el, 'sp-sweep-chart');
    const chart = chartOf(chartHost!);
    expect((chart.options.scales!['x'] as { type?: string }).type).to.equal('logarithmic');
    const divergedSet = chart.data.datasets.find((d) => d.label === 'Diverged (no score)')!;
    expect(divergedSet.data.map((p) => (p as { x: number }).x)).to.deep.equal(diverged.map((r) => r.values.lr));
    expect(divergedSet.data.every((p) => (p as { y: number }).y === chart.options.scales!['y']!.max)).to.equal(true);
    const alt = chartHost!.shadowRoot!.querySelector('canvas')!.getAttribute('aria-label')!;
    expect(alt).to.match(/^validation accuracy against learning rate \(log scale\), 5 models; best \d+\.\d% at /);
    expect(alt).to.contain('1000000: diverged');
    expect(alt).to.contain(`; ${diverged.length} diverged (drawn on the top edge)`);
    // The best few's curves, with their text alternative; no heatmap for one hyperparameter.
    const [curves] = findTags<HTMLElement>(el, 'sp-sweep-curves');
    expect(chartOf(curves!).data.datasets.map((d) => d.label)).to.deep.equal(
      result.curves.flatMap((c) => [`#${c.index + 1} train`, `#${c.index + 1} validation`]),
    );
    expect(curves!.shadowRoot!.querySelector('canvas')!.getAttribute('aria-label')).to.match(
      new RegExp(
        `^Train \\(solid\\) and validation \\(dashed\\) loss per epoch of the best ${result.curves.length}, best first: #${best.index + 1} \\(lr ${best.values.lr}\\): after epoch 6`,
      ),
    );
    expect(findAll(el, 'sweep-heatmap')).to.have.length(0);
  });

  it('Cancel mid-run shows what it trained, marked cancelled, without a test score', async () => {
    const el = document.createElement('sp-sweep');
    const runner = new PageSweepRunner();
    Object.assign(el, { config: { ...IRIS, epochs: 5000 }, sweep: { ...DIVERGING, lr: { min: 1e-3, max: 1e-1, steps: 3 } }, runner });
    let result: SweepResult | null = null;
    el.addEventListener('sp-sweep-result', (e) => (result = (e as CustomEvent<SweepResult>).detail));
    document.body.append(el);
    await settle(el);
    find(el, 'sweep-start').click();
    await settle(el);
    await until(() => find<HTMLProgressElement>(el, 'sweep-epoch-bar').value > 0, 'the first epochs');
    expect(text(find(el, 'sweep-progress'))).to.equal('0/3');
    find(el, 'sweep-cancel').click();
    await until(() => result !== null, 'the cancelled sweep to resolve');
    await settle(el);
    expect(result!.cancelled).to.equal(true);
    expect(text(find(el, 'sweep-announcement'))).to.equal('Sweep cancelled: 0 of 3 models finished; no test score.');
    expect(text(find(el, 'sweep-cancelled'))).to.match(/^Cancelled: .* No test score/);
    expect(findAll(el, 'sweep-test-accuracy')).to.have.length(0);
    const rows = rowTexts(el);
    expect(rows).to.have.length(3);
    expect(rows.map((r) => r[6])).to.deep.equal(['cancelled', 'cancelled', 'cancelled']);
    expect(rows.every((r) => Number(r[5]) > 0 && Number(r[5]) < 5000)).to.equal(true);
    expect(text(find(el, 'sweep-best').parentElement!)).to.match(/^Best so far \(partly trained\)/);
    expect(find(el, 'sweep-start').matches(':disabled')).to.equal(false);
    expect(find(el, 'sweep-cancel').matches(':disabled')).to.equal(true);
  });

  it('draws a heatmap only when exactly two hyperparameters vary (seed replicates averaged), its caption naming the best cell', async () => {
    const two: SweepConfig = { ...DIVERGING, lr: { min: 0.01, max: 0.3, steps: 2 }, batch: [8, 32], replicates: 2 };
    const { el, result } = await runSweepIn({ ...SGD, epochs: 3 }, two);
    expect(findAll(el, 'sweep-row')).to.have.length(8);
    expect(findTags(el, 'sp-sweep-chart')).to.have.length(2);
    const heat = find<HTMLTableElement>(el, 'sweep-heatmap');
    const cells = [...heat.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map(text));
    const mean = (lr: number, batch: number) => {
      const acc = result.rows.filter((r) => r.values.lr === lr && r.values.batch === batch).map((r) => r.validationAccuracy);
      return acc.reduce((s, v) => s + v, 0) / acc.length;
    };
    const want = [8, 32].map((b) => [0.01, 0.3].map((lr) => mean(lr, b)));
    expect(cells.map((line) => line.map((c) => c.replace(/^★ best: /, '')))).to.deep.equal(want.map((line) => line.map((v) => `${(v * 100).toFixed(1)}%`)));
    const flat = want.flat();
    const at = flat.indexOf(Math.max(...flat));
    const [batch, lr] = [[8, 32][Math.floor(at / 2)], [0.01, 0.3][at % 2]];
    expect(text(find(el, 'sweep-heatmap-best'))).to.equal(
      `best cell: learning rate ${lr}, batch size ${batch}, mean validation accuracy ${(flat[at]! * 100).toFixed(1)}%`,
    );
    expect(heat.querySelector('caption')!.contains(find(el, 'sweep-heatmap-best'))).to.equal(true);
    document.body.replaceChildren();

    const three = await runSweepIn({ ...SGD, epochs: 3 }, { ...two, epochs: { min: 1, max: 2, steps: 2 }, replicates: 1 });
    expect(findAll(three.el, 'sweep-row')).to.have.length(8);
    expect(findTags(three.el, 'sp-sweep-chart')).to.have.length(3);
    expect(findAll(three.el, 'sweep-heatmap')).to.have.length(0);
  });

  it('random search over two hyperparameters groups its draws into bins on the heatmap', async () => {
    const random: SweepConfig = {
      mode: 'random',
      budget: 24,
      seed: 5,
      metric: 'loss',
      lr: { min: 1e-3, max: 0.3, steps: 1 },
      l2: { min: 1e-5, max: 1e-2, steps: 1 },
      replicates: 1,
    };
    const { el, result } = await runSweepIn({ ...IRIS, epochs: 2 }, random);
    expect(findAll(el, 'sweep-row')).to.have.length(24);
    const map = heatmapOf(result)!;
    // 24 distinct draws per axis are more than a table can show: 8 log-spaced bins each, every model in one.
    expect([map.x.labels.length, map.y.labels.length]).to.deep.equal([8, 8]);
    expect(map.cells.flat().reduce((n, c) => n + c.models, 0)).to.equal(24);
    for (const row of result.rows) {
      const [lo, hi] = map.x.labels[map.x.of(row)]!.split('–').map(Number);
      // Bin edges are labelled to 3 significant digits.
      expect(row.values.lr as number).to.be.within(lo! * 0.995, hi! * 1.005);
    }
    const heat = find<HTMLTableElement>(el, 'sweep-heatmap');
    expect(heat.querySelectorAll('thead th[scope="col"]')).to.have.length(9);
    // Loss: the best cell is the lowest mean.
    const means = map.cells
      .flat()
      .map((c) => c.mean)
      .filter(Number.isFinite);
    const [j, i] = map.best!;
    expect(map.cells[j]![i]!.mean).to.equal(Math.min(...means));
    expect(text(find(el, 'sweep-heatmap-best'))).to.equal(
      `best cell: learning rate ${map.x.labels[i]}, L2 strength ${map.y.labels[j]}, mean validation loss ${map.cells[j]![i]!.mean.toFixed(4)}`,
    );
  });
});
