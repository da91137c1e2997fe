import { expect } from '@esm-bundle/chai';
import { ShaderExplorer } from '../../src/explorer/explorer.ts';
import { StepProfiler } from '../../src/explorer/profiler.ts';
import { explorerGpu } from './helpers.ts';

describe('StepProfiler', () => {
  it('returns a time for every kernel of the step (timestamp-query where the device has it)', async () => {
    const ctx = await explorerGpu();
    const explorer = await ShaderExplorer.create(ctx);
    try {
      for (let i = 0; i < 3; i++) await explorer.trainSteps(8);
      const report = await explorer.profile();
      expect(report.method).to.equal(ctx.device.features.has('timestamp-query') ? 'timestamp-query' : 'cpu');
      expect(report.kernels.map((k) => k.label)).to.deep.equal(explorer.backend.batch.stepDispatches.map((d) => d.label));
      for (const k of report.kernels) {
        expect(k.samples, k.label).to.equal(24);
        expect(Number.isFinite(k.meanUs) && k.meanUs >= 0, `${k.label}: ${k.meanUs}`).to.equal(true);
      }
      expect(report.steps).to.equal(24);
      if (report.stepUs > 0) expect(report.kernels.reduce((s, k) => s + k.share, 0)).to.be.closeTo(1, 1e-9);
      expect(report.description).to.match(/timestamp|CPU/);
    } finally {
      explorer.dispose();
    }
  });

  it('falls back to CPU-side timing per dispatch, labelled as such', async () => {
    const ctx = await explorerGpu();
    const explorer = await ShaderExplorer.create(ctx);
    try {
      explorer.profiler.detach();
      const cpu = new StepProfiler(ctx.device, explorer.backend.batch, 16, 'cpu');
      cpu.attach();
      await explorer.trainSteps(4);
      await cpu.flush();
      const report = cpu.report();
      expect(report.method).to.equal('cpu');
      expect(report.description).to.match(/CPU-side timing/);
      for (const k of report.kernels) expect(k.meanUs, k.label).to.be.greaterThan(0);
      cpu.destroy();
    } finally {
      explorer.dispose();
    }
  });

  it('keeps a window of the last N steps', async () => {
    const ctx = await explorerGpu();
    const explorer = await ShaderExplorer.create(ctx);
    try {
      explorer.profiler.detach();
      const p = new StepProfiler(ctx.device, explorer.backend.batch, 5);
      p.attach();
      await explorer.trainSteps(8);
      await p.flush();
      expect(p.report().kernels.every((k) => k.samples === 5)).to.equal(true);
      p.destroy();
    } finally {
      explorer.dispose();
    }
  });

  it('timing each dispatch in its own pass leaves the losses bit-identical', async () => {
    const ctx = await explorerGpu();
    const [timed, plain] = [await ShaderExplorer.create(ctx), await ShaderExplorer.create(ctx)];
    try {
      plain.profiler.detach();
      const a = [...(await timed.trainSteps(12)), ...(await timed.trainSteps(12))].map((m) => m.loss);
      const b = [...(await plain.trainSteps(12)), ...(await plain.trainSteps(12))].map((m) => m.loss);
      expect(a).to.deep.equal(b);
    } finally {
      timed.dispose();
      plain.dispose();
    }
  });
});
