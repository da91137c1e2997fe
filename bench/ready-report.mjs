// The report of the `ready` workload (bench/ready.mjs): samples grouped into cells (page × WebGPU
// on/off × cold/warm trial cache), the table with issue 28's goal, the backend status at ready
// time, and the rows written into bench/results.json. Pure functions apart from the printing.
import { printTable } from './table.mjs';

/** Issue 28's goal: every page usable within this many ms of navigation start, cold cache. */
export const READY_GOAL_MS = 1500;

/** The median of finite numbers (the mean of the middle two for an even count); null for none. */
export function median(values) {
  const xs = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!xs.length) return null;
  const mid = xs.length >> 1;
  return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

/** Median, min and max of the loads that became ready; `failed` counts those that did not. */
export function summarize(values) {
  const ok = values.filter(Number.isFinite);
  return {
    loads: values.length,
    failed: values.length - ok.length,
    median: median(ok),
    min: ok.length ? Math.min(...ok) : null,
    max: ok.length ? Math.max(...ok) : null,
  };
}

/** Whole milliseconds, or a dash for a missing value. */
export function formatMs(x) {
  return Number.isFinite(x) ? String(Math.round(x)) : '—';
}

/**
 * The goal's verdict for one cell: only cold-cache cells are judged (the goal is stated for a
 * first visit); a cell with a failed load misses whatever its median, since a person waited.
 */
export function verdict(cell) {
  if (cell.cache !== 'cold') return '—';
  if (cell.median === null) return 'not measured';
  if (cell.failed) return `MISS (${cell.failed} failed)`;
  return cell.median <= READY_GOAL_MS ? 'pass' : 'MISS';
}

/** Groups samples into cells in the order the samples first name them, each summarized. */
export function readyCells(samples) {
  const cells = new Map();
  for (const s of samples) {
    const key = `${s.page} ${s.webgpu} ${s.cache}`;
    if (!cells.has(key)) cells.set(key, { page: s.page, path: s.path, webgpu: s.webgpu, cache: s.cache, samples: [] });
    cells.get(key).samples.push(s);
  }
  const order = { cold: 0, warm: 1 };
  return [...cells.values()]
    .sort((a, b) => Number(b.webgpu) - Number(a.webgpu) || order[a.cache] - order[b.cache])
    .map((c) => ({ ...c, ...summarize(c.samples.map((s) => s.ready_ms)) }));
}

/** Whole milliseconds, as numbers for the JSON (loads vary by far more than 1 ms). */
const whole = (x) => (x === null ? null : Math.round(x));

/** The rows of bench/results.json, one per cell: `workload: 'ready'`, impl = "page webgpu-on|off cold|warm". */
export function readyRows(cells) {
  return cells.map((c) => ({
    workload: 'ready',
    impl: `${c.page} webgpu-${c.webgpu ? 'on' : 'off'} ${c.cache}`,
    page: c.path,
    webgpu: c.webgpu,
    cache: c.cache,
    median_ms: whole(c.median),
    min_ms: whole(c.min),
    max_ms: whole(c.max),
    loads: c.loads,
    failed: c.failed,
    goal_ms: c.cache === 'cold' ? READY_GOAL_MS : null,
    met: c.cache === 'cold' && c.median !== null ? verdict(c) === 'pass' : null,
  }));
}

/** "text ×n" for each distinct value in `values`, most common first; a dash for none. */
export function tally(values) {
  const counts = new Map();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const parts = [...counts].sort((a, b) => b[1] - a[1]).map(([v, n]) => `${v ?? '—'}${n > 1 ? ` ×${n}` : ''}`);
  return parts.join('; ') || '—';
}

/** The backend status at ready time and the trial's end, for the pages that show one. */
function printBackends(cells) {
  const rows = [
    [
      'page',
      'webgpu',
      'cache',
      'backend at ready',
      'data-state at ready',
      "Auto's trial at ready",
      'trial left ms after ready (median)',
      'stored after the cold load',
    ],
  ];
  for (const c of cells) {
    const ready = c.samples.filter((s) => s.backend_at_ready);
    if (!ready.length) continue;
    const trial = c.samples.map((s) => s.trial_left_after_ms);
    const numbers = trial.filter(Number.isFinite);
    const trialText = numbers.length ? formatMs(median(numbers)) : tally(trial.map((t) => t ?? 'n/a'));
    const stored = c.cache === 'cold' ? tally(c.samples.map((s) => storedText(s.stored_after))) : '';
    rows.push([
      c.page,
      c.webgpu ? 'on' : 'off',
      c.cache,
      tally(ready.map((s) => s.backend_at_ready.text)),
      tally(ready.map((s) => s.backend_at_ready.state ?? 'no attribute')),
      tally(ready.map((s) => trialChoice(s.backend_at_ready.trial))),
      trialText,
      stored,
    ]);
  }
  if (rows.length === 1) return;
  console.log('\nready: the backend status (data-testid="backend") at ready time; the trial followed up to 20 s:');
  printTable(rows);
}

/**
 * Auto's choice from its trial line ("WebGPU 0.59 ms/step, CPU 0.012 ms/step → CPU" gives
 * "→ CPU"): the figures differ on every load, so the table tallies the choice and results.json
 * keeps the whole line.
 */
export function trialChoice(line) {
  if (!line) return 'none shown';
  const arrow = line.lastIndexOf('→');
  return arrow < 0 ? line : line.slice(arrow).trim();
}

/** What one origin held after a cold load: localStorage keys and IndexedDB names. */
function storedText(stored) {
  if (!stored) return 'unknown';
  if (stored.error) return `unreadable (${stored.error})`;
  const parts = [...stored.localStorage.map((k) => `localStorage ${k}`), ...stored.indexedDB.map((n) => `IndexedDB ${n}`)];
  return parts.join(', ') || 'nothing';
}

/** Prints the ready table (ms since navigation start), the goal's verdicts and the backend table. */
export function printReadyReport({ chromium, adapter, loads }, cells) {
  console.log(`\nready: ms from navigation start until the page is usable (median of ${loads} loads; Chromium ${chromium}; adapter ${adapter}):`);
  console.log("  index: Train enabled (#dataset=spiral&layers=8,8); blog: the first widget's Train enabled; shaders: a kernel source shown");
  const rows = [['page', 'webgpu', 'cache', 'median', 'min', 'max', 'failed', `goal (cold)`, 'verdict']];
  for (const c of cells) {
    rows.push([
      c.page,
      c.webgpu ? 'on' : 'off',
      c.cache,
      formatMs(c.median),
      formatMs(c.min),
      formatMs(c.max),
      c.failed ? `${c.failed}/${c.loads}` : '0',
      c.cache === 'cold' ? `≤ ${READY_GOAL_MS}` : '',
      verdict(c),
    ]);
  }
  printTable(rows);
  const judged = cells.filter((c) => c.cache === 'cold');
  const met = judged.filter((c) => verdict(c) === 'pass').length;
  console.log(`  goal of issue 28 (each page ≤ ${READY_GOAL_MS} ms with a cold trial cache): met by ${met} of ${judged.length} cells`);
  printBackends(cells);
}
