/** Where a run stands at one render, as far as a screen-reader announcement cares. */
export interface RunMoment {
  status: 'idle' | 'building' | 'ready' | 'training' | 'error';
  /** Epochs (or GAN iterations) done, and how many the run was asked for. */
  done: number;
  target: number;
  /** "epoch" or "iteration". */
  unit: string;
  /** The latest loss, if any, and what it is called ("train loss", "D loss"). */
  loss: { name: string; value: number } | null;
  /** A non-fatal notice (a rolled-back divergence says "diverged"), or the error. */
  notice: string | null;
  error: string | null;
  /** Early stopping ended the run. */
  stoppedEarly: boolean;
}

/**
 * What a polite live region says when a run stops: finished, finished early, diverged, paused or
 * failed. It speaks only when training ends (never once per epoch), so it cannot flood a
 * screen reader; null means "say nothing new".
 */
export function runAnnouncement(before: RunMoment['status'], now: RunMoment): string | null {
  if (before !== 'training' || now.status === 'training' || now.status === 'building') return null;
  const loss = now.loss && Number.isFinite(now.loss.value) ? `, ${now.loss.name} ${now.loss.value.toPrecision(3)}` : '';
  if (now.status === 'error') return `Training stopped: ${now.error ?? 'an error'}`;
  if (now.notice && /diverge/i.test(now.notice)) return /^Training diverged/.test(now.notice) ? now.notice : `Training diverged: ${now.notice}`;
  if (now.stoppedEarly) return `Training finished early at ${now.unit} ${now.done}${loss}. ${now.notice ?? ''}`.trim();
  if (now.done >= now.target) return `Training finished: ${now.unit} ${now.done} of ${now.target}${loss}.`;
  return `Training paused at ${now.unit} ${now.done}${loss}.`;
}
