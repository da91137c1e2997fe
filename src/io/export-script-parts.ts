// Small pieces of text every exported script shares: section banners and the note on which
// settings keep a run exact.

/** A section banner comment. */
export function sectionTitle(title: string): string {
  return `
# ---------------------------------------------------------------------------
# ${title}
# ---------------------------------------------------------------------------`;
}

/** The docstring paragraph on exactness of the classifier scripts. */
export function exactnessNotes(): string {
  return `
What stays exact: the rows of each split (the playground's generators and seeded split are
reimplemented here; DATA_FINGERPRINT checks them), the initial weights (--init, or the same values
computed from SEED), the batch order (the playground's random generator), the loss (class
weights normalized by the row count), the optimizer, the learning-rate schedule, resampling,
early stopping, and dropout, jitter and image augmentation (the playground's hash, so the same
masks and draws). One process or several under torchrun take the same steps. What differs is
float32 rounding: the playground's GPU sums in another order and its CPU fallback is float64,
so curves agree to about 1e-6 relative; --check allows CHECK_RTOL. What is left out, if
anything, is listed in LEFT_OUT below and printed when the script runs.
`;
}
