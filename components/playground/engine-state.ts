import type { BoundaryGrid, EpochRecord, HealthReport, NeuronMaps, SessionInfo, SplitEvaluation } from '../../src/worker/api.ts';
import type { HealthPoint } from '../charts/sp-health-panel.ts';
import type { ControllerState, ControllerStatus } from '../shared/worker-controller.ts';

/** Where a widget's experiment stands (the status every controller shares). */
export type EngineStatus = ControllerStatus;

/** What the person can do about an error: resume after a lost device, or restart a dead worker. */
export type RecoveryAction = 'resume' | 'restart' | null;

/** MNIST loading while a model builds: compressed bytes so far of all, the file now, and the first digits once inflated. */
export interface LoadingState {
  loaded: number;
  total: number;
  stage: string;
  /** MNIST_PREVIEW training images, raw 0..255 pixels; null until they are in. */
  preview: Uint8Array | null;
}

/** What a playground shows about its experiment. */
export interface EngineState extends ControllerState {
  info: SessionInfo | null;
  history: EpochRecord[];
  /** Training steps taken by the model so far. */
  steps: number;
  test: SplitEvaluation | null;
  validation: SplitEvaluation | null;
  /** Training steps per second over the last run. */
  stepsPerSecond: number;
  /** Latest decision-boundary grid (2-D data only). */
  boundary: BoundaryGrid | null;
  /** Latest parameter snapshot, for the network drawing. */
  params: Float32Array | null;
  /** A non-fatal message (e.g. a divergence that was rolled back). */
  notice: string | null;
  /** What the error panel offers. */
  action: RecoveryAction;
  /** Where early stopping ended the run and which epoch's weights it restored; null otherwise. */
  earlyStop: { stoppedEpoch: number; bestEpoch: number } | null;
  /** A pause was asked for and the run is finishing its chunks in flight (seconds on a busy GPU). */
  pausing: boolean;
  /** A step or an epoch asked for with the buttons is running. */
  stepping: boolean;
  /** MNIST's loading while the model builds; null otherwise. */
  loading: LoadingState | null;
  /** What every hidden unit and output computes over the plane (2-D data only), with the boundary. */
  neuronMaps: NeuronMaps | null;
  /** The latest training-health reading (while the health panel is open), and the update ratios over the run. */
  health: HealthReport | null;
  healthCourse: HealthPoint[];
}

/** No experiment: before the first build, and after the element left the page. */
export const NO_EXPERIMENT: EngineState = {
  status: 'idle',
  error: null,
  info: null,
  history: [],
  steps: 0,
  test: null,
  validation: null,
  stepsPerSecond: 0,
  boundary: null,
  params: null,
  notice: null,
  action: null,
  earlyStop: null,
  pausing: false,
  stepping: false,
  loading: null,
  neuronMaps: null,
  health: null,
  healthCourse: [],
};
