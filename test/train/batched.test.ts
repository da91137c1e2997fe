import { expect } from '@esm-bundle/chai';
import { createGpuBatchBackend } from '../../src/gpu/gpu-backend.ts';
import type { OptimizerKind } from '../../src/nn/optimizer.ts';
import { BatchTrainer } from '../../src/train/batch-trainer.ts';
import type { ModelRun } from '../../src/train/model-run.ts';
import { batchOf, referenceEngine, stepLosses, trainBatch, type Engine, type Member } from '../helpers/batch-members.ts';
import { testGpu } from '../helpers/gpu.ts';
import { expectClose } from '../helpers/tolerance.ts';

const webgpu: Engine = async (setup) => createGpuBatchBackend(await testGpu(), setup);
const KINDS: OptimizerKind[] = ['sgd', 'momentum', 'adam', 'adamw'];

/** N members with log-spaced rates, every optimizer kind, dropout on some, a smaller batch on one, class weights on one. */
function sweep(n: number): Member[] {
  return Array.from({ length: n }, (_, z) => ({
    kind: KINDS[z % 4]!,
    lr: 10 ** (-3 + (2 * z) / Math.max(1, n - 1)),
    seed: 100 + z,
    epochs: 2 + (z % 3),
    ...(z % 5 === 1 ? { dropout: [0.3, 0.1] } : {}),
    ...(z % 7 === 3 ? { batch: 8 } : {}),
    ...(z % 11 === 2 ? { classWeights: [1, 2, 0.5] } : {}),
  }));
}

/** The sweep plus one member that early-stops and one whose rate overflows even float64 (it diverges on both engines). */
function withEnds(members: Member[]): Member[] {
  return [...members, { kind: 'adam', lr: 0.05, seed: 7, epochs: 30, earlyStopping: true }, { kind: 'sgd', lr: 1e200, seed: 8, epochs: 3 }];
}

describe('batched training: model z of a batch is the same run as that configuration alone', () => {
  for (const n of [1, 3, 7]) {
    it(`float64 reference, N = ${n + 2}: bit for bit, with an early-stopping and a diverging member`, async () => {
      const members = withEnds(sweep(n));
      const runs = await trainBatch(referenceEngine, members);
      for (const [z, m] of members.entries()) {
        const [alone] = await trainBatch(referenceEngine, [m]);
        expect(stepLosses(runs[z]!), `member ${z}`).to.deep.equal(stepLosses(alone!));
        expect(runs[z]!.status).to.equal(alone!.status);
      }
      const [stopper, diverged] = runs.slice(-2) as [ModelRun, ModelRun];
      expect(stopper.status).to.equal('early-stopped');
      expect(stopper.history.length).to.be.lessThan(30);
      expect(diverged.status).to.equal('diverged');
      expect(diverged.divergence!.what).to.equal('loss');
      // The others ran all their epochs.
      runs.slice(0, n).forEach((r, z) => expect(r.history.length, `member ${z} epochs`).to.equal(members[z]!.epochs));
    });
  }

  for (const n of [1, 3, 7, 64]) {
    it(`WebGPU, N = ${n + 2}: the same as alone on WebGPU, and within float32 tolerance of the reference`, async () => {
      const members = withEnds(sweep(n));
      const runs = await trainBatch(webgpu, members);
      const check = n <= 7 ? members.map((_, z) => z) : [0, 1, 2, 3, 31, 63, n, n + 1];
      for (const z of check) {
        const m = members[z]!;
        const [aloneGpu] = await trainBatch(webgpu, [m]);
        // The same kernels sum in the same order whatever the model index.
        expect(stepLosses(runs[z]!), `member ${z} against itself alone`).to.deep.equal(stepLosses(aloneGpu!));
        if (runs[z]!.status === 'diverged') continue;
        const [aloneRef] = await trainBatch(referenceEngine, [m]);
        // f32 against float64 over at most 30 epochs of 6 steps: 1e-4 + 1e-3·|want| per step loss.
        expectClose(stepLosses(runs[z]!), stepLosses(aloneRef!), 1e-4, 1e-3, `member ${z} (${m.kind}, lr ${m.lr.toExponential(1)}) against the reference`);
      }
      expect(runs[n]!.status).to.equal('early-stopped');
      expect(runs[n + 1]!.status).to.equal('diverged');
    });
  }

  it('a stopped member sits out: its parameters do not change while the others train on', async () => {
    const members: Member[] = [
      { kind: 'adam', lr: 0.01, seed: 1, epochs: 1 },
      { kind: 'adam', lr: 0.01, seed: 2, epochs: 4 },
    ];
    const { setup, plans, params } = batchOf(members);
    const backend = await webgpu(setup);
    const trainer = new BatchTrainer(backend, plans, { stepsPerSubmit: 16, classification: true, onDivergence: 'stop' }, params);
    trainer.runs.forEach((r, z) => (r.target = members[z]!.epochs));
    await trainer.train();
    const afterFirst = await backend.readParams(0);
    const [alone] = await trainBatch(webgpu, [members[0]!]);
    expect(stepLosses(trainer.runs[0]!)).to.deep.equal(stepLosses(alone!));
    expect(trainer.runs[1]!.history.length).to.equal(4);
    // Model 0 stopped after epoch 1; three more epochs of model 1 left it untouched.
    const { setup: s0, plans: p0, params: i0 } = batchOf([members[0]!]);
    const single = await webgpu(s0);
    const t0 = new BatchTrainer(single, p0, { stepsPerSubmit: 16, classification: true, onDivergence: 'stop' }, i0);
    t0.runs[0]!.target = 1;
    await t0.train();
    expect([...afterFirst]).to.deep.equal([...(await single.readParams(0))]);
    single.dispose();
    backend.dispose();
  });
});

describe('submits across epochs', () => {
  for (const [name, engine] of [
    ['reference', referenceEngine],
    ['WebGPU', webgpu],
  ] as const) {
    it(`${name}: submits that cross epochs (validation scored inside them) train the same bits as submits cut at every epoch`, async () => {
      const members = [...sweep(3), { kind: 'adam' as const, lr: 0.01, seed: 9, epochs: 5, batch: 8 }];
      const runs = async (crossEpochs: boolean) => {
        const { setup, plans, params } = batchOf(members);
        const backend = await engine(setup);
        const calls: number[] = [];
        const run = backend.runSteps.bind(backend);
        backend.runSteps = (chunk) => (calls.push(chunk.steps), run(chunk));
        const trainer = new BatchTrainer(backend, plans, { stepsPerSubmit: 16, classification: true, onDivergence: 'stop', crossEpochs }, params);
        trainer.runs.forEach((r, z) => (r.target = members[z]!.epochs));
        await trainer.train();
        backend.dispose();
        return { runs: trainer.runs, calls };
      };
      const [cut, crossed] = [await runs(false), await runs(true)];
      expect(crossed.calls.length, 'fewer submits').to.be.lessThan(cut.calls.length);
      crossed.runs.forEach((r, z) => {
        expect(stepLosses(r), `member ${z} step losses`).to.deep.equal(stepLosses(cut.runs[z]!));
        expect(r.history, `member ${z} epoch records`).to.deep.equal(cut.runs[z]!.history);
      });
    });
  }
});
