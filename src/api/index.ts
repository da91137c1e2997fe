// The package's typed engine API: `import { createSession } from 'shaderprop'`. Built into
// dist/api.js (worker.js and data/ beside it); types in dist/types/src/api/index.d.ts.
export { ConfigError, createSession, parseExperiment, Session } from './session.ts';
export type { ExperimentInput, SessionOptions, TrainOptions, TrainResult } from './session.ts';
export { DEFAULT_EXPERIMENT } from '../config/experiment.ts';
export type { BackendChoice, DatasetConfig, DatasetName, ExperimentConfig, RemediesConfig } from '../config/experiment.ts';
export { decodeHash, encodeHash } from '../config/url.ts';
export type { DataSplits, LabeledTable } from '../data/dataset.ts';
export type { BackendState, BackendStatus, EpochRecord, SessionInfo, SplitEvaluation } from '../worker/api.ts';
export { WorkerError } from '../worker/client.ts';
export { setEngineWorkerUrl as setWorkerUrl } from '../worker/worker-url.ts';
