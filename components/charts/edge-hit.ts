// Which drawn edge of the network diagram a pointer is on: the diagram draws edges between the
// shown units of neighbouring columns, so the nearest segment within a few pixels is the one.

/** A drawn column as the hit test needs it: the unit indices shown, their heights, its x. */
export interface EdgeColumn {
  units: number[];
  ys: number[];
  x: number;
}

/** An edge: the weight from input `from` to unit `to` of dense layer `layer` (layer 0 takes the inputs). */
export interface EdgeRef {
  layer: number;
  from: number;
  to: number;
}

function distanceToSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const [dx, dy] = [bx - ax, by - ay];
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** The edge nearest (x, y) within `within` CSS px, or null; only between two columns' x. */
export function nearestEdge(columns: EdgeColumn[], x: number, y: number, within = 5): EdgeRef | null {
  let best: EdgeRef | null = null;
  let bestD = within;
  for (let l = 0; l + 1 < columns.length; l++) {
    const [a, b] = [columns[l]!, columns[l + 1]!];
    if (x < a.x || x > b.x) continue;
    a.units.forEach((from, i) => {
      b.units.forEach((to, j) => {
        const d = distanceToSegment(x, y, a.x, a.ys[i]!, b.x, b.ys[j]!);
        if (d <= bestD) [best, bestD] = [{ layer: l, from, to }, d];
      });
    });
  }
  return best;
}
