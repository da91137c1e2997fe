// Code export of boosting and stacking: PyTorch scripts that reproduce a run of the page's
// <sp-boosting> or <sp-stacking> (same members, seeds, row weights, folds and order) and check it
// against the result file the page downloads (ensemble-result.ts). They are the classifier
// script (export-python.ts, export-pytorch.ts: data, initial weights, batch order, optimizers,
// remedies) with the ensemble's settings and main in place of the single run's.
import { remediesOf, taskOf, validateExperiment, type ExperimentConfig } from '../config/experiment.ts';
import type { ModelSpec } from '../nn/spec.ts';
import type { BoostingOptions } from '../train/boosting.ts';
import type { StackingOptions } from '../train/stacking.ts';
import { classifierScript, pyFloat, pyInt, pyList, pyString, type ExportOptions } from './export-python.ts';
import { PY_BOOSTING } from './export-py-boosting.ts';
import { PY_ENSEMBLE_COMMON } from './export-py-ensemble.ts';
import { PY_STACKING } from './export-py-stacking.ts';
import { TORCH_MODEL, TORCH_TRAINING } from './export-pytorch.ts';
import { TORCH_IMPORTS, TORCH_RUN } from './export-torch-run.ts';

/** What the exporter needs of a run's data: the network's inputs per row and the classes (the drivers' results give both). */
export interface EnsembleShape {
  inputs: number;
  classes: number;
}

/** The members' network as the engine builds it (experimentSpec): softmax over the classes. */
export function ensembleSpec(config: ExperimentConfig, shape: EnsembleShape): ModelSpec {
  return { inputSize: shape.inputs, hidden: config.hidden, outputSize: shape.classes, loss: 'softmax_ce' };
}

/** The driver's options as the script and the result file both write them, so --check can tell they match. */
export function ensembleOptionsJson(options: BoostingOptions | StackingOptions): string {
  return JSON.stringify(options);
}

/** One model's network and optimizer settings as a Python dict of the script's setting names. */
function modelSettings(c: ExperimentConfig, inputs: number): string {
  validateExperiment(c);
  const o = c.optimizer;
  const dropout = remediesOf(c).dropout;
  const entries: [string, string][] = [
    ['INPUT_SIZE', pyInt(inputs)],
    ['HIDDEN', pyList(c.hidden.map((l) => pyInt(l.units)))],
    ['ACTIVATIONS', pyList(c.hidden.map((l) => pyString(l.activation)))],
    ['DROPOUT', pyList(c.hidden.map((_, i) => pyFloat(dropout[i] ?? 0)))],
    ['OPTIMIZER', pyString(o.kind)],
    ['LEARNING_RATE', pyFloat(o.learningRate)],
    ['MOMENTUM', pyFloat(o.momentum)],
    ['NESTEROV', o.nesterov ? 'True' : 'False'],
    ['BETA1', pyFloat(o.beta1)],
    ['BETA2', pyFloat(o.beta2)],
    ['EPSILON', pyFloat(o.epsilon)],
    ['L1', pyFloat(o.l1)],
    ['L2', pyFloat(o.l2)],
    ['WEIGHT_DECAY', pyFloat(o.weightDecay)],
    ['EPOCHS', pyInt(c.epochs)],
    ['BATCH_SIZE', c.batchSize === 'full' ? 'None' : pyInt(c.batchSize)],
  ];
  return `{${entries.map(([k, v]) => `${pyString(k)}: ${v}`).join(', ')}}`;
}

/** The docstring's paragraph on what stays exact in an ensemble script. */
const EXACTNESS = `
What stays exact: the rows of each split (the playground's generators and seeded split are
reimplemented here; DATA_FINGERPRINT checks them), every member's initial weights (computed from
its seed), batch order, loss (class weights and boosting's row weights, normalized by the row
count), optimizer, schedule and remedies, and the ensemble's own arithmetic: SAMME in float64
with the page's sums, or the same stratified folds in the same order. What differs is float32
rounding: the page sums in another order, so a member's probabilities drift (up to about 1e-3
over hundreds of epochs); --check says how far, and treats a class decided by less than
TIE_MARGIN as a near tie rather than a mismatch. --init, --weights and --save do not apply: every
member starts from the playground's initial weights for its seed. What is left out, if anything,
is listed in LEFT_OUT below and printed when the script runs.
`;

const CHECK_HELP = "the result file the page's Download result button saved: train the same run and exit 1 unless it matches";

