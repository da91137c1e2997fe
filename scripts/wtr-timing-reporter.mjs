// A web-test-runner reporter that says where the browser suite's time goes: when the run ends it
// prints the slowest test files (wall time from one file's end to the next, which with
// concurrency 1 is the file's own time, page load included) and writes every file's time to
// WTR_TIMINGS (a JSON file) when that is set, for the summary `npm test` prints.
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';

/** The reporter; `top` is how many of the slowest files to print. */
export function timingReporter({ top = 12 } = {}) {
  let last = 0;
  let started = 0;
  const files = [];
  return {
    start() {
      started = last = Date.now();
    },
    reportTestFileResults({ testFile, sessionsForTestFile }) {
      const now = Date.now();
      const tests = sessionsForTestFile.reduce((n, s) => n + countTests(s.testResults), 0);
      files.push({ file: relative(process.cwd(), testFile), ms: now - last, tests });
      last = now;
    },
    onTestRunFinished() {
      const total = Date.now() - started;
      const slowest = [...files].sort((a, b) => b.ms - a.ms).slice(0, top);
      const lines = slowest.map((f) => `  ${(f.ms / 1000).toFixed(1).padStart(6)} s  ${String(f.tests).padStart(3)} tests  ${f.file}`);
      console.log(`\nBrowser tests: ${files.length} files in ${(total / 1000).toFixed(0)} s; the slowest:\n${lines.join('\n')}`);
      if (process.env.WTR_TIMINGS) writeFileSync(process.env.WTR_TIMINGS, JSON.stringify({ total, files }, null, 1));
    },
  };
}

/** Tests in a suite tree (nested describe blocks included). */
function countTests(suite) {
  if (!suite) return 0;
  return suite.tests.length + suite.suites.reduce((n, s) => n + countTests(s), 0);
}
