// Issue 21's chaos test in CI: 80 seeded random actions (train, pause, step, reset, settings
// through the UI and through attributes, pin, cross-validate and cancel, hide and show the tab,
// move, remove and re-add), 40 on the playground page and 40 on a post with three widgets, each
// run on WebGPU and on the CPU reference. A failure prints the seed and the action log;
// CHAOS_SEED replays it, CHAOS_ACTIONS sets the actions per page. The soak, 300 actions per page
// and backend with fresh seeds, is `npm run chaos -- --seeds 5` (not part of npm test: minutes).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openBrowser } from './browser.mjs';
import { runChaos } from './chaos-run.mjs';

const SEED = Number(process.env.CHAOS_SEED ?? 21);
const ACTIONS_PER_RUN = Number(process.env.CHAOS_ACTIONS ?? 40);

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => {
  await env?.close();
});

// Each run starts its widgets on one backend and switches them to the other halfway, through the
// UI on the playground and the `config` attribute on the post: both backends on both pages, with
// two page set-ups instead of four.
const RUNS = [
  { kind: 'playground', backend: 'webgpu', then: 'cpu', actions: ACTIONS_PER_RUN },
  { kind: 'blog', backend: 'cpu', then: 'webgpu', actions: ACTIONS_PER_RUN },
];

RUNS.forEach((run, i) => {
  test(`chaos: ${run.actions} random actions on the ${run.kind} page, ${run.backend} then ${run.then} (seed ${SEED + i})`, async () => {
    const result = await runChaos({ browser: env.browser, baseUrl: env.server.url, seed: SEED + i, ...run });
    assert.equal(result.actions, run.actions);
  });
});
