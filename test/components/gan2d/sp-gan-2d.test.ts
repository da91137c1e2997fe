import { expect } from '@esm-bundle/chai';
import '../../../components/gan2d/sp-gan-2d.ts';
import type { SpGan2d } from '../../../components/gan2d/sp-gan-2d.ts';
import type { SpGan2dPlane } from '../../../components/gan2d/sp-gan-2d-plane.ts';
import type { Gan2dFrame } from '../../../src/worker/api.ts';
import { setEngineWorkerUrl } from '../../../src/worker/worker-url.ts';
import { waitFor } from '../../helpers/async.ts';

setEngineWorkerUrl(new URL('../../../src/worker/worker.ts', import.meta.url));

/** Small networks so each test trains in a second or two on the CPU. */
const SMALL = 'g=16&d=16&batch=64';

async function lab(attrs: Record<string, string> = {}): Promise<SpGan2d> {
  const el = document.createElement('sp-gan-2d');
  for (const [k, v] of Object.entries({ backend: 'cpu', ...attrs })) el.setAttribute(k, v);
  document.body.append(el);
  await el.updateComplete;
  await waitFor('the GAN to build', () => el.gan.status === 'ready' || el.gan.status === 'error', 60_000);
  expect(el.gan.error).to.equal(null);
  return el;
}

/** The element (or a child's) with this test id, searched through the open shadow roots. */
function part<T extends HTMLElement>(root: ParentNode, testid: string): T {
  const hit = root.querySelector<T>(`[data-testid="${testid}"]`);
  if (hit) return hit;
  for (const el of root.querySelectorAll('*')) {
    if (el.shadowRoot) {
      try {
        return part<T>(el.shadowRoot, testid);
      } catch {
        // not in this one
      }
    }
  }
  throw new Error(`no [data-testid="${testid}"]`);
}

const text = (el: SpGan2d, testid: string) => part(el.shadowRoot!, testid).textContent!.trim();

function choose(el: SpGan2d, testid: string, value: string): void {
  const input = part<HTMLSelectElement | HTMLInputElement>(el.shadowRoot!, testid);
  input.value = value;
  input.dispatchEvent(new Event('change'));
}

function nextDownload(): Promise<{ name: string; text: string }> {
  return new Promise((resolve) => {
    const onClick = (e: MouseEvent) => {
      const a = e.target as HTMLAnchorElement;
      if (!(a instanceof HTMLAnchorElement) || !a.download) return;
      e.preventDefault();
      document.removeEventListener('click', onClick, true);
      void fetch(a.href).then(async (r) => resolve({ name: a.download, text: await r.text() }));
    };
    document.addEventListener('click', onClick, true);
  });
}

/** A frame fetched after everything asked so far: two new ones, since the first may have been in flight. */
async function freshFrame(el: SpGan2d): Promise<Gan2dFrame> {
  for (let i = 0; i < 2; i++) {
    const old = el.gan.frame;
    el.gan.requestFrame();
    await waitFor('a new frame', () => el.gan.frame !== old);
  }
  return el.gan.frame!;
}

/** Paints `points` (plane coordinates) on the canvas as one stroke. */
function paint(el: SpGan2d, points: [number, number][]): void {
  const canvas = part<HTMLCanvasElement>(el.shadowRoot!, 'gan2d-canvas');
  const box = canvas.getBoundingClientRect();
  const at = ([x, y]: [number, number]) => ({
    clientX: box.left + ((x + 1) / 2) * box.width,
    clientY: box.top + ((1 - y) / 2) * box.height,
    pointerId: 7,
    bubbles: true,
  });
  canvas.dispatchEvent(new PointerEvent('pointerdown', at(points[0]!)));
  for (const p of points.slice(1)) canvas.dispatchEvent(new PointerEvent('pointermove', at(p)));
  canvas.dispatchEvent(new PointerEvent('pointerup', at(points.at(-1)!)));
}

