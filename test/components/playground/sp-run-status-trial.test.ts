import { expect } from '@esm-bundle/chai';
import '../../../components/playground/sp-run-status.ts';
import type { SpRunStatus } from '../../../components/playground/sp-run-status.ts';
import type { SessionInfo } from '../../../src/train/session.ts';

function info(patch: Partial<SessionInfo>): SessionInfo {
  return {
    backend: 'cpu',
    backendLabel: 'CPU (WebAssembly SIMD, float32)',
    fallbackReason: null,
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
});
