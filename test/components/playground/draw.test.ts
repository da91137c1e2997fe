import { expect } from '@esm-bundle/chai';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import { LitElement } from 'lit';
import { DrawController } from '../../../components/playground/draw-controller.ts';
import { dataPlot } from '../../../components/playground/draw-view.ts';
import { configFromAttributes } from '../../../components/playground/embed-attributes.ts';
import type { EngineController } from '../../../components/playground/engine-controller.ts';
import { DRAG_SPACING } from '../../../components/playground/sp-draw-surface.ts';
import { classColor } from '../../../components/shared/palette.ts';
import { DEFAULT_EXPERIMENT, type DatasetConfig, type ExperimentConfig } from '../../../src/config/experiment.ts';
import { encodeDrawn, type DrawnPoint } from '../../../src/data/drawn.ts';
import { encodeHash } from '../../../src/config/url.ts';
import type { SessionInfo } from '../../../src/worker/api.ts';

/** A playground stand-in: its config, a session's 2-D points, and the data sets a drawing applied. */
class DrawHost extends LitElement {
  static override properties = { config: { attribute: false } };
  config: ExperimentConfig = { ...DEFAULT_EXPERIMENT, dataset: { ...DEFAULT_EXPERIMENT.dataset, name: 'spiral' } };
  info: SessionInfo | null = {
    classNames: ['class 0', 'class 1'],
    points: {
      features: new Float32Array([-0.5, 0.5, 0.5, -0.5, 2, 2]),
      labels: new Uint32Array([0, 1, 1]),
      split: new Uint8Array(3),
      bounds: { xMin: -2.4, xMax: 2.4, yMin: -2.4, yMax: 2.4 },
    },
  } as unknown as SessionInfo;
  applied: DatasetConfig[] = [];
  readonly draw = new DrawController(this, { config: () => this.config, info: () => this.info, apply: (d) => this.applied.push(d) });
  override render() {
    return dataPlot({ info: this.info, boundary: null } as unknown as EngineController, this.draw);
  }
}
customElements.define('test-draw-host', DrawHost);

const $ = <T extends Element = HTMLElement>(root: ParentNode | null | undefined, id: string): T | null =>
  root?.querySelector<T>(`[data-testid="${id}"]`) ?? null;

async function mount(): Promise<DrawHost> {
  const host = document.createElement('test-draw-host') as DrawHost;
  host.style.cssText = 'display:block;width:340px';
  document.body.append(host);
  await host.updateComplete;
  return host;
}

const toolbar = (host: DrawHost) => host.shadowRoot!.querySelector('sp-draw-toolbar')!;
const surface = (host: DrawHost) => host.shadowRoot!.querySelector('sp-draw-surface');
const button = (host: DrawHost, id: string) => $<HTMLButtonElement>(toolbar(host).shadowRoot, id);

async function settle(host: DrawHost): Promise<void> {
  await host.updateComplete;
  await toolbar(host).updateComplete;
  await surface(host)?.updateComplete;
}

async function click(host: DrawHost, id: string): Promise<void> {
  button(host, id)!.click();
  await settle(host);
}

/** Viewport pixels of a plot point on the drawing plane. */
function pixelOf(host: DrawHost, x1: number, x2: number): [number, number] {
  const r = $(surface(host)!.shadowRoot, 'draw-plane')!.getBoundingClientRect();
  return [Math.round(r.left + ((x1 + 1.5) / 3) * r.width), Math.round(r.top + ((1.5 - x2) / 3) * r.height)];
}

async function press(host: DrawHost, x1: number, x2: number, button: 'left' | 'right' = 'left'): Promise<void> {
  await sendMouse({ type: 'click', position: pixelOf(host, x1, x2), button });
  await settle(host);
}

