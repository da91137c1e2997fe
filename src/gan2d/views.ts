// What the 2-D lab draws besides the points, computed in float64 from the current weights (the
// networks are tiny, so one readback of both arenas per frame and these passes on the CPU cost
// a few milliseconds: see view-net.ts): D's opinion over the plane, G's manifold, and the arrows that show where
// the generator's loss pushes each fake point.
import type { ModelSpec } from '../nn/spec.ts';
import { lossForward } from '../reference/loss.ts';
import type { GanNets } from '../train/gan-nets.ts';
import type { Gan2dConfig } from './config.ts';
import { PLANE_RANGE } from './datasets.ts';
import { viewForward, viewInputGrad, viewNet } from './view-net.ts';

function forward(spec: ModelSpec, params: ArrayLike<number>, x: Float64Array, rows: number): Float64Array[] {
  return viewForward(viewNet(spec, params), x, rows);
}

/** Centres of a `side` × `side` grid of equal cells over PLANE_RANGE², row-major from the bottom-left, interleaved x, y. */
export function planeGrid(side: number): Float64Array {
  const { min, max } = PLANE_RANGE;
  const step = (max - min) / side;
  const out = new Float64Array(2 * side * side);
  for (let j = 0; j < side; j++) {
    for (let i = 0; i < side; i++) {
      out[2 * (j * side + i)] = min + (i + 0.5) * step;
      out[2 * (j * side + i) + 1] = min + (j + 0.5) * step;
    }
  }
  return out;
}

/**
 * D's output at each point: the probability σ(logit) that the point is real for the BCE losses,
 * the raw score for least squares (whose targets are 0 for fake and 1 for real).
 */
export function discriminate(nets: GanNets, d: ArrayLike<number>, points: ArrayLike<number>): Float64Array {
  const n = points.length / 2;
  const scores = forward(nets.d, d, Float64Array.from(points), n).at(-1)!;
  return nets.head === 'least_squares' ? scores : scores.map((x) => 1 / (1 + Math.exp(-x)));
}

/** D's output over the cell centres of planeGrid(side): the heatmap behind the points. */
export function discriminatorField(nets: GanNets, d: ArrayLike<number>, side: number): Float64Array {
  return discriminate(nets, d, planeGrid(side));
}

/**
 * G's manifold: the latent grid mapped through G, interleaved x, y. Latent size 1: `steps`
 * points along z; latent size 2: a `steps` × `steps` mesh (row-major, z₂ outer), so neighbours
 * in the array are neighbours on the mesh. The grid spans [−1, 1] for a uniform latent and
 * [−2, 2], two standard deviations, for a Gaussian one.
 */
export function manifold(config: Pick<Gan2dConfig, 'latent' | 'latentDistribution'>, nets: GanNets, g: ArrayLike<number>, steps: number): Float64Array {
  const reach = config.latentDistribution === 'uniform' ? 1 : 2;
  const at = (k: number) => (steps === 1 ? 0 : -reach + (2 * reach * k) / (steps - 1));
  const rows = config.latent === 1 ? steps : steps * steps;
  const z = new Float64Array(rows * config.latent);
  for (let r = 0; r < rows; r++) {
    if (config.latent === 1) z[r] = at(r);
    else {
      z[2 * r] = at(r % steps);
      z[2 * r + 1] = at(Math.floor(r / steps));
    }
  }
  return forward(nets.g, g, z, rows).at(-1)!;
}

/**
 * The arrow at each fake point: −∂ℓ/∂x, where ℓ(x) is the generator's loss on that one point
 * (minimax log(1 − D(x)), non-saturating −log D(x), least squares (D(x) − 1)²) through the
 * current D. That is the direction the G step moves the point, before the step's scale and G's
 * own Jacobian. `minimax` tells the minimax loss from the non-saturating one (both have the
 * sigmoid_bce head).
 */
export function generatorPush(nets: GanNets, d: ArrayLike<number>, fakes: ArrayLike<number>, minimax: boolean): Float64Array {
  const n = fakes.length / 2;
  const net = viewNet(nets.d, d);
  const outs = viewForward(net, Float64Array.from(fakes), n);
  const head = nets.head ?? 'sigmoid_bce';
  const target = head === 'sigmoid_bce' && minimax ? 0 : 1;
  const loss = lossForward(head, outs.at(-1)!, new Float64Array(n).fill(target), n, 1, head === 'sigmoid_bce' && minimax ? [-1, -1] : null);
  // lossForward's gradient is of the batch mean; each point's own loss is n times its share.
  const dz = loss.grad.map((v) => v * n);
  return viewInputGrad(net, outs, dz, n).map((v) => -v);
}
