import { lossPass } from '../../src/cpu/loss.ts';
import { Rng } from '../../src/nn/rng.ts';
import type { LossHead } from '../../src/nn/spec.ts';
import { lossForward } from '../../src/reference/loss.ts';
import { expect } from '@esm-bundle/chai';
import { expectClose, randomArray } from '../helpers/tolerance.ts';

const CASES: [LossHead, number, number[] | null, string][] = [
  ['softmax_ce', 3, null, ''],
  ['softmax_ce', 5, [1, 3, 0.5, 2, 0.25], ', class weights'],
  ['sigmoid_bce', 1, null, ''],
  ['sigmoid_bce', 1, [0.3, 2], ', class weights'],
  ['mse', 2, null, ''],
  ['least_squares', 1, null, ''],
  ['least_squares', 1, [0.3, 2], ', class weights'],
];

describe('CPU loss pass against the float64 reference', () => {
  for (const [kind, width, weights, what] of CASES) {
    for (const rows of [1, 7, 33]) {
      it(`${kind}${what}: ${rows} rows`, () => {
        const rng = new Rng(rows * 7 + width);
        const logits = randomArray(rng, rows * width, -4, 4);
        const targets =
          kind === 'mse'
            ? randomArray(rng, rows * width)
            : Float32Array.from({ length: rows }, () => rng.int(kind === 'sigmoid_bce' || kind === 'least_squares' ? 2 : width));
        const want = lossForward(kind, logits, targets, rows, width, weights);
        const grad = new Float32Array(rows * width);
        const outputs = new Float32Array(rows * width);
        const got = lossPass(kind, logits, targets, rows, width, weights, { grad, outputs });
        // float64 arithmetic on the same float32 logits, stored as float32.
        expectClose([got.lossSum], [want.lossSum], 1e-9, 1e-9, 'loss sum');
        expect(got.correct).to.equal(want.correct);
        expectClose([got.positiveScore, got.negativeScore], [want.positiveScore, want.negativeScore], 1e-9, 1e-9, 'Σp split');
        expectClose(grad, want.grad, 1e-7, 1e-6, 'gradient');
        expectClose(outputs, want.outputs, 1e-7, 1e-6, 'outputs');
        // Predictions: outputs only, no targets.
        const only = new Float32Array(rows * width);
        expect(lossPass(kind, logits, null, rows, width, weights, { outputs: only }).lossSum).to.equal(0);
        expectClose(only, want.outputs, 1e-7, 1e-6, 'predicted outputs');
      });
    }
  }
});

describe('CPU loss pass with per-row weights against the float64 reference', () => {
  for (const [kind, width, weights, what] of CASES) {
    it(`${kind}${what}, row weights with a zero: 29 rows`, () => {
      const rows = 29;
      const rng = new Rng(width + 3);
      const logits = randomArray(rng, rows * width, -4, 4);
      const targets =
        kind === 'mse'
          ? randomArray(rng, rows * width)
          : Float32Array.from({ length: rows }, () => rng.int(kind === 'sigmoid_bce' || kind === 'least_squares' ? 2 : width));
      const rowWeights = Float32Array.from({ length: rows }, (_, r) => (r % 5 === 2 ? 0 : 0.1 + 3 * rng.uniform()));
      const want = lossForward(kind, logits, targets, rows, width, weights, rowWeights);
      const grad = new Float32Array(rows * width);
      const got = lossPass(kind, logits, targets, rows, width, weights, { grad }, rowWeights);
      expectClose([got.lossSum], [want.lossSum], 1e-9, 1e-9, 'loss sum');
      expectClose(grad, want.grad, 1e-7, 1e-6, 'gradient');
      // A row of weight 0 gets no gradient; weights of all ones are no weights at all.
      expect([...grad.subarray(2 * width, 3 * width)].every((g) => g === 0)).to.equal(true);
      const ones = new Float32Array(rows * width);
      const plain = new Float32Array(rows * width);
      const a = lossPass(kind, logits, targets, rows, width, weights, { grad: ones }, new Float32Array(rows).fill(1));
      const b = lossPass(kind, logits, targets, rows, width, weights, { grad: plain });
      expect(a.lossSum).to.equal(b.lossSum);
      expect([...ones]).to.deep.equal([...plain]);
    });
  }
});
