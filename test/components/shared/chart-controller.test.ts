import { expect } from '@esm-bundle/chai';
import { html, LitElement } from 'lit';
import { ChartController, type ChartLike } from '../../../components/shared/chart-controller.ts';

/** A stand-in for a chart.js instance that records what was done to it. */
class FakeChart implements ChartLike {
  updates = 0;
  destroyed = false;
  constructor(readonly canvas: HTMLCanvasElement) {}
  update(): void {
    this.updates++;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

/** A host element with a canvas; `made` lists every chart its controller created. */
class ChartHost extends LitElement {
  made: FakeChart[] = [];
  readonly chart = new ChartController<FakeChart>(this, {
    create: (canvas) => {
      const chart = new FakeChart(canvas);
      this.made.push(chart);
      return chart;
    },
  });
  override render() {
    return html`<canvas></canvas>`;
  }
}
customElements.define('test-chart-host', ChartHost);

async function mount<T extends ChartHost>(tag: string): Promise<T> {
  const el = document.createElement(tag) as T;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

describe('ChartController', () => {
  afterEach(() => document.querySelectorAll('test-chart-host').forEach((e) => e.remove()));

  it('creates the chart on the canvas of the first update, once', async () => {
    const el = await mount<ChartHost>('test-chart-host');
    expect(el.made).to.have.length(1);
    expect(el.chart.current).to.equal(el.made[0]);
    expect(el.made[0]!.canvas).to.equal(el.shadowRoot!.querySelector('canvas'));
    el.requestUpdate();
    await el.updateComplete;
    expect(el.made).to.have.length(1);
  });

  it('fills and redraws through update: at once with "now", in a task of its own with "soon"', async () => {
    const el = await mount<ChartHost>('test-chart-host');
    const chart = el.made[0]!;
    const filled: FakeChart[] = [];
    el.chart.update((c) => filled.push(c), 'now');
    expect(filled).to.deep.equal([chart]);
    expect(chart.updates).to.equal(1);
    el.chart.update((c) => filled.push(c));
    expect(chart.updates).to.equal(1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(chart.updates).to.equal(2);
  });

  it('destroys the chart on disconnect, drops its pending redraw, and builds a new one on reconnect', async () => {
    const el = await mount<ChartHost>('test-chart-host');
    const first = el.made[0]!;
    el.chart.update(() => undefined);
    el.remove();
    expect(first.destroyed).to.equal(true);
    expect(el.chart.current).to.equal(null);
    el.chart.update(() => expect.fail('no chart to fill'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(first.updates).to.equal(0);
    document.body.append(el);
    await el.updateComplete;
    expect(el.made).to.have.length(2);
    expect(el.chart.current).to.equal(el.made[1]);
  });
});
