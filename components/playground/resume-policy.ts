/** Automatic resumes after lost devices within RESUME_WINDOW_MS before asking for a click. */
export const AUTO_RESUMES = 3;
export const RESUME_WINDOW_MS = 60_000;

/**
 * Backoff after a lost GPU device: given the times of earlier losses and now, the losses to
 * remember and how long to wait before resuming by itself (1, 2, then 4 s), or null when it has
 * happened too often in a minute and a person should decide.
 */
export function nextResume(losses: number[], now: number): { losses: number[]; delayMs: number | null } {
  const recent = [...losses.filter((t) => now - t < RESUME_WINDOW_MS), now];
  return { losses: recent, delayMs: recent.length > AUTO_RESUMES ? null : 1000 * 2 ** (recent.length - 1) };
}
