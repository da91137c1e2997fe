import { expect } from '@esm-bundle/chai';
import { emulateMedia, resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import '../../../components/sweep/sp-sweep-results.ts';
import '../../../components/sweep/sp-sweep-parallel.ts';
import type { SpSweepResults } from '../../../components/sweep/sp-sweep-results.ts';
import { yOf } from '../../../components/sweep/parallel-draw.ts';
import { axisXs } from '../../../components/sweep/parallel-geometry.ts';
import type { SweepConfig } from '../../../src/config/sweep.ts';
import type { HalvingResult, HalvingRow } from '../../../src/train/halving.ts';
import type { SweepResult, SweepRow } from '../../../src/train/sweep.ts';
import { find, findAll, settle, until } from '../../helpers/sweep.ts';

// 16 learning rates × 4 batch sizes × 2 optimizers × 2 dropout rates: 256 configurations, the most a sweep holds.
const LRS = Array.from({ length: 16 }, (_, i) => Number((1e-4 * 10 ** ((4 * i) / 15)).toPrecision(4)));
const SWEEP = {
  mode: 'grid',
  budget: 256,
  seed: 1,
  metric: 'accuracy',
  replicates: 1,
  lr: { min: 1e-4, max: 1, steps: 16 },
  batch: [8, 16, 32, 64],
  optimizer: ['sgd', 'adam'],
  dropout: { min: 0, max: 0.5, steps: 2 },
} satisfies SweepConfig;

function grid(): SweepResult {
  const rows: SweepRow[] = [];
  for (const lr of LRS)
    for (const batch of SWEEP.batch)
      for (const optimizer of SWEEP.optimizer)
        for (const dropout of [0, 0.5]) {
          const index = rows.length;
          // A smooth score, best near lr 0.01, with a few diverged at the largest rates.
          const diverged = lr === 1 && batch === 8;
          const accuracy = diverged ? NaN : 0.95 - 0.1 * Math.abs(Math.log10(lr) + 2) - dropout / 10 - (optimizer === 'sgd' ? 0.05 : 0);
          rows.push({
            index,
            values: { lr, batch, optimizer, dropout },
            hash: `lr=${lr}`,
            validationLoss: diverged ? NaN : 1 - accuracy,
            validationAccuracy: accuracy,
            macroF1: accuracy,
            epochs: 20,
            status: diverged ? 'diverged' : 'done',
            divergedAt: diverged ? 3 : null,
          });
        }
  return {
    varied: ['lr', 'batch', 'dropout', 'optimizer'],
    metric: 'accuracy',
    rows,
    best: 0,
    test: null,
    curves: [],
    cancelled: false,
    backend: { kind: 'cpu', label: 'CPU', fallbackReason: null },
  };
}

async function mount(result: SweepResult, width: number, sweep: SweepConfig | null = SWEEP): Promise<SpSweepResults> {
  const column = document.createElement('div');
  column.style.width = `${width}px`;
  const el = document.createElement('sp-sweep-results');
  Object.assign(el, { result, sweep });
  column.append(el);
  document.body.append(column);
  await settle(el);
  const chart = find(el, 'sweep-parallel');
  await until(() => chart.dataset.lines !== undefined && chart.getBoundingClientRect().width > 0, 'the chart to draw');
  return el;
}

const rows = (el: Element) => findAll(el, 'sweep-row');
const note = (el: Element) => find(el, 'sweep-table-filter').textContent!.replace(/\s+/g, ' ').trim();

/** Drags along axis `k` of the chart from position t0 to t1 (0 bottom, 1 top) with the real mouse. */
async function drag(el: SpSweepResults, k: number, t0: number, t1: number): Promise<void> {
  const chart = find(el, 'sweep-parallel');
  chart.scrollIntoView({ block: 'center' });
  const box = chart.getBoundingClientRect();
  const x = box.left + axisXs(5, box.width)[k]!;
  await sendMouse({ type: 'move', position: [Math.round(x), Math.round(box.top + yOf(t0))] });
  await sendMouse({ type: 'down' });
  for (let s = 1; s <= 4; s++) await sendMouse({ type: 'move', position: [Math.round(x), Math.round(box.top + yOf(t0 + ((t1 - t0) * s) / 4))] });
  await sendMouse({ type: 'up' });
  await settle(el);
}

describe('<sp-sweep-parallel>', () => {
  afterEach(async () => {
    await resetMouse();
    document.body.replaceChildren();
  });

  it('draws 256 configurations in a 680-px column: an axis per hyperparameter and the metric, a summary for screen readers, no overflow', async () => {
    const el = await mount(grid(), 680);
    const chart = find(el, 'sweep-parallel');
    expect(chart.dataset.lines).to.equal('256');
    expect(chart.dataset.highlighted).to.equal('256');
    const canvas = chart.querySelector('canvas')!;
    expect(canvas.getAttribute('role')).to.equal('img');
    expect(canvas.getAttribute('aria-label')).to.match(
      /^Parallel coordinates of 256 configurations, one line each across Learning rate \(log\), Batch size \(log\), Dropout rate \(linear\), Optimizer \(categories\), Validation accuracy \(linear\); coloured by validation accuracy/,
    );
    // Something is drawn: pixels that are not transparent.
    const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
    expect(painted).to.be.above(10000);
    // Redrawing 256 lines is cheap (logged, not asserted: the machine is shared).
    const parallel = chart.getRootNode() as ShadowRoot;
    const host = parallel.host as HTMLElement & { requestUpdate(): void; updateComplete: Promise<boolean> };
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) {
      host.requestUpdate();
      await host.updateComplete;
    }
    console.log(`sweep-parallel: 256 lines redrawn in ${((performance.now() - t0) / 10).toFixed(1)} ms each`);
    expect(findAll(el, 'sweep-parallel-handle')).to.have.length(10);
    expect(rows(el)).to.have.length(256);
    expect(note(el)).to.equal('');
    for (const width of [680, 360]) {
      (el.parentElement as HTMLElement).style.width = `${width}px`;
      await until(() => Math.round(canvas.getBoundingClientRect().width) === width && host.scrollWidth <= width, `the chart to fit ${width} px`);
      expect(chart.scrollWidth, `${width} px`).to.be.at.most(width);
      expect(canvas.width / devicePixelRatio, `${width} px: the canvas redrawn at its width`).to.equal(width);
    }
  });

  it('brushing an axis with the pointer filters the table; a click on the axis clears it, and the clear button restores all', async () => {
    const el = await mount(grid(), 680);
    // The top half of the learning-rate axis (log: 0.01 to 1), from just above it: 8 of the 16 rates.
    await drag(el, 0, 1.05, 0.48);
    expect(rows(el)).to.have.length(128);
    expect(note(el)).to.equal('Showing 128 of 256 configurations: those inside the parallel-coordinates filter.');
    expect(rows(el).every((r) => Number(r.querySelector('td:nth-child(2)')!.textContent) >= 0.01)).to.equal(true);
    const chart = find(el, 'sweep-parallel');
    expect(chart.dataset.highlighted).to.equal('128');
    expect(chart.querySelector('canvas')!.getAttribute('aria-label')).to.match(/filtered to 128 of 256 by Learning rate 0\.0\d+ to 1/);
    // A second brush on the optimizer (top: adam) keeps rows in both.
    await drag(el, 3, 1.02, 0.8);
    expect(rows(el)).to.have.length(64);
    // A click (no drag) on the optimizer axis clears only its brush.
    await drag(el, 3, 0.5, 0.5);
    expect(rows(el)).to.have.length(128);
    const clear = find<HTMLButtonElement>(el, 'sweep-parallel-clear');
    expect(clear.disabled).to.equal(false);
    clear.click();
    await settle(el);
    expect(rows(el)).to.have.length(256);
    expect(note(el)).to.equal('');
    expect(clear.disabled).to.equal(true);
    expect(chart.dataset.highlighted).to.equal('256');
  });

  it('brushing by keyboard: each axis has two slider handles; arrows step through its values, Escape clears', async () => {
    const el = await mount(grid(), 680);
    const handles = findAll(el, 'sweep-parallel-handle');
    expect(handles.map((h) => `${h.dataset.axis}:${h.dataset.end}`)).to.deep.equal([
      'lr:hi',
      'lr:lo',
      'batch:hi',
      'batch:lo',
      'dropout:hi',
      'dropout:lo',
      'optimizer:hi',
      'optimizer:lo',
      'metric:hi',
      'metric:lo',
    ]);
    const batchLow = handles[3]!;
    expect(batchLow.getAttribute('role')).to.equal('slider');
    expect(batchLow.getAttribute('aria-label')).to.equal('Batch size: lower bound of the filter');
    expect(batchLow.getAttribute('aria-valuetext')).to.equal('8');
    batchLow.focus();
    await sendKeys({ press: 'ArrowUp' });
    await sendKeys({ press: 'ArrowUp' });
    await settle(el);
    // Batch 32 and 64 remain.
    expect(rows(el)).to.have.length(128);
    expect(find(el, 'sweep-parallel-handle').getRootNode()).to.equal(batchLow.getRootNode());
    expect(findAll(el, 'sweep-parallel-handle')[3]!.getAttribute('aria-valuetext')).to.equal('32');
    // The optimizer's upper handle down one: sgd only.
    findAll(el, 'sweep-parallel-handle')[6]!.focus();
    await sendKeys({ press: 'ArrowDown' });
    await settle(el);
    expect(rows(el)).to.have.length(64);
    expect(note(el)).to.match(/^Showing 64 of 256/);
    await sendKeys({ press: 'Escape' });
    await settle(el);
    expect(rows(el)).to.have.length(128);
    // Home on the batch's lower handle: back to the axis's end, so no brush at all.
    findAll(el, 'sweep-parallel-handle')[3]!.focus();
    await sendKeys({ press: 'Home' });
    await settle(el);
    expect(rows(el)).to.have.length(256);
    expect(find<HTMLButtonElement>(el, 'sweep-parallel-clear').disabled).to.equal(true);
  });

  it('redraws in the dark theme’s colours when the system theme changes', async () => {
    const el = await mount(grid(), 680);
    const canvas = find(el, 'sweep-parallel').querySelector('canvas')!;
    // The axes are drawn in the theme's foreground: dark text on light, light text on dark.
    const brightest = () => {
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let max = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3] === 255) max = Math.max(max, data[i]! + data[i + 1]! + data[i + 2]!);
      return max;
    };
    const light = brightest();
    try {
      await emulateMedia({ colorScheme: 'dark' });
      await until(() => brightest() !== light, 'a redraw in the dark colours');
      // The dark theme's foreground (#e6e9ee) is the brightest opaque colour then; light's is white halos.
      expect(brightest()).to.be.below(3 * 255);
    } finally {
      await emulateMedia({ colorScheme: 'light' });
    }
  });

  it('an element placed before its result draws once the result comes', async () => {
    const chart = document.createElement('sp-sweep-parallel');
    document.body.append(chart);
    await chart.updateComplete;
    expect(chart.shadowRoot!.querySelector('canvas')).to.equal(null);
    chart.result = grid();
    await chart.updateComplete;
    const box = find(chart, 'sweep-parallel');
    await until(() => box.dataset.lines === '256', 'the late result drawn');
  });

  it('no chart when only seeds vary (a metric axis alone connects nothing)', async () => {
    const base = grid();
    const el = document.createElement('sp-sweep-results');
    el.result = { ...base, varied: ['seed'], rows: base.rows.slice(0, 4).map((r, i) => ({ ...r, values: { seed: i + 1 } })) };
    document.body.append(el);
    await settle(el);
    expect(findAll(el, 'sweep-row')).to.have.length(4);
    expect(findAll(el, 'sweep-parallel')).to.have.length(0);
    expect(el.shadowRoot!.querySelector('sp-sweep-parallel')).to.equal(null);
  });

  it('successive halving: pruned configurations drawn dashed at their last rung’s score, and brushed like the others', async () => {
    const base = grid();
    const halvingRows: HalvingRow[] = base.rows.slice(0, 9).map((r, i) => ({ ...r, rung: i < 6 ? 0 : 1, pruned: i < 8, rungMetrics: [r.validationAccuracy] }));
    const result: HalvingResult = {
      ...base,
      rows: halvingRows,
      rungs: [
        { epochs: 3, configurations: 9 },
        { epochs: 9, configurations: 3 },
      ],
      budget: { used: 45, planned: 45, full: 81 },
    } as HalvingResult;
    const el = await mount(result, 360, null);
    const chart = find(el, 'sweep-parallel');
    expect(chart.dataset.lines).to.equal('9');
    expect(el.shadowRoot!.querySelector('sp-sweep-parallel')!.shadowRoot!.textContent).to.match(/dashed: pruned, at its last rung's score/);
    // The metric axis's lower handle to the top (End) keeps the best score: two tied rows, both pruned (at rungs 1 and 2).
    const handles = findAll(el, 'sweep-parallel-handle');
    const metricLow = handles.at(-1)!;
    metricLow.focus();
    await sendKeys({ press: 'End' });
    await settle(el);
    expect(rows(el)).to.have.length(2);
    for (const row of rows(el)) expect(row.querySelector('td.status')!.textContent).to.match(/^pruned after rung [12]$/);
  });
});