describe('<sp-gan-2d>', () => {
  afterEach(() => {
    document.body.replaceChildren();
    history.replaceState(null, '', location.pathname + location.search);
  });

  it('renders its controls and figures, steps one iteration, D only and G only, and draws frames', async () => {
    const el = await lab({ config: SMALL });
    for (const id of [
      'gan2d-toggle',
      'gan2d-step',
      'gan2d-step-d',
      'gan2d-step-g',
      'gan2d-speed',
      'gan2d-draw',
      'gan2d-clear',
      'gan2d-samples-csv',
      'gan2d-canvas',
      'gan2d-dataset',
      'gan2d-preset',
      'gan2d-kl',
      'gan2d-js',
      'gan2d-modes',
      'gan2d-quality',
      'gan2d-iteration',
    ]) {
      part(el.shadowRoot!, id);
    }
    expect(text(el, 'gan2d-backend')).to.match(/CPU/);
    await waitFor('a first frame', () => el.gan.frame !== null);
    part(el.shadowRoot!, 'gan2d-step').click();
    await waitFor('iteration 1', () => text(el, 'gan2d-iteration') === '1');
    const before = await freshFrame(el);
    part(el.shadowRoot!, 'gan2d-step-d').click();
    await waitFor('a D step', () => text(el, 'gan2d-part-steps') === 'D 1, G 0');
    // D moved: its heatmap changed; G did not: its manifold is the same.
    const afterD = await freshFrame(el);
    expect([...afterD.field]).to.not.deep.equal([...before.field]);
    expect([...afterD.manifold]).to.deep.equal([...before.manifold]);
    part(el.shadowRoot!, 'gan2d-step-g').click();
    await waitFor('a G step', () => text(el, 'gan2d-part-steps') === 'D 1, G 1');
    expect([...(await freshFrame(el)).manifold]).to.not.deep.equal([...afterD.manifold]);
    expect(text(el, 'gan2d-iteration')).to.equal('1');
    const plane = el.shadowRoot!.querySelector<SpGan2dPlane>('sp-gan-2d-plane')!;
    expect(plane.framesDrawn).to.be.greaterThan(0);
  });

  it('plays and pauses, showing KL, JS, modes and quality, and downloads the samples as CSV', async () => {
    const el = await lab({ config: SMALL });
    part(el.shadowRoot!, 'gan2d-toggle').click();
    await waitFor('200 iterations', () => Number(text(el, 'gan2d-iteration')) >= 200, 60_000);
    part(el.shadowRoot!, 'gan2d-toggle').click();
    await waitFor('the pause', () => el.gan.status === 'ready', 30_000);
    await waitFor('figures', () => /^\d+\/8$/.test(text(el, 'gan2d-modes')) && Number.isFinite(Number(text(el, 'gan2d-kl'))));
    expect(Number(text(el, 'gan2d-js'))).to.be.within(0, Math.log(2));
    expect(Number(text(el, 'gan2d-quality'))).to.be.within(0, 1);
    expect(el.gan.measures.length).to.be.greaterThan(0);
    // The timeline: the first frame, then one every 100 iterations; scrubbing back shows a stored one.
    await waitFor('stored frames', () => el.gan.timeline.length >= 2);
    const first = el.gan.timeline[0]!;
    expect(first.iteration).to.be.lessThan(100);
    choose(el, 'gan2d-timeline', '0');
    part(el.shadowRoot!, 'gan2d-timeline').dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(text(el, 'gan2d-timeline-shown')).to.contain(`Showing iteration ${first.iteration}`);
    const timeline = part<HTMLInputElement>(el.shadowRoot!, 'gan2d-timeline');
    timeline.value = timeline.max;
    timeline.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(text(el, 'gan2d-timeline-shown')).to.equal('Live');
    const download = nextDownload();
    part(el.shadowRoot!, 'gan2d-samples-csv').click();
    const csv = await download;
    expect(csv.name).to.equal('shaderprop-gan2d-samples.csv');
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).to.equal('x,y,kind');
    expect(lines.filter((l) => /^-?[\d.e-]+,-?[\d.e-]+,real$/.test(l))).to.have.length(512);
    expect(lines.filter((l) => /^-?[\d.e-]+,-?[\d.e-]+,fake$/.test(l))).to.have.length(512);
    // The export: the PyTorch script of this config, and the run's curve with every iteration for its --check.
    const script = nextDownload();
    part(el.shadowRoot!, 'gan2d-export-pytorch').click();
    const py = await script;
    expect(py.name).to.equal('shaderprop_gan2d_pytorch.py');
    expect(py.text).to.contain('CONFIG_JSON').and.contain('--check');
    const curveFile = nextDownload();
    part(el.shadowRoot!, 'gan2d-curve').click();
    const curve = JSON.parse((await curveFile).text) as { format: string; iterations: number; draws: unknown[]; metrics: { gLoss: unknown[] } };
    expect(curve.format).to.equal('shaderprop-gan2d-curve');
    expect(curve.iterations).to.equal(Number(text(el, 'gan2d-iteration')));
    expect(curve.metrics.gLoss).to.have.length(curve.iterations);
    expect(curve.draws).to.be.an('array');
  });

  it('puts changed settings in the link and reads them back; a data set without modes says why', async () => {
    history.replaceState(null, '', `#mode=2d&${SMALL}&seed=4`);
    const el = await lab({ 'url-state': '' });
    expect(el.gan.info!.config.seed).to.equal(4);
    choose(el, 'gan2d-dataset', 'spiral');
    await waitFor('a rebuild on the spiral', () => el.gan.info?.config.dataset === 'spiral' && el.gan.status === 'ready', 60_000);
    choose(el, 'gan2d-latent', '1');
    await waitFor('a rebuild with latent 1', () => el.gan.info?.config.latent === 1 && el.gan.status === 'ready', 60_000);
    choose(el, 'gan2d-glr', '0.003');
    await waitFor('a rebuild with G at 0.003', () => el.gan.info?.config.g.learningRate === 0.003, 60_000);
    expect(location.hash).to.contain('mode=2d').and.contain('data=spiral').and.contain('latent=1').and.contain('glr=0.003').and.contain('seed=4');
    await waitFor('a frame', () => el.gan.figures !== null);
    expect(text(el, 'gan2d-modes')).to.match(/^– \(a spiral has no modes/);
    expect(text(el, 'gan2d-quality')).to.equal('–');
    el.remove();
    const again = await lab({ 'url-state': '' });
    expect(again.gan.info!.config).to.include({ dataset: 'spiral', latent: 1, seed: 4 });
  });

  it('keeps a short drawing with a message, trains on 8 points or more, and names a bad setting', async () => {
    history.replaceState(null, '', `#${SMALL}`);
    const el = await lab({ 'url-state': '' });
    part(el.shadowRoot!, 'gan2d-draw').click();
    await el.updateComplete;
    paint(el, [
      [0, 0],
      [0.5, 0.5],
      [-0.5, 0.5],
    ]);
    await el.updateComplete;
    expect(text(el, 'gan2d-message')).to.contain('at least 8 points').and.contain('3 so far');
    expect(el.gan.info!.config.dataset).to.equal('ring');
    const more = Array.from({ length: 8 }, (_, i): [number, number] => [-0.8 + 0.2 * i, 0.6 - 0.1 * i]);
    paint(el, more);
    await waitFor('a GAN on the drawing', () => el.gan.info?.config.dataset === 'drawn' && el.gan.status === 'ready', 60_000);
    expect(el.gan.info!.config.drawn).to.have.length(11);
    expect(location.hash).to.contain('data=drawn').and.contain('drawn=0,0,0.5,0.5');
    // From the keyboard: arrows move the cursor, Enter adds a point there, Delete removes the last.
    const canvas = part<HTMLCanvasElement>(el.shadowRoot!, 'gan2d-canvas');
    const press = (key: string) => canvas.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
    press('ArrowRight');
    press('ArrowUp');
    press('Enter');
    await waitFor('a GAN on 12 points', () => el.gan.info?.config.drawn.length === 12 && el.gan.status === 'ready', 60_000);
    expect(el.gan.info!.config.drawn.at(-1)).to.deep.equal([0.05, 0.05]);
    press('Delete');
    await waitFor('a GAN on 11 points', () => el.gan.info?.config.drawn.length === 11 && el.gan.status === 'ready', 60_000);
    choose(el, 'gan2d-batch', '0');
    await el.updateComplete;
    expect(text(el, 'gan2d-settings-error')).to.contain('gan2d.batch');
    expect(el.gan.info!.config.batch).to.equal(64);
    // Clearing keeps the GAN on its drawing and says so.
    part(el.shadowRoot!, 'gan2d-clear').click();
    await el.updateComplete;
    expect(text(el, 'gan2d-message')).to.contain('keeps the last drawing');
    expect(el.gan.info!.config.drawn).to.have.length(11);
  });

  it('says when training diverges and keeps the last good frame', async () => {
    const el = await lab({ config: 'g=64,64&d=64,64&gopt=sgd&dopt=sgd&glr=1&dlr=1&loss=least_squares&batch=8' });
    await waitFor('a first frame', () => el.gan.frame !== null);
    part(el.shadowRoot!, 'gan2d-toggle').click();
    await waitFor('the divergence', () => el.gan.status === 'error', 60_000);
    expect(text(el, 'gan2d-error'))
      .to.match(/NaN or infinite/)
      .and.contain('last good picture');
    const frame = el.gan.frame!;
    expect([...frame.fake].every(Number.isFinite)).to.equal(true);
  });

  it('pauses while scrolled out of view and plays on when seen again', async () => {
    const el = await lab({ config: SMALL });
    part(el.shadowRoot!, 'gan2d-toggle').click();
    await waitFor('training', () => el.gan.iteration > 0, 30_000);
    const spacer = document.createElement('div');
    spacer.style.height = '20000px';
    el.before(spacer);
    await waitFor('the pause off screen', () => el.gan.status === 'ready', 30_000);
    const paused = el.gan.iteration;
    spacer.remove();
    await waitFor('training again', () => el.gan.status === 'training' && el.gan.iteration > paused, 30_000);
    part(el.shadowRoot!, 'gan2d-toggle').click();
    await waitFor('the pause', () => el.gan.status === 'ready', 30_000);
  });

  it('trains and draws on WebGPU', async () => {
    const el = await lab({ config: SMALL, backend: 'webgpu' });
    expect(text(el, 'gan2d-backend')).to.match(/WebGPU/);
    part(el.shadowRoot!, 'gan2d-step').click();
    await waitFor('iteration 1', () => text(el, 'gan2d-iteration') === '1', 60_000);
    await waitFor('a frame of iteration 1', () => el.gan.frame?.iteration === 1, 60_000);
    await waitFor('the modes covered', () => /^\d+\/8$/.test(text(el, 'gan2d-modes')));
  });
});
