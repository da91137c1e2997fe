// A node:test reporter (`--test-reporter=./scripts/node-timing-reporter.mjs`) that, beside the
// usual reporter, prints at the end how long each test file took, slowest first, so the CI log
// says where an end-to-end run's time went. A file's time is the sum of its top-level tests'
// durations as node measured them in the file's own process (a `before` hook counts towards the
// first test). Wall-clock arrival times would be wrong here: node 20 hands a file's results to
// the reporter only when the file ends, so with two files at a time (--test-concurrency=2) a
// short file that finishes first would be charged for the long one's wait.

/** Async generator reporter: sums each file's top-level test durations, then yields one summary. */
export default async function* timingReporter(source) {
  const files = new Map();
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (event.data.nesting !== 0) continue;
    const name = (event.data.file ?? '(unknown file)').replace(`${process.cwd()}/`, '');
    const f = files.get(name) ?? { name, ms: 0, tests: 0, failed: 0 };
    f.ms += event.data.details?.duration_ms ?? 0;
    f.tests++;
    if (event.type === 'test:fail') f.failed++;
    files.set(name, f);
  }
  if (files.size === 0) return;
  const list = [...files.values()];
  const total = list.reduce((s, f) => s + f.ms, 0);
  const lines = list
    .sort((a, b) => b.ms - a.ms)
    .map((f) => `  ${(f.ms / 1000).toFixed(1).padStart(7)} s  ${String(f.tests).padStart(3)} tests${f.failed ? ` (${f.failed} failed)` : ''}  ${f.name}`);
  yield `\nTest files by duration (${list.length} files, ${(total / 1000).toFixed(0)} s of tests in all; where files run two at a time this exceeds the wall time):\n${lines.join('\n')}\n`;
}
