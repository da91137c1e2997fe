// Runs the chaos test by hand, longer than CI and with fresh seeds (or one seed to replay):
//
//   npm run chaos -- --seeds 5                 five fresh seeds, 300 actions per page × backend
//   npm run chaos -- --seed 1234 --page blog --backend cpu --actions 300    replays one run
//   (--then webgpu: switch every widget to that backend halfway, as the CI runs do)
//
// Prints each run's summary and, on a failure, the seed and the action log.
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { openBrowser } from '../test/e2e/browser.mjs';
import { runChaos } from '../test/e2e/chaos-run.mjs';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '1' },
    seed: { type: 'string' },
    actions: { type: 'string', default: '300' },
    page: { type: 'string' },
    backend: { type: 'string' },
    then: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});
const actions = Number(values.actions);
const seeds = values.seed !== undefined ? [Number(values.seed)] : Array.from({ length: Number(values.seeds) }, () => randomInt(1, 2 ** 31));
const kinds = values.page ? [values.page] : ['playground', 'blog'];
const backends = values.backend ? [values.backend] : ['webgpu', 'cpu'];

const env = await openBrowser();
let survived = 0;
let failed = 0;
try {
  for (const seed of seeds) {
    for (const kind of kinds) {
      for (const backend of backends) {
        try {
          const then = values.then ?? null;
          const r = await runChaos({
            browser: env.browser,
            baseUrl: env.server.url,
            seed,
            kind,
            backend,
            then,
            actions,
            onLog: values.verbose ? (l) => console.log(l) : undefined,
            traceMemory: values.verbose,
          });
          survived += r.actions;
          console.log(`ok   seed ${seed} ${kind} ${backend}: ${r.actions} actions (${r.noops} found nothing to do) in ${r.seconds.toFixed(0)} s`);
        } catch (e) {
          failed++;
          console.log(`FAIL seed ${seed} ${kind} ${backend}\n${e.message}`);
        }
      }
    }
  }
} finally {
  await env.close();
}
console.log(`${survived} actions survived in ${seeds.length * kinds.length * backends.length - failed} passing runs; ${failed} runs failed`);
process.exitCode = failed ? 1 : 0;
