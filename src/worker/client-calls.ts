// How long the page waits for each engine method, and which ones start a background run.
import type { EngineApi } from './api.ts';

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
  // Boosting and stacking train many models one batch after another, like the other multi-run jobs.
  boost: { timeout: 'long' },
  stack: { timeout: 'long' },
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
};
