import { batchOfOne, type BackendSetup } from '../train/training-backend.ts';
import { ModelView } from '../train/model-view.ts';
import { ReferenceBackend } from './reference-backend.ts';
import type { ReferenceModel } from './model.ts';

/**
 * One model on the float64 reference: the oracle of kernel tests and of the shader explorer's
 * reference checks. Gradient checks reach into its model (`params`, `gradients`).
 */
export class CpuBackend extends ModelView<ReferenceBackend> {
  constructor(setup: BackendSetup) {
    super(new ReferenceBackend(batchOfOne(setup)));
  }

  /** The reference model behind the view. */
  get model(): ReferenceModel {
    return this.batch.members[0]!;
  }

  /** The live float64 parameter arena; gradient checks perturb it in place. */
  get params(): Float64Array {
    return this.model.params;
  }

  set params(p: Float64Array) {
    this.model.params = p;
  }

  /** Layer outputs for a batch: outputs[0] is the input, outputs[L] the logits. */
  forward(x: Float64Array, rows: number): Float64Array[] {
    return this.model.forward(x, rows);
  }

  /** Gradient arena of the mean loss over `indices` and the loss result itself. */
  gradients(indices: ArrayLike<number>, rows: number): { grads: Float64Array; lossSum: number; correct: number } {
    return this.model.gradients(indices, rows);
  }
}
