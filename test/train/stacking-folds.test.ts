import { expect } from '@esm-bundle/chai';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../src/config/experiment.ts';
import { loadExperimentData } from '../../src/data/load.ts';
import { foldMembers } from '../../src/train/multi-run.ts';
import { checkNoLeakage, fullDataMatrix, outOfFoldMatrix, stackingPlan, type StackingMember, type StackingPlan } from '../../src/train/stacking-folds.ts';

/** 60 dataset rows of 3 classes; the pool (training ∪ validation) is every row but the test rows. */
const labels = Uint32Array.from({ length: 60 }, (_, i) => (i * 7) % 3);
const testRows = Uint32Array.from([2, 11, 17, 30, 41, 58]);
const pool = Uint32Array.from({ length: 60 }, (_, i) => i).filter((r) => !testRows.includes(r));
const CLASSES = 3;

/**
 * A model that memorizes: for a row it trained on it gives probability 1 to the true class, for
 * any other row 1/K to each. An out-of-fold matrix built from such models shows a leak as a 1.
 */
function memorizer(member: StackingMember, rows: ArrayLike<number>): Float32Array {
  const trained = new Set(member.train);
  const out = new Float32Array(rows.length * CLASSES).fill(1 / CLASSES);
  Array.from(rows).forEach((r, i) => {
    if (!trained.has(r)) return;
    out.fill(0, i * CLASSES, (i + 1) * CLASSES);
    out[i * CLASSES + labels[r]!] = 1;
  });
  return out;
}

function memorizedOutOfFold(plan: StackingPlan): Float32Array {
  return outOfFoldMatrix(
    plan,
    plan.members.map((m) => memorizer(m, m.predict)),
    CLASSES,
  );
}

describe('stacking folds', () => {
  it('plans k folds per base learner and one full-data member each, learner-major', () => {
    const plan = stackingPlan(pool, labels, 3, 5, 42, testRows);
    expect(plan.members.length).to.equal(3 * 6);
    plan.members.forEach((m, j) => {
      expect(m.learner).to.equal(Math.floor(j / 6));
      expect(m.fold).to.equal(j % 6 === 5 ? null : j % 6);
    });
    // Every learner uses the same folds.
    for (let f = 0; f < 5; f++) expect([...plan.members[6 + f]!.predict]).to.deep.equal([...plan.members[f]!.predict]);
    // A fold member trains on exactly the pool's other rows.
    for (const m of plan.members.filter((x) => x.fold !== null)) expect(m.train.length + m.predict.length).to.equal(pool.length);
    expect([...plan.members[5]!.train]).to.deep.equal([...pool]);
  });

  it('never lets a model predict a row it trained on: memorizing models give only 1/K out of fold', () => {
    for (const [learners, k, seed] of [
      [1, 2, 1],
      [3, 5, 42],
      [8, 16, 7],
    ] as const) {
      const plan = stackingPlan(pool, labels, learners, k, seed, testRows);
      const matrix = memorizedOutOfFold(plan);
      expect(matrix.length).to.equal(pool.length * learners * CLASSES);
      expect(
        matrix.every((p) => Math.abs(p - 1 / CLASSES) < 1e-7),
        `${learners} learners, ${k} folds`,
      ).to.equal(true);
    }
  });

  it('a deliberately leaky plan is refused, and the memorizers would have shown the leak', () => {
    const plan = stackingPlan(pool, labels, 2, 4, 3);
    // Fold member 1 of learner 1 also trains on one of the rows it predicts.
    const leaky = structuredClone(plan);
    const m = leaky.members[5 + 1]!;
    m.train = Uint32Array.from([...m.train, m.predict[0]!]).sort();
    expect(() => checkNoLeakage(leaky)).to.throw(/leak: member 6 .*learner 1, fold 1.* predicts row/);
    expect(() => memorizedOutOfFold(leaky)).to.throw(/leak/);
    // Without the check, the leaked row's columns for learner 1 would be a one-hot, not 1/K.
    expect(Math.max(...memorizer(m, [m.predict[0]!]))).to.equal(1);
    // A row that no fold predicts is refused too (the meta-learner would have no features for it).
    const missing = structuredClone(plan);
    missing.members[1]!.predict = missing.members[1]!.predict.slice(1);
    expect(() => checkNoLeakage(missing)).to.throw(/0 times out of fold/);
  });

  it('puts each learner’s out-of-fold probabilities in its own columns, row for row', () => {
    const plan = stackingPlan(pool, labels, 2, 3, 9);
    // Member j predicts, for row r, probabilities that encode (learner, row).
    const predictions = plan.members.map((m) =>
      Float32Array.from({ length: m.predict.length * CLASSES }, (_, i) => m.learner * 1000 + m.predict[Math.floor(i / CLASSES)]! + (i % CLASSES) / 10),
    );
    const matrix = outOfFoldMatrix(plan, predictions, CLASSES);
    plan.rows.forEach((r, i) => {
      for (let m = 0; m < 2; m++)
        for (let c = 0; c < CLASSES; c++) expect(matrix[i * 2 * CLASSES + m * CLASSES + c]).to.be.closeTo(m * 1000 + r + c / 10, 1e-3);
    });
    const test = fullDataMatrix([new Float32Array([0.1, 0.2, 0.7, 1, 0, 0]), new Float32Array([0.3, 0.3, 0.4, 0, 1, 0])], 2, CLASSES);
    expect([...test].map((x) => Math.round(x * 10) / 10)).to.deep.equal([0.1, 0.2, 0.7, 0.3, 0.3, 0.4, 1, 0, 0, 0, 1, 0]);
  });

  it('refuses bad input with a message', () => {
    expect(() => stackingPlan(pool, labels, 2, 5, 1, [0, 1])).to.throw(/test row 0 is also a stacking row/);
    expect(() => stackingPlan(pool, labels, 0, 5, 1)).to.throw(/at least one base learner/);
    expect(() => stackingPlan([0, 1, 2, 3], labels, 1, 3, 1)).to.throw(/class \d has/);
    expect(() => stackingPlan([0, 0, 1], labels, 1, 2, 1)).to.throw(/twice/);
  });
  it("uses cross-validation's folds: the same seed and k hold out the same rows", async () => {
    const config: ExperimentConfig = { ...DEFAULT_EXPERIMENT, dataset: { name: 'spiral', size: 150, noise: 0.2, imbalance: 0.6, classes: 3 }, seed: 12 };
    const data = await loadExperimentData(config);
    const dev = [...data.splits.train, ...data.splits.validation];
    const plan = stackingPlan(dev, data.table.labels, 2, 4, config.seed, data.splits.test);
    const cv = foldMembers(config, data, 4, false);
    cv.forEach((m, f) => {
      expect([...plan.members[f]!.predict], `fold ${f} held out`).to.deep.equal([...m.data.splits.validation]);
      expect([...plan.members[f]!.train], `fold ${f} trained`).to.deep.equal([...m.data.splits.train]);
    });
  });
});
