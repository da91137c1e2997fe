/**
 * The per-model state words every training kernel reads, laid out once here.
 *
 * Model z's words start at z·stateStride: [t, slot, dropout seed, augment seed, rows of slot 0,
 * rows of slot 1, ...]. `t` counts the model's optimizer steps (the loss kernel advances it in
 * train mode when the slot has rows); `slot` is the step within the current submit (the loss
 * kernel advances it); the seeds feed the counter-based hashes of dropout and augmentation; a
 * slot with 0 rows means the model sits that step out (it stopped, or its epochs are done).
 */
export interface StateLayout {
  /** Slots per model (steps per submit, or evaluation chunks): the stride of indices and metrics. */
  slots: number;
  /** u32 words per model in the state buffer: STATE_HEADER_WORDS + slots. */
  stateStride: number;
}

/** Words before the per-slot row counts: t, slot, dropout seed, augment seed. */
export const STATE_HEADER_WORDS = 4;

/** The state layout for `slots` slots per model. */
export function stateLayout(slots: number): StateLayout {
  return { slots, stateStride: STATE_HEADER_WORDS + slots };
}

/** Per-model seeds of the hashes (dropout masks, augmentation draws). */
export interface ModelSeeds {
  dropout: number;
  augment: number;
}

/**
 * The whole state buffer at the start of a submit: each model's t, slot 0, its seeds and the rows
 * of each slot (`rows[z·slots + s]`, fewer slots than the layout's may be given).
 */
export function packState(layout: StateLayout, t: ArrayLike<number>, seeds: readonly ModelSeeds[], rows: ArrayLike<number>, slotsUsed: number): Uint32Array {
  const models = seeds.length;
  const words = new Uint32Array(models * layout.stateStride);
  for (let z = 0; z < models; z++) {
    const o = z * layout.stateStride;
    words[o] = t[z]!;
    words[o + 2] = seeds[z]!.dropout >>> 0;
    words[o + 3] = seeds[z]!.augment >>> 0;
    for (let s = 0; s < slotsUsed; s++) words[o + STATE_HEADER_WORDS + s] = rows[z * slotsUsed + s]!;
  }
  return words;
}
