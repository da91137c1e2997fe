// The 2-D lab's status list: backend, iteration, speeds and the figures of the latest frame.
import { html } from 'lit';
import type { Gan2dDataset } from '../../src/gan2d/datasets.ts';
import type { Gan2dController } from './gan2d-controller.ts';

/** Why a data set has no modes to count. */
const NO_MODES: Partial<Record<Gan2dDataset, string>> = {
  line: 'a line has no modes to count',
  circle: 'a circle has no modes to count',
  spiral: 'a spiral has no modes to count',
  drawn: 'a drawing has no modes to count',
};

const fixed = (v: number | undefined, digits = 3) => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));

/** The `gan2d-modes` text: "covered/total", or a dash and the reason there is none. */
export function modesText(g: Gan2dController, dataset: Gan2dDataset): string {
  const modes = g.figures?.modes;
  if (modes) return `${modes.covered}/${modes.total}`;
  return `– (${NO_MODES[dataset] ?? 'not measured yet'})`;
}

/** Backend, iteration, iterations and frames per second, losses, and the frame's KL, JS, modes and quality. */
export function renderFigures(g: Gan2dController, dataset: Gan2dDataset) {
  const last = g.last;
  const f = g.figures;
  return html`
    <dl>
      <dt>Backend</dt>
      <dd data-testid="gan2d-backend">${g.info?.backendLabel ?? (g.status === 'building' ? 'building…' : '–')}</dd>
      <dt>Iteration</dt>
      <dd><span data-testid="gan2d-iteration">${g.iteration}</span></dd>
      <dt>Single-network steps</dt>
      <dd data-testid="gan2d-part-steps">D ${g.partSteps.d}, G ${g.partSteps.g}</dd>
      <dt>Iterations / frames per second</dt>
      <dd data-testid="gan2d-rates">${g.iterationsPerSecond ? g.iterationsPerSecond.toFixed(0) : '–'} / ${g.framesPerSecond || '–'}</dd>
      <dt>D loss / G loss</dt>
      <dd>${last ? `${fixed(last.dLoss)} / ${fixed(last.gLoss)}` : '–'}</dd>
      <dt>D(real) / D(fake)</dt>
      <dd>${last ? `${fixed(last.dReal)} / ${fixed(last.dFake)}` : '–'}</dd>
      <dt>KL(real ‖ fake)</dt>
      <dd data-testid="gan2d-kl">${fixed(f?.kl)}</dd>
      <dt>JS divergence</dt>
      <dd data-testid="gan2d-js">${fixed(f?.js)}</dd>
      <dt>Modes covered</dt>
      <dd data-testid="gan2d-modes">${modesText(g, dataset)}</dd>
      <dt>High-quality share</dt>
      <dd data-testid="gan2d-quality">${f?.quality === null || f?.quality === undefined ? '–' : f.quality.toFixed(2)}</dd>
    </dl>
  `;
}
