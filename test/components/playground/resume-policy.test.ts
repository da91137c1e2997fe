import { expect } from '@esm-bundle/chai';
import { nextResume, RESUME_WINDOW_MS } from '../../../components/playground/resume-policy.ts';

describe('resuming after lost devices', () => {
  it('waits 1, 2 and 4 s for the first three losses in a minute, then asks for a click', () => {
    let losses: number[] = [];
    const delays: (number | null)[] = [];
    for (const t of [0, 5000, 9000, 12000]) {
      const next = nextResume(losses, t);
      losses = next.losses;
      delays.push(next.delayMs);
    }
    expect(delays).to.deep.equal([1000, 2000, 4000, null]);
  });

  it('forgets losses older than the window', () => {
    const next = nextResume([0, 1000, 2000], RESUME_WINDOW_MS + 2500);
    expect(next.losses).to.deep.equal([RESUME_WINDOW_MS + 2500]);
    expect(next.delayMs).to.equal(1000);
  });
});
