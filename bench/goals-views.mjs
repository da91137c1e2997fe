// Issue 29's goal in the report: the neuron maps and health panel on against off, per backend, on
// the inside-spiral workload (bench/views-runner.ts measures it).
import { fmt, printTable } from './table.mjs';

/** The workload that times the views (neuron maps, health) against plain training, and its cells. */
export const VIEWS = 'inside-spiral';
export const VIEWS_IMPLS = ['shaderprop-webgpu', 'shaderprop-cpu', 'shaderprop-reference'];
/** Issue 29: the maps and health on may make a step at most this much slower. */
export const VIEWS_GOAL = 1.1;

/**
 * Issue 29's goal on each backend: the neuron maps and the health panel at the page's refresh
 * add at most 10% to a training step (on ÷ off, median over pairs of alternating repetitions).
 */
export function printViews(measurements) {
  const cells = VIEWS_IMPLS.map((impl) => measurements.find((m) => m.workload === VIEWS && m.impl === impl && !m.variant)).filter(Boolean);
  if (!cells.length) return;
  const rows = [
    [
      'backend',
      'off steps/s',
      'on steps/s',
      'off ms/step',
      'on ms/step',
      'on ÷ off',
      'pooled',
      'goal ≤ 1.10',
      'refreshes/s',
      'refresh alone off, on',
      'maps + health alone',
    ],
  ];
  for (const m of cells) {
    const v = m.views;
    if (!v) {
      rows.push([m.impl, '—', '—', '—', '—', '—', '—', `not measured (${m.skipped ?? 'no views'})`, '—', '—', '—']);
      continue;
    }
    rows.push([
      m.impl,
      fmt(1000 / m.median_ms),
      fmt(1000 / v.on_ms),
      fmt(m.median_ms),
      fmt(v.on_ms),
      `${v.ratio.toFixed(3)}×`,
      `${v.pooled_ratio.toFixed(3)}×`,
      v.ratio <= VIEWS_GOAL ? 'met' : 'NOT met',
      v.refreshes_per_s.toFixed(2),
      `${fmt(v.refresh_ms.off)}, ${fmt(v.refresh_ms.on)} ms`,
      // Their work once per refresh as a share of training time: what on ÷ off should show above 1.
      `${fmt(v.refresh_ms.views)} ms = ${((v.refresh_ms.views * v.refreshes_per_s) / 10).toFixed(2)}%`,
    ]);
  }
  const v = cells.find((m) => m.views)?.views;
  const pairs = cells.find((m) => m.views)?.samples.length ?? 0;
  console.log(`\ngoal of issue 29 (${VIEWS}: the playground's spiral 8,8 trained through its Session, the views refreshed as the page does,`);
  console.log(`every ${v?.refresh_interval_ms ?? 400} ms at most: off = evaluations, snapshot and 64² boundary; on = those plus the 32² neuron maps`);
  console.log(`and the health panel; on in every other refresh of one run, ${pairs} pairs of intervals; on ÷ off = median over the pairs`);
  console.log('of their ms/step, pooled = Σ ms ÷ Σ steps on over off; refresh alone, maps + health alone: training idle, and');
  console.log('that work × refreshes/s as a share of a second):');
  printTable(rows);
}
