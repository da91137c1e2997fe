import type { ModelRun } from './model-run.ts';

/** A model's part of a submit: its steps, and the epochs that end inside them. */
export interface Part {
  model: number;
  steps: number;
  /** Epochs (0-based) ending after the step at each index of this model's steps. */
  ends: Map<number, number>;
}

/** The arrays of one submit ([models, steps, ...], see BatchChunk) that each model's part fills. */
export interface SubmitArrays {
  batchIndices: Uint32Array;
  rows: Uint32Array;
  rates: Float64Array;
  validateAfter: Uint8Array;
  cap: number;
}

/**
 * Takes up to `steps` of model z's next steps (run `r`) into a submit of `steps` steps per model,
 * across its epochs' ends: its rows, learning rates and the steps after which its validation rows
 * are scored.
 */
export function takeSteps(r: ModelRun, z: number, steps: number, into: SubmitArrays): Part {
  const b = r.plan.batchSize;
  const want = Math.min(steps, r.stepsToTarget);
  const part: Part = { model: z, steps: 0, ends: new Map() };
  while (part.steps < want) {
    const { chunk, epoch, endsEpoch } = r.schedule.next(want - part.steps);
    const rate = r.scheduled ? r.learningRateAt(epoch)! : NaN;
    for (let s = 0; s < chunk.rows.length; s++) {
      const at = z * steps + part.steps + s;
      into.rows[at] = chunk.rows[s]!;
      into.rates[at] = rate;
      into.batchIndices.set(chunk.batchIndices.subarray(s * b, s * b + chunk.rows[s]!), at * into.cap);
    }
    part.steps += chunk.rows.length;
    if (endsEpoch) {
      part.ends.set(part.steps - 1, epoch);
      if (r.plan.validation.length > 0) into.validateAfter[z * steps + part.steps - 1] = 1;
    }
  }
  r.submitted += part.steps;
  return part;
}
