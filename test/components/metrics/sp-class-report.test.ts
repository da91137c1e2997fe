import { expect } from '@esm-bundle/chai';
import '../../../components/metrics/sp-class-report.ts';
import { classificationReport } from '../../../src/metrics/report.ts';

describe('<sp-class-report>', () => {
  afterEach(() => document.querySelectorAll('sp-class-report').forEach((e) => e.remove()));

  it('shows per-class scores, support, macro and weighted averages and accuracy', async () => {
    const el = document.createElement('sp-class-report');
    el.report = classificationReport([
      [3, 1],
      [2, 4],
    ]);
    el.classNames = ['no', 'yes'];
    document.body.append(el);
    await el.updateComplete;
    const row = (sel: string) => [...el.shadowRoot!.querySelector(sel)!.children].map((c) => c.textContent!.trim());
    expect(row('thead tr')).to.deep.equal(['Class', 'Precision', 'Recall', 'F1', 'Support']);
    expect(row('tr[data-class="0"]')).to.deep.equal(['no', '0.600', '0.750', '0.667', '4']);
    expect(row('tr[data-class="1"]')).to.deep.equal(['yes', '0.800', '0.667', '0.727', '6']);
    expect(row('tr[data-row=macro]')).to.deep.equal(['Macro average', '0.700', '0.708', '0.697', '10']);
    expect(row('tr[data-row=weighted]')).to.deep.equal(['Weighted average', '0.720', '0.700', '0.703', '10']);
    expect(row('tr[data-row=accuracy]')).to.deep.equal(['Accuracy', '', '', '0.700', '10']);
    expect(el.shadowRoot!.querySelectorAll('th[scope=row]').length).to.equal(5);
  });

  it('names missing classes by index and shows a placeholder without a report', async () => {
    const el = document.createElement('sp-class-report');
    document.body.append(el);
    await el.updateComplete;
    expect(el.shadowRoot!.textContent).to.contain('No report yet');
    el.report = classificationReport([[1]]);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('tbody th')!.textContent!.trim()).to.equal('Class 0');
  });
});
