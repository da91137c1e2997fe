// The plan of successive halving (rungs and model-epochs), apart from the training in halving.ts
// so that the page can show and check a plan without bundling the trainer.
import { ConfigError } from '../config/errors.ts';

/** One rung of the plan: every configuration still in trains to `epochs`; `configurations` are in. */
export interface HalvingRung {
  epochs: number;
  configurations: number;
}

/**
 * The rungs of successive halving: `configurations` train to `minEpochs`, then the best ⌈n/η⌉ to
 * minEpochs·η, … each budget capped at `epochs`, the last rung being exactly `epochs`. Throws a
 * ConfigError naming the limit when the settings leave nothing to prune.
 */
export function halvingRungs(configurations: number, epochs: number, minEpochs: number, eta: number): HalvingRung[] {
  if (!Number.isInteger(eta) || eta < 2) throw new ConfigError('sweep.eta', `η must be a whole number of at least 2 (each rung keeps 1/η), got ${eta}`);
  if (minEpochs > epochs)
    throw new ConfigError(
      'sweep.minEpochs',
      `the minimum budget of ${minEpochs} epochs is above the experiment's ${epochs} epochs; set it to at most ${epochs - 1}`,
    );
  if (minEpochs === epochs)
    throw new ConfigError(
      'sweep.minEpochs',
      `a minimum budget of ${minEpochs} of ${epochs} epochs leaves one rung; successive halving needs at least two: set it below ${epochs}`,
    );
  if (configurations < 2) throw new ConfigError('sweep', `successive halving needs at least 2 configurations to choose between, got ${configurations}`);
  const rungs: HalvingRung[] = [{ epochs: minEpochs, configurations }];
  while (rungs.at(-1)!.epochs < epochs) {
    const last = rungs.at(-1)!;
    rungs.push({ epochs: Math.min(last.epochs * eta, epochs), configurations: Math.ceil(last.configurations / eta) });
  }
  return rungs;
}

/** Model-epochs a plan trains when nothing diverges: each rung's configurations times its new epochs. */
export function plannedEpochs(rungs: HalvingRung[]): number {
  return rungs.reduce((n, r, k) => n + r.configurations * (r.epochs - (k > 0 ? rungs[k - 1]!.epochs : 0)), 0);
}
