// The real and fake samples as CSV (`gan2d-samples-csv`), so a reader can take them elsewhere.

/** Significant digits written per coordinate: enough that a float32 fake reads back to the same float32. */
export const CSV_DIGITS = 9;

/**
 * `x,y,kind` with a header line, the real points (kind `real`) then the fake ones (`fake`), each
 * list interleaved x, y. Coordinates keep CSV_DIGITS significant digits, without trailing zeros;
 * lines end in \n, the last one too.
 */
export function samplesCsv(real: ArrayLike<number>, fake: ArrayLike<number>): string {
  const num = (v: number) => String(Number(v.toPrecision(CSV_DIGITS)));
  const lines = ['x,y,kind'];
  for (const [points, kind] of [
    [real, 'real'],
    [fake, 'fake'],
  ] as const) {
    for (let i = 0; i + 1 < points.length; i += 2) lines.push(`${num(points[i]!)},${num(points[i + 1]!)},${kind}`);
  }
  return `${lines.join('\n')}\n`;
}
