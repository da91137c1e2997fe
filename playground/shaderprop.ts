// The distributable: one module that registers every widget. It loads its worker (worker.js)
// and data (data/) relative to its own URL, so the dist/ folder can be copied to any static host.
import '../components/playground/sp-playground.ts';
import '../components/gan/sp-gan.ts';
import '../components/gan2d/sp-gan-2d.ts';
import '../components/explorer/sp-shader-explorer.ts';
import '../components/views/sp-loss-view.ts';
import '../components/views/sp-boundary-view.ts';
import '../components/ensembles/sp-boosting.ts';
import '../components/ensembles/sp-stacking.ts';
import { SpSweep } from '../components/sweep/sp-sweep.ts';
import { WorkerSweepRunner } from '../components/sweep/worker-sweep-runner.ts';
import { useDefaultEnsembleRunner } from '../components/ensembles/ensemble-runner.ts';
import { WorkerEnsembleRunner } from '../components/ensembles/worker-ensemble-runner.ts';

// A <sp-sweep> alone in a page trains in the shared worker, like the other widgets.
SpSweep.useDefaultRunner(() => new WorkerSweepRunner());
// So do <sp-boosting> and <sp-stacking>, each with a runner of its own (one job at a time each).
useDefaultEnsembleRunner(() => new WorkerEnsembleRunner());
