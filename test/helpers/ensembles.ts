import type { EnsembleRunner } from '../../components/ensembles/ensemble-runner.ts';
import type { ExperimentConfig } from '../../src/config/experiment.ts';
import { loadExperimentData } from '../../src/data/load.ts';
import { boost, type BoostingOptions, type BoostingResult } from '../../src/train/boosting.ts';
import { plotPoints } from '../../src/train/plot-points.ts';
import { stack, type StackingOptions, type StackingResult } from '../../src/train/stacking.ts';
import type { BoostingEvent } from '../../src/worker/api.ts';
import { testGpu } from './gpu.ts';

/** The real boosting and stacking drivers run in the page, as the worker runs them. */
export class PageEnsembleRunner implements EnsembleRunner {
  private stopped = false;
  /** Called on each boosting round before it is reported (a test cancels from here). */
  onRound: (round: number) => void = () => undefined;

  async boost(config: ExperimentConfig, options: BoostingOptions, onEvent: (e: BoostingEvent) => void): Promise<BoostingResult> {
    this.stopped = false;
    const data = await loadExperimentData(config);
    onEvent({ type: 'data', points: data.table.inputSize === 2 ? plotPoints(data) : null, classNames: data.classNames });
    return boost(config, testGpu, data, options, {
      shouldStop: () => this.stopped,
      onProgress: (done, total) => onEvent({ type: 'progress', done, total }),
      onRound: (round) => {
        this.onRound(round.round);
        onEvent({ type: 'round', round });
      },
    });
  }

  async stack(config: ExperimentConfig, options: StackingOptions, onProgress: (done: number, total: number) => void): Promise<StackingResult> {
    this.stopped = false;
    const data = await loadExperimentData(config);
    return stack(config, testGpu, data, options, { shouldStop: () => this.stopped, onEpochs: onProgress });
  }

  cancel(): void {
    this.stopped = true;
  }
}