describe('drawing data on the plot', () => {
  let host: DrawHost;
  beforeEach(async () => {
    host = await mount();
  });
  afterEach(async () => {
    await resetMouse();
    host.remove();
  });

  it('turns draw mode on and off with draw-data (aria-pressed), showing the tools only while drawing', async () => {
    expect(button(host, 'draw-data')!.getAttribute('aria-pressed')).to.equal('false');
    expect(button(host, 'draw-clear')).to.equal(null);
    expect(surface(host)).to.equal(null);
    await click(host, 'draw-data');
    expect(button(host, 'draw-data')!.getAttribute('aria-pressed')).to.equal('true');
    for (const id of ['draw-clear', 'draw-undo', 'draw-eraser', 'draw-from-data', 'draw-class-0', 'draw-class-7'])
      expect(button(host, id), id).to.not.equal(null);
    expect($(toolbar(host).shadowRoot, 'draw-count')!.textContent).to.contain('0 points · 0 classes (at most 500)');
    await click(host, 'draw-data');
    expect(host.draw.active, 'nothing drawn: leaving just leaves').to.equal(false);
    expect(host.applied).to.deep.equal([]);
  });

  it('adds a snapped point of the chosen class where the plot is clicked, and shows it at once', async () => {
    await click(host, 'draw-data');
    await click(host, 'draw-class-2');
    await press(host, 0.5, -0.5);
    expect(host.draw.points).to.have.length(1);
    const p = host.draw.points[0]!;
    expect(p.y).to.equal(2);
    expect(Math.abs(p.x1 - 0.5)).to.be.below(0.03);
    expect(Math.abs(p.x2 + 0.5)).to.be.below(0.03);
    expect(Math.round(p.x1 * 100) / 100, 'on the 0.01 grid').to.equal(p.x1);
    const canvas = $<HTMLCanvasElement>(surface(host)!.shadowRoot, 'draw-plane')!;
    const [r, g, b] = canvas.getContext('2d')!.getImageData(Math.round(((p.x1 + 1.5) / 3) * 480), Math.round(((1.5 - p.x2) / 3) * 480), 1, 1).data;
    const want = classColor(2);
    expect([r, g, b]).to.deep.equal([1, 3, 5].map((i) => Number.parseInt(want.slice(i, i + 2), 16)));
    expect($(toolbar(host).shadowRoot, 'draw-count')!.textContent).to.contain('1 point · 1 class');
  });

  it('adds points along a drag with spacing, not one per move, and undoes the stroke at once', async () => {
    await click(host, 'draw-data');
    await press(host, -1, 1);
    const [x0, y] = pixelOf(host, -1, 0);
    const [x1] = pixelOf(host, 1, 0);
    await sendMouse({ type: 'move', position: [x0, y] });
    await sendMouse({ type: 'down' });
    for (let x = x0; x <= x1; x += 3) await sendMouse({ type: 'move', position: [x, y] });
    await sendMouse({ type: 'up' });
    await settle(host);
    const stroke = host.draw.points.length - 1;
    // 2 plot units at DRAG_SPACING: about 26 points, where the moves were about 70.
    expect(stroke).to.be.within(Math.floor(2 / DRAG_SPACING) - 6, Math.ceil(2 / DRAG_SPACING) + 1);
    await click(host, 'draw-undo');
    expect(host.draw.points).to.have.length(1);
    await click(host, 'draw-clear');
    expect(host.draw.points).to.have.length(0);
    expect(button(host, 'draw-clear')!.disabled).to.equal(true);
    await click(host, 'draw-undo');
    expect(host.draw.points).to.have.length(1);
  });

  it('erases the nearest point on right-click (no context menu) and with the eraser', async () => {
    await click(host, 'draw-data');
    await press(host, -1, -1);
    await press(host, 1, 1);
    await press(host, 0, 0);
    let menu = false;
    surface(host)!.addEventListener('contextmenu', (e) => (menu = !e.defaultPrevented));
    await press(host, 1.04, 0.97, 'right');
    expect(host.draw.points.map((p) => [Math.round(p.x1), Math.round(p.x2)])).to.deep.equal([
      [-1, -1],
      [0, 0],
    ]);
    expect(menu, 'the context menu is kept away').to.equal(false);
    await press(host, -0.5, 0.5, 'right');
    expect(host.draw.points, 'nothing near: nothing erased').to.have.length(2);
    await click(host, 'draw-eraser');
    expect(button(host, 'draw-eraser')!.getAttribute('aria-pressed')).to.equal('true');
    await press(host, 0.02, 0.01);
    expect(host.draw.points).to.have.length(1);
    await click(host, 'draw-class-1');
    expect(host.draw.tool, 'choosing a class goes back to adding').to.equal('add');
  });

  it('draws from the keyboard: arrows move a cursor, Enter adds, Delete erases', async () => {
    await click(host, 'draw-data');
    $(surface(host)!.shadowRoot, 'draw-plane')!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowUp' });
    await sendKeys({ press: 'Enter' });
    await settle(host);
    expect(host.draw.points).to.deep.equal([{ x1: 0.1, x2: 0.05, y: 0 }]);
    expect(surface(host)!.shadowRoot!.querySelector('[role="status"]')!.textContent).to.contain('added a point at 0.10, 0.05');
    await sendKeys({ press: 'Delete' });
    await settle(host);
    expect(host.draw.points).to.deep.equal([]);
  });

  it('keeps drawing with a message above the plot when the drawing is too small or of one class, and applies it once it is not', async () => {
    await click(host, 'draw-data');
    for (let i = 0; i < 5; i++) await press(host, -1 + i * 0.2, 0.8);
    await click(host, 'draw-data');
    const message = () => $(toolbar(host).shadowRoot, 'draw-message')?.textContent?.trim() ?? null;
    expect(message()).to.equal('Draw at least 10 points to train on (5 so far).');
    expect($(toolbar(host).shadowRoot, 'draw-message')!.getAttribute('role')).to.equal('alert');
    expect(host.draw.active).to.equal(true);
    expect(host.applied).to.deep.equal([]);
    expect(host.draw.points).to.have.length(5);
    for (let i = 0; i < 5; i++) await press(host, -1 + i * 0.2, 0.4);
    expect(message()).to.equal('Draw points of at least two classes: all 10 are class 0.');
    await click(host, 'draw-class-1');
    await press(host, 1, -1);
    expect(message(), 'the message goes once the drawing can be trained on').to.equal(null);
    await click(host, 'draw-data');
    expect(host.draw.active).to.equal(false);
    expect(host.applied).to.have.length(1);
    expect(host.applied[0]).to.deep.include({ name: 'drawn', drawn: host.draw.points });
    expect(host.applied[0]!.drawn).to.have.length(11);
  });

  it('starts from the data, refuses a 501st point, and draws values for regression', async () => {
    await click(host, 'draw-data');
    await click(host, 'draw-from-data');
    expect(host.draw.points).to.deep.equal([
      { x1: -0.5, x2: 0.5, y: 0 },
      { x1: 0.5, x2: -0.5, y: 1 },
      { x1: 1.5, x2: 1.5, y: 1 },
    ]);
    host.draw.points = Array.from({ length: 500 }, (_, i): DrawnPoint => ({ x1: 0, x2: 0, y: i % 2 }));
    await press(host, 0.5, 0.5);
    expect(host.draw.points).to.have.length(500);
    expect($(toolbar(host).shadowRoot, 'draw-message')!.textContent).to.contain('at most 500 points');
    host.draw.points = [];
    host.config = { ...host.config, task: 'regression' };
    host.draw.set({ value: -0.25 });
    await settle(host);
    expect(button(host, 'draw-class-0')).to.equal(null);
    expect(button(host, 'draw-from-data')).to.equal(null);
    expect($<HTMLInputElement>(toolbar(host).shadowRoot, 'draw-value')!.value).to.equal('-0.25');
    await press(host, 0, 0);
    expect(host.draw.points.map((p) => p.y)).to.deep.equal([-0.25]);
    expect($(toolbar(host).shadowRoot, 'draw-count')!.textContent).to.equal('1 point (at most 500).');
  });

  it('starts over on a drawing kept from the other task, and Undo brings it back', async () => {
    host.draw.points = [{ x1: 0, x2: 0, y: 5 }];
    host.config = { ...host.config, task: 'regression' };
    await settle(host);
    await click(host, 'draw-data');
    expect(host.draw.points).to.deep.equal([]);
    await click(host, 'draw-undo');
    expect(host.draw.points).to.deep.equal([{ x1: 0, x2: 0, y: 5 }]);
  });

  it('is started by choosing "Draw your own", follows the config\'s own drawing, and ends when another data set is chosen', async () => {
    expect(host.draw.intercept({ ...host.config.dataset, name: 'drawn' })).to.equal(true);
    await settle(host);
    expect(host.draw.active).to.equal(true);
    const drawn = Array.from({ length: 12 }, (_, i): DrawnPoint => ({ x1: i / 10, x2: 0, y: i % 2 }));
    expect(host.draw.intercept({ ...host.config.dataset, name: 'drawn', drawn }), 'a drawing that can be trained on applies').to.equal(false);
    host.config = { ...host.config, dataset: { ...host.config.dataset, name: 'moons' } };
    await settle(host);
    expect(host.draw.active).to.equal(false);
    host.config = { ...host.config, dataset: { ...host.config.dataset, name: 'drawn', drawn } };
    host.draw.start();
    expect(host.draw.points).to.equal(drawn);
    expect(host.draw.canUseData, 'the session is the drawing').to.equal(false);
    await click(host, 'draw-data');
    expect(host.applied, 'an unchanged drawing is not applied again').to.deep.equal([]);
  });
});

describe('a drawing in an embed', () => {
  it('comes from the drawn attribute with dataset="drawn", and goes into the embed snippet\'s config', () => {
    const drawn = Array.from({ length: 12 }, (_, i): DrawnPoint => ({ x1: (i * 10 - 60) / 100, x2: 0.25, y: i % 2 }));
    const el = document.createElement('div');
    el.setAttribute('dataset', 'drawn');
    el.setAttribute('drawn', encodeDrawn(drawn));
    el.setAttribute('layers', '4');
    const { config, messages } = configFromAttributes(el);
    expect(messages).to.deep.equal([]);
    expect(config.dataset).to.deep.include({ name: 'drawn', drawn });
    expect(encodeHash(config)).to.contain(`drawn=${encodeDrawn(drawn)}`);
  });
});
