// Sizes dist/ (every file, raw and gzip -9) for results.json and the report's last table.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { printTable } from './table.mjs';

/** Every file under `dir` with its size and gzip -9 size, sorted by path. */
export function distSizes(dir) {
  const files = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const bytes = readFileSync(path);
        files.push({ file: relative(dir, path), bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
      }
    }
  };
  walk(dir);
  const sum = (list, key) => list.reduce((s, f) => s + f[key], 0);
  const totals = (list) => ({ bytes: sum(list, 'bytes'), gzip: sum(list, 'gzip') });
  const shipped = files.filter((f) => !f.file.endsWith('.map'));
  const code = files.filter((f) => /\.(js|mjs|css|html)$/.test(f.file));
  return { files, total: totals(files), without_maps: totals(shipped), code: totals(code) };
}

/** Prints every file of dist/ with its size and gzip size, and the totals. */
export function printDist(dist) {
  console.log('\ndistributable (node scripts/build.mjs --minify; every file of dist/, gzip -9):');
  const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
  const rows = [['file', 'bytes', 'gzip'], ...dist.files.map((f) => [f.file, kb(f.bytes), kb(f.gzip)])];
  rows.push(['total', kb(dist.total.bytes), kb(dist.total.gzip)], ['total without source maps', kb(dist.without_maps.bytes), kb(dist.without_maps.gzip)]);
  rows.push(['code only (.js .css .html)', kb(dist.code.bytes), kb(dist.code.gzip)]);
  printTable(rows);
}