function script(config: ExperimentConfig, spec: ModelSpec, what: { summary: string; file: string; settings: string; main: string }): string {
  if (taskOf(config) === 'regression') throw new Error('boosting and stacking vote on classes: a regression experiment has none to export');
  const options: ExportOptions = { curveNote: 'an ensemble script checks against the result file of the page (--check RESULT_JSON)', checkResult: CHECK_HELP };
  return classifierScript(config, spec, options, {
    id: 'pytorch',
    name: 'PyTorch',
    summary: what.summary,
    requires: 'torch',
    usage: (dataArg) => `    python ${what.file}${dataArg}
    python ${what.file}${dataArg} --check RESULT.json   # compare with the page's Download result file
`,
    exactness: EXACTNESS,
    stdlib: [...TORCH_IMPORTS.stdlib, 'import json', 'import math', 'import sys'],
    imports: TORCH_IMPORTS.packages,
    sections: [
      ['6. The network, its loss and optimizer in PyTorch', TORCH_MODEL],
      ['7. Training one model', TORCH_RUN + TORCH_TRAINING],
      ['8. The ensemble, as the page runs it', what.settings + PY_ENSEMBLE_COMMON],
      ['9. Putting it together', what.main],
    ],
  });
}

/**
 * A PyTorch script that boosts as `boost` (src/train/boosting.ts) does with the weak learner
 * `config` (boostingRun's) and `options`: round m's network from seed + m, trained with the
 * round's row weights, SAMME's vote and reweighting; it prints each round, and `--check FILE`
 * compares with `boostingResultJson`'s file.
 */
export function boostingScript(config: ExperimentConfig, options: BoostingOptions, shape: EnsembleShape): string {
  const settings = `
# Boosting as it was set on the page: the weak learner is the experiment above (its network,
# optimizer and EPOCHS per round); round m's network starts from seed SEED + m.
ROUNDS = ${pyInt(options.rounds)}  # at most; SAMME may stop earlier
SHRINKAGE = ${pyFloat(options.shrinkage)}  # the learning rate on every vote
ENSEMBLE_OPTIONS = json.loads(${pyString(ensembleOptionsJson(options))})  # as the result file says them
`;
  return script(config, ensembleSpec(config, shape), {
    summary: `Boost the shaderprop playground's experiment with PyTorch as the page's Boosting does (AdaBoost,
multi-class by SAMME): the same rows, each round's network from the same initial weights, trained
on the same batches with the same row weights, and the same votes.`,
    file: 'shaderprop_boosting.py',
    settings,
    main: PY_BOOSTING,
  });
}

/**
 * A PyTorch script that stacks as `stack` (src/train/stacking.ts) does with `config` and
 * `options` (stackingRun's): the same stratified folds, each base learner's fold models and
 * full-data model in the same order, the meta-learner on the out-of-fold probabilities; it prints
 * each learner's, the soft vote's and the stack's test accuracy and macro F1, and `--check FILE`
 * compares with `stackingResultJson`'s file.
 */
export function stackingScript(config: ExperimentConfig, options: StackingOptions, shape: EnsembleShape): string {
  const learners = options.learners.map((l) => `    ${modelSettings({ ...config, ...l }, shape.inputs)},`);
  const metaConfig: ExperimentConfig = { ...config, hidden: options.metaHidden ?? [] };
  const settings = `
# Stacking as it was set on the page. Every model starts from the playground's initial weights for
# SEED; each setting below replaces the one of the same name in section 1 while that model trains.
K_FOLDS = ${pyInt(options.k)}  # stratified folds of the training and validation rows
BASE = ${modelSettings(config, shape.inputs)}  # the experiment's own settings
LEARNERS = [  # each base learner: its network and optimizer (and epochs, batch size)
${learners.join('\n')}
]
# The meta-learner: the experiment's optimizer and epochs with these layers, on the probabilities.
META = ${modelSettings(metaConfig, shape.inputs).replace(/"INPUT_SIZE": \d+, /, '')}
PASS_FEATURES = ${options.passFeatures ? 'True' : 'False'}  # also give it each row's standardized inputs
ENSEMBLE_OPTIONS = json.loads(${pyString(ensembleOptionsJson(options))})  # as the result file says them
`;
  return script(config, ensembleSpec(config, shape), {
    summary: `Stack the shaderprop playground's experiment with PyTorch as the page's Stacking does: the same
rows and stratified folds, every base learner's fold models and full-data model from the same
initial weights on the same batches, and the meta-learner on their out-of-fold probabilities.`,
    file: 'shaderprop_stacking.py',
    settings,
    main: PY_STACKING,
  });
}
