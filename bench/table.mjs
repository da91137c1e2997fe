// The report's table helpers, shared by every printed bench report (report.mjs, goals-batch.mjs,
// ready-report.mjs, node.mjs) so that their numbers and columns look alike.

/** A number printed with three significant digits (no exponent), or a dash. */
export function fmt(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  return x >= 1000 ? x.toFixed(0) : x.toPrecision(3);
}

/** Prints rows of cells, the first column left-aligned, the others right-aligned. */
export function printTable(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  for (const r of rows) console.log(`  ${r.map((cell, c) => (c === 0 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]))).join('  ')}`);
}
