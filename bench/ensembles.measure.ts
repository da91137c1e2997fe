// Measures what the README's ensembles section reports: test accuracy of a single model, bagging,
// boosting and stacking at the page's defaults, on Iris and on spiral, over a few seeds (CPU
// backend, deterministic). Not part of the test suite (it trains for minutes): run it with
//   npx web-test-runner bench/ensembles.measure.ts
import { DEFAULT_DATASET, DEFAULT_EXPERIMENT, type ExperimentConfig } from '../src/config/experiment.ts';
import { boostingRun, DEFAULT_BOOST, DEFAULT_STACK, stackingRun } from '../src/config/ensembles.ts';
import { loadExperimentData } from '../src/data/load.ts';
import { acquireGpu, type GpuContext } from '../src/gpu/device.ts';
import { boost } from '../src/train/boosting.ts';
import { trainEnsemble } from '../src/train/multi-run.ts';
import { stack } from '../src/train/stacking.ts';

let ctx: Promise<GpuContext> | null = null;
const gpu = () => (ctx ??= acquireGpu());

const DATASETS: Record<string, ExperimentConfig> = {
  iris: { ...DEFAULT_EXPERIMENT, backend: 'cpu' },
  spiral: { ...DEFAULT_EXPERIMENT, dataset: { ...DEFAULT_DATASET, name: 'spiral' }, backend: 'cpu' },
};
const SEEDS = [1, 2, 3, 4, 5];

describe('ensembles at the defaults (measurement)', () => {
  for (const [name, base] of Object.entries(DATASETS)) {
    it(`${name}: single model, bagging (5), boosting and stacking`, async () => {
      const rows: string[] = [];
      for (const seed of SEEDS) {
        const config = { ...base, seed };
        const data = await loadExperimentData(config);
        const t0 = performance.now();
        const single = (await trainEnsemble(config, gpu, data, 1, 'seeds')).accuracy;
        const bagging = (await trainEnsemble(config, gpu, data, 5, 'bootstrap')).accuracy;
        const b = boostingRun(config, DEFAULT_BOOST);
        const boosted = await boost(b.config, gpu, data, b.options);
        const s = stackingRun(config, DEFAULT_STACK);
        const stacked = await stack(s.config, gpu, data, s.options);
        const kept = boosted.alphas.length;
        rows.push(
          [
            name,
            seed,
            single.toFixed(3),
            bagging.toFixed(3),
            (boosted.rounds.at(-1)?.accuracy.test ?? NaN).toFixed(3),
            `${kept}/${boosted.rounds.length}`,
            stacked.learners.map((l) => l.accuracy.toFixed(3)).join(','),
            stacked.average.accuracy.toFixed(3),
            stacked.stack.accuracy.toFixed(3),
            `${((performance.now() - t0) / 1000).toFixed(0)}s`,
            boosted.message.slice(0, 80),
          ].join(' | '),
        );
        console.log(rows.at(-1));
      }
      console.log(`MEASURE ${name}\n${rows.join('\n')}`);
    });
  }
});
