import { expect } from '@esm-bundle/chai';
import '../../../components/playground/sp-dataset-picker.ts';
import type { SpDatasetPicker } from '../../../components/playground/sp-dataset-picker.ts';
import { DEFAULT_DATASET, type DatasetConfig } from '../../../src/config/experiment.ts';
import type { LabeledTable } from '../../../src/data/dataset.ts';
import { waitFor as waitForCondition } from '../../helpers/async.ts';

async function mount(config: Partial<DatasetConfig> = {}): Promise<SpDatasetPicker> {
  const el = document.createElement('sp-dataset-picker');
  el.config = { ...DEFAULT_DATASET, ...config };
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const $ = <T extends Element>(root: ParentNode, id: string): T | null => root.querySelector<T>(`[data-testid="${id}"]`);

/** Collects the details of every `name` event the element emits. */
function record<T>(el: Element, name: string): T[] {
  const seen: T[] = [];
  el.addEventListener(name, (e) => seen.push((e as CustomEvent<T>).detail));
  return seen;
}

function set(input: HTMLInputElement | HTMLSelectElement, value: string, type = 'change'): void {
  input.value = value;
  input.dispatchEvent(new Event(type, { bubbles: true }));
}

function waitFor(cond: () => boolean): Promise<void> {
  return waitForCondition('the picker to update', cond);
}

describe('<sp-dataset-picker>', () => {
  afterEach(() => document.querySelectorAll('sp-dataset-picker').forEach((e) => e.remove()));

  it('lists every dataset by its human name', async () => {
    const el = await mount();
    const select = $<HTMLSelectElement>(el.shadowRoot!, 'dataset-name')!;
    expect(Array.from(select.options, (o) => o.textContent)).to.deep.equal([
      'Iris',
      'Spiral',
      'Circles',
      'XOR',
      'Gaussian blobs',
      'Moons',
      'MNIST digits',
      'Draw your own',
      'Your CSV…',
    ]);
    expect(select.value).to.equal('iris');
    expect(select.labels).to.have.length(1);
  });

  it('offers the regression sets for regression, without classes or class balance, and emits the task a reader picks', async () => {
    const el = await mount({ name: 'plane' });
    el.task = 'regression';
    await el.updateComplete;
    const root = el.shadowRoot!;
    const names = Array.from($<HTMLSelectElement>(root, 'dataset-name')!.options, (o) => o.value);
    expect(names).to.deep.equal(['plane', 'gaussmix', 'drawn', 'csv']);
    expect($<HTMLSelectElement>(root, 'task')!.value).to.equal('regression');
    expect($(root, 'dataset-noise')).to.not.equal(null);
    expect($(root, 'dataset-imbalance')).to.equal(null);
    expect($(root, 'dataset-classes')).to.equal(null);
    const seen = record<{ task: string }>(el, 'sp-task-change');
    set($<HTMLSelectElement>(root, 'task')!, 'classification');
    expect(seen).to.deep.equal([{ task: 'classification' }]);
  });

  it('emits sp-dataset-change with the new name, keeping the other fields', async () => {
    const el = await mount({ noise: 0.3 });
    const seen = record<{ dataset: DatasetConfig }>(el, 'sp-dataset-change');
    set($<HTMLSelectElement>(el.shadowRoot!, 'dataset-name')!, 'spiral');
    expect(seen).to.have.length(1);
    expect(seen[0]!.dataset).to.deep.equal({ ...DEFAULT_DATASET, noise: 0.3, name: 'spiral' });
  });

  it('shows size and noise for toy sets, classes only for spiral and gaussians, balance everywhere', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    expect($(root, 'dataset-size')).to.equal(null);
    expect($(root, 'dataset-imbalance')).to.not.equal(null);
    el.config = { ...DEFAULT_DATASET, name: 'circles' };
    await el.updateComplete;
    expect($(root, 'dataset-size')).to.not.equal(null);
    expect($(root, 'dataset-noise')).to.not.equal(null);
    expect($(root, 'dataset-classes')).to.equal(null);
    el.config = { ...DEFAULT_DATASET, name: 'gaussians', classes: 5 };
    await el.updateComplete;
    expect($<HTMLSelectElement>(root, 'dataset-classes')!.value).to.equal('5');
    expect(root.textContent).to.match(/Class balance/);
  });

  it('emits on change (not on input), clamping to the limits', async () => {
    const el = await mount({ name: 'spiral' });
    const root = el.shadowRoot!;
    const seen = record<{ dataset: DatasetConfig }>(el, 'sp-dataset-change');
    const noise = $<HTMLInputElement>(root, 'dataset-noise')!;
    set(noise, '0.5', 'input');
    await el.updateComplete;
    expect(seen).to.have.length(0);
    expect(root.querySelector('output[for="noise"]')!.textContent).to.equal('0.50');
    set(noise, '0.5');
    set($<HTMLInputElement>(root, 'dataset-size')!, '99999');
    set($<HTMLSelectElement>(root, 'dataset-classes')!, '6');
    expect(seen.map((d) => d.dataset)).to.deep.equal([
      { ...DEFAULT_DATASET, name: 'spiral', noise: 0.5 },
      { ...DEFAULT_DATASET, name: 'spiral', size: 60000 },
      { ...DEFAULT_DATASET, name: 'spiral', classes: 6 },
    ]);
  });

  it('shows the class balance as a ratio and emits it', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    const seen = record<{ dataset: DatasetConfig }>(el, 'sp-dataset-change');
    el.config = { ...DEFAULT_DATASET, imbalance: 0.25 };
    await el.updateComplete;
    expect(root.querySelector('output[for="imbalance"]')!.textContent).to.equal('1 : 4');
    set($<HTMLInputElement>(root, 'dataset-imbalance')!, '0.5');
    expect(seen[0]!.dataset.imbalance).to.equal(0.5);
  });

  it('reverts an unreadable size instead of emitting', async () => {
    const el = await mount({ name: 'moons' });
    const seen = record(el, 'sp-dataset-change');
    const size = $<HTMLInputElement>(el.shadowRoot!, 'dataset-size')!;
    set(size, '');
    expect(seen).to.have.length(0);
    expect(size.value).to.equal(String(DEFAULT_DATASET.size));
  });

  describe('CSV', () => {
    async function openCsv(): Promise<{ el: SpDatasetPicker; imp: ShadowRoot }> {
      const el = await mount();
      const seen = record(el, 'sp-dataset-change');
      set($<HTMLSelectElement>(el.shadowRoot!, 'dataset-name')!, 'csv');
      await el.updateComplete;
      expect(seen, 'choosing CSV alone emits nothing').to.have.length(0);
      const imp = el.shadowRoot!.querySelector('sp-csv-import')!;
      await imp.updateComplete;
      return { el, imp: imp.shadowRoot! };
    }

    function upload(root: ShadowRoot, text: string, name = 'data.csv'): void {
      const input = $<HTMLInputElement>(root, 'csv-file')!;
      expect(input.accept).to.equal('.csv,text/csv');
      const dt = new DataTransfer();
      dt.items.add(new File([text], name, { type: 'text/csv' }));
      input.files = dt.files;
      input.dispatchEvent(new Event('change'));
    }

    it('previews a file, lets the user pick columns, and emits sp-csv-load', async () => {
      const { el, imp } = await openCsv();
      const loads = record<{ table: LabeledTable; name: string }>(el, 'sp-csv-load');
      const rows = Array.from({ length: 8 }, (_, i) => `${i},${i * 2},<b>${i % 2 ? 'odd' : 'even'}</b>`).join('\n');
      upload(imp, `a,b,kind\n${rows}\n`, 'mine.csv');
      await waitFor(() => $(imp, 'csv-preview') !== null);
      const preview = $(imp, 'csv-preview')!;
      expect(preview.querySelectorAll('tbody tr')).to.have.length(5);
      expect(preview.querySelector('b'), 'cells are text, not markup').to.equal(null);
      expect(preview.textContent).to.contain('<b>even</b>');
      const label = $<HTMLSelectElement>(imp, 'csv-label')!;
      expect(label.value).to.equal('2');
      const boxes = imp.querySelectorAll<HTMLInputElement>('[data-testid="csv-feature"]');
      expect(Array.from(boxes, (b) => b.checked)).to.deep.equal([true, true]);
      boxes[1]!.checked = false;
      boxes[1]!.dispatchEvent(new Event('change'));
      $<HTMLButtonElement>(imp, 'csv-apply')!.click();
      expect(loads).to.have.length(1);
      expect(loads[0]!.name).to.equal('mine.csv');
      expect(loads[0]!.table.featureNames).to.deep.equal(['a']);
      expect(loads[0]!.table.classNames).to.deep.equal(['<b>even</b>', '<b>odd</b>']);
      expect(loads[0]!.table.labels.length).to.equal(8);
    });

    it('switching the label column makes the old label a feature', async () => {
      const { el, imp } = await openCsv();
      const loads = record<{ table: LabeledTable }>(el, 'sp-csv-load');
      upload(imp, 'y,a,b\np,1,2\nq,3,4\n');
      await waitFor(() => $(imp, 'csv-label') !== null);
      set($<HTMLSelectElement>(imp, 'csv-label')!, '0');
      await (imp.host as HTMLElement & { updateComplete: Promise<boolean> }).updateComplete;
      $<HTMLButtonElement>(imp, 'csv-apply')!.click();
      expect(loads[0]!.table.featureNames).to.deep.equal(['a', 'b']);
      expect(loads[0]!.table.classNames).to.deep.equal(['p', 'q']);
    });

    it('shows an alert for a broken file and for unusable columns', async () => {
      const { el, imp } = await openCsv();
      const loads = record(el, 'sp-csv-load');
      upload(imp, 'a,b\n1,2\n3\n', 'broken.csv');
      await waitFor(() => imp.querySelector('[role="alert"]') !== null);
      expect(imp.querySelector('[role="alert"]')!.textContent)
        .to.match(/broken\.csv/)
        .and.match(/line 3/);
      expect($(imp, 'csv-preview')).to.equal(null);
      upload(imp, 'a,y\n1,only\n2,only\n', 'one-class.csv');
      await waitFor(() => $(imp, 'csv-apply') !== null);
      $<HTMLButtonElement>(imp, 'csv-apply')!.click();
      await (imp.host as HTMLElement & { updateComplete: Promise<boolean> }).updateComplete;
      expect(imp.querySelector('[role="alert"]')!.textContent).to.match(/at least 2 classes/);
      expect(loads).to.have.length(0);
    });

    it('shows the CSV view when the host says CSV data is in use', async () => {
      const el = await mount({ name: 'csv' });
      el.csvName = 'sales.csv';
      await el.updateComplete;
      const imp = el.shadowRoot!.querySelector('sp-csv-import')!;
      await imp.updateComplete;
      expect(imp.shadowRoot!.textContent).to.contain('sales.csv');
      expect($(el.shadowRoot!, 'dataset-imbalance')).to.equal(null);
    });
  });

  it('asks for a drawing with "Draw your own" (no shape or balance fields), shows it while drawing, and drops the points for other sets', async () => {
    const el = await mount({ name: 'spiral' });
    const root = el.shadowRoot!;
    const seen = record<{ dataset: DatasetConfig }>(el, 'sp-dataset-change');
    set($<HTMLSelectElement>(root, 'dataset-name')!, 'drawn');
    expect(seen[0]!.dataset.name).to.equal('drawn');
    el.drawing = true;
    await el.updateComplete;
    expect($<HTMLSelectElement>(root, 'dataset-name')!.value).to.equal('drawn');
    for (const id of ['dataset-size', 'dataset-noise', 'dataset-imbalance']) expect($(root, id), id).to.equal(null);
    expect(root.textContent).to.contain('Draw points on the data plot');
    el.drawing = false;
    await el.updateComplete;
    expect($<HTMLSelectElement>(root, 'dataset-name')!.value, 'draw mode left: the data in use again').to.equal('spiral');
    el.config = { ...DEFAULT_DATASET, name: 'drawn', drawn: [{ x1: 0, x2: 0, y: 1 }] };
    await el.updateComplete;
    set($<HTMLSelectElement>(root, 'dataset-name')!, 'moons');
    expect(seen.at(-1)!.dataset).to.deep.equal({ ...DEFAULT_DATASET, name: 'moons' });
  });
});
