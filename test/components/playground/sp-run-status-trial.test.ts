import { expect } from '@esm-bundle/chai';
import '../../../components/playground/sp-run-status.ts';
import type { SpRunStatus } from '../../../components/playground/sp-run-status.ts';
import type { SessionInfo } from '../../../src/train/session.ts';

function info(patch: Partial<SessionInfo>): SessionInfo {
  return {
    backend: 'cpu',
    backendLabel: 'CPU (WebAssembly SIMD, float32)',
    fallbackReason: null,
    backendState: 'cpu',
    backendNote: null,
    backendTrial: null,
    spec: { inputSize: 4, hidden: [], outputSize: 3, loss: 'softmax_ce' },
    parameterCount: 15,
    stepsPerEpoch: 3,
    rows: { train: 96, validation: 24, test: 30 },
    classNames: ['a', 'b', 'c'],
    featureNames: ['w', 'x', 'y', 'z'],
    labels: { validation: new Uint32Array(0), test: new Uint32Array(0) },
    points: null,
    synthetic: null,
    task: 'classification',
    regression: null,
    ...patch,
  };
}

describe("<sp-run-status>: Auto's trial beside the backend", () => {
  it('shows both figures and the choice, and keeps the backend text as it was', async () => {
    const el = document.createElement('sp-run-status') as SpRunStatus;
    document.body.append(el);
    el.info = info({
      backendTrial: { ms: { webgpu: 0.94, cpu: 0.59 }, choice: 'cpu', hint: 'cpu', cached: false, summary: 'WebGPU 0.94 ms/step, CPU 0.59 ms/step → CPU' },
    });
    await el.updateComplete;
    const text = (id: string) => el.shadowRoot!.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() ?? null;
    expect(text('backend')).to.equal('CPU (WebAssembly SIMD, float32)');
    expect(text('backend-trial')).to.equal('WebGPU 0.94 ms/step, CPU 0.59 ms/step → CPU');
    // A forced backend (or no WebGPU) has no trial line.
    el.info = info({});
    await el.updateComplete;
    expect(text('backend-trial')).to.equal(null);
    el.remove();
  });

  it('names the state of the backend and says what Auto does behind the CPU, then what it found', async () => {
    const el = document.createElement('sp-run-status') as SpRunStatus;
    document.body.append(el);
    const backend = () => el.shadowRoot!.querySelector('[data-testid="backend"]')!;
    const note = () => el.shadowRoot!.querySelector('[data-testid="backend-note"]')?.textContent?.trim() ?? null;
    await el.updateComplete;
    expect(backend().hasAttribute('data-state')).to.equal(false);
    el.info = info({ backendState: 'trial', backendNote: 'CPU now, trying WebGPU…' });
    await el.updateComplete;
    expect(backend().getAttribute('data-state')).to.equal('trial');
    expect(note()).to.equal('CPU now, trying WebGPU…');
    el.info = info({ backend: 'webgpu', backendLabel: 'WebGPU · test', backendState: 'webgpu', backendNote: 'WebGPU, 2.3× faster than the CPU here.' });
    await el.updateComplete;
    expect(backend().getAttribute('data-state')).to.equal('webgpu');
    expect(backend().textContent!.trim()).to.equal('WebGPU · test');
    expect(note()).to.equal('WebGPU, 2.3× faster than the CPU here.');
    el.remove();
  });
});
