// Waiting for a layout to settle after a resize without a fixed sleep: ResizeObservers, chart
// redraws and container queries take a number of frames that grows with the machine's load.

/**
 * Runs every function of `measures` in the page, every frame plus 50 ms, until together they
 * return the same thing (as JSON) three times in a row, and returns their results in order;
 * throws after `timeout` ms naming the last values. Each measure is passed to page.evaluate, so
 * it must be self-contained.
 */
export async function settledMeasure(page, measures, timeout = 30_000) {
  const end = Date.now() + timeout;
  const frame = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
  let last = null;
  for (let same = 0; ;) {
    await frame();
    const value = [];
    for (const measure of measures) value.push(await page.evaluate(measure));
    const json = JSON.stringify(value);
    same = json === last ? same + 1 : 0;
    last = json;
    if (same >= 2) return value;
    if (Date.now() > end) throw new Error(`the layout did not settle in ${timeout} ms; last measured ${json.slice(0, 400)}`);
  }
}
