// A node:test reporter (`--test-reporter=./scripts/node-timing-reporter.mjs`) that, beside the
// usual reporter, prints at the end how long each test file took, slowest first, so the CI log
// says where an end-to-end run's time went. Files run one at a time (--test-concurrency=1), so a
// file's time is from the previous file's last result to its own last result: its hooks, browser
// start and build steps included, not only its tests' own durations.

/** Async generator reporter: notes when each file's results arrive, then yields one summary. */
export default async function* timingReporter(source) {
  const files = new Map();
  let mark = Date.now();
  let current = null;
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const name = (event.data.file ?? '(unknown file)').replace(`${process.cwd()}/`, '');
    if (name !== current && current !== null) mark = files.get(current).end;
    current = name;
    const f = files.get(name) ?? { name, start: mark, end: mark, tests: 0, failed: 0 };
    f.end = Date.now();
    if (event.data.nesting === 0) {
      f.tests++;
      if (event.type === 'test:fail') f.failed++;
    }
    files.set(name, f);
  }
  if (files.size === 0) return;
  const list = [...files.values()].map((f) => ({ ...f, ms: f.end - f.start }));
  const total = list.reduce((s, f) => s + f.ms, 0);
  const lines = list
    .sort((a, b) => b.ms - a.ms)
    .map((f) => `  ${(f.ms / 1000).toFixed(1).padStart(7)} s  ${String(f.tests).padStart(3)} tests${f.failed ? ` (${f.failed} failed)` : ''}  ${f.name}`);
  yield `\nTest files by duration (${list.length} files, ${(total / 1000).toFixed(0)} s in all):\n${lines.join('\n')}\n`;
}
