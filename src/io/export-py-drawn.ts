// Python source of a drawing's data for the exported classifier scripts: the points embedded as
// drawn, and the `load_table` that turns them into the table drawnTable (src/data/drawn.ts) makes.
import type { Task } from '../config/task.ts';
import { isDrawnClass, type DrawnPoint } from '../data/drawn.ts';

/**
 * A drawing as a Python literal, six points a line: x1 x2 class. Its numbers were checked by
 * validateDrawnPoints and are written as JavaScript prints them, so Python parses the same doubles.
 */
function drawnLiteral(points: readonly DrawnPoint[]): string {
  const number = (x: number): string => {
    if (!Number.isFinite(x)) throw new RangeError(`cannot write ${String(x)} into Python code`);
    return String(x);
  };
  const rows = points.map((p) => `${number(p.x1)} ${number(p.x2)} ${isDrawnClass(p.y) ? String(p.y) : number(p.y)}`);
  const lines: string[] = [];
  for (let i = 0; i < rows.length; i += 6) lines.push(rows.slice(i, i + 6).join(', '));
  return `DRAWN = """\n${lines.join('\n')}\n"""  # the points drawn in the playground: x1, x2, class id`;
}

/**
 * The `load_table` of an exported script for a drawing: its points embedded, read as the
 * playground reads them; for regression the third number is the point's value (float32).
 */
export const pythonDrawnLoader = (points: readonly DrawnPoint[], task: Task = 'classification'): string =>
  task === 'regression' ? drawnValuesLoader(points) : drawnClassesLoader(points);

const drawnClassesLoader = (points: readonly DrawnPoint[]): string => String.raw`

${drawnLiteral(points)}


def load_table(args):
    """drawnTable of src/data/drawn.ts: the points in the order they were drawn, as float32, and
    the classes drawn numbered 0, 1, ... in the order of their ids (no class imbalance)."""
    rows = [row.split() for row in DRAWN.replace(",", "\n").split("\n") if row.strip()]
    X = np.array([[float(v) for v in row[:2]] for row in rows], dtype=np.float32)
    ids = [int(row[2]) for row in rows]
    number = {k: i for i, k in enumerate(sorted(set(ids)))}
    return X, np.array([number[k] for k in ids], dtype=np.int64)
`;

const drawnValuesLoader = (points: readonly DrawnPoint[]): string => String.raw`

${drawnLiteral(points).replace('x1, x2, class id', 'x1, x2, value')}


def load_table(args):
    """drawnTable of src/data/drawn.ts for regression: the points in the order they were drawn
    and their values, both as float32."""
    rows = [row.split() for row in DRAWN.replace(",", "\n").split("\n") if row.strip()]
    X = np.array([[float(v) for v in row[:2]] for row in rows], dtype=np.float32)
    return X, np.array([float(row[2]) for row in rows], dtype=np.float32)
`;
