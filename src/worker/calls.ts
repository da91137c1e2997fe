// How long the page waits for each engine call, split from client.ts (the client's mechanics)
// so that adding a method to EngineApi adds one line here.
import type { EngineApi } from './api.ts';

/** Timeouts per kind of call, in milliseconds. */
export interface ClientTimeouts {
  /** Short calls: ping, bookkeeping, optimizer changes, freeing a session. */
  quick: number;
  /** Calls that compile pipelines or run GPU work: session creation, step, epoch, evaluate. */
  work: number;
  /**
   * While calls are pending or training runs, the client pings the worker this often and
   * declares it hung when a ping goes unanswered for `hangAfter`.
   */
  heartbeat: number;
  hangAfter: number;
  /** Jobs that train several models in one call (cross-validation, ensembles, races). */
  long: number;
}

// A healthy worker can be silent for seconds: inflating MNIST's training images (one native
// DecompressionStream step) and packing them for the GAN were each measured blocking it 2.7 to
// 3.6 s on a loaded two-core machine, and longer when several widgets build at once. A worker
// that spins is still caught, 15 s later.
export const DEFAULT_TIMEOUTS: ClientTimeouts = { quick: 10_000, work: 120_000, heartbeat: 250, hangAfter: 15_000, long: 30 * 60 * 1000 };

/** Which timeout each method gets; a method that starts a background run also names its progress events. */
export type CallKind = { timeout: 'quick' | 'work' | 'long' } | { timeout: 'quick'; run: 'epoch' | 'chunk' };

/** One line per method of EngineApi: adding a method without its line does not compile. */
export const CALLS: Record<keyof EngineApi, CallKind> = {
  ping: { timeout: 'quick' },
  createSession: { timeout: 'work' },
  startTraining: { timeout: 'quick', run: 'epoch' },
  pause: { timeout: 'work' },
  step: { timeout: 'work' },
  epoch: { timeout: 'work' },
  evaluate: { timeout: 'work' },
  boundary: { timeout: 'work' },
  neuronMaps: { timeout: 'work' },
  health: { timeout: 'work' },
  snapshot: { timeout: 'work' },
  loadParams: { timeout: 'work' },
  recover: { timeout: 'work' },
  setOptimizer: { timeout: 'quick' },
  setWeight: { timeout: 'work' },
  crossValidate: { timeout: 'long' },
  trainEnsemble: { timeout: 'long' },
  raceOptimizers: { timeout: 'long' },
  // A sweep of hundreds of models, like the other multi-run jobs, may train for many minutes.
  runSweep: { timeout: 'long' },
  runHalving: { timeout: 'long' },
  cancelJob: { timeout: 'quick' },
  createGan: { timeout: 'work' },
  startGan: { timeout: 'quick', run: 'chunk' },
  pauseGan: { timeout: 'work' },
  ganImages: { timeout: 'work' },
  // Trains the digit classifier on first use, which takes minutes on a software adapter.
  ganQuality: { timeout: 'long' },
  ganParams: { timeout: 'work' },
  disposeGan: { timeout: 'quick' },
  splitRows: { timeout: 'work' },
  disposeSession: { timeout: 'quick' },
  clearBackendTrials: { timeout: 'quick' },
  gpuMemory: { timeout: 'quick' },
  // Boosting and stacking train many models one batch after another, like the other multi-run jobs.
  boost: { timeout: 'long' },
  stack: { timeout: 'long' },
  createGan2d: { timeout: 'work' },
  startGan2d: { timeout: 'quick', run: 'chunk' },
  pauseGan2d: { timeout: 'work' },
  stepGan2d: { timeout: 'work' },
  gan2dFrame: { timeout: 'work' },
  gan2dCsv: { timeout: 'work' },
  gan2dCurve: { timeout: 'work' },
  disposeGan2d: { timeout: 'quick' },
  createGan2dCompare: { timeout: 'work' },
  gan2dCompareFrames: { timeout: 'work' },
};
