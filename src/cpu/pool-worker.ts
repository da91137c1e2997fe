/**
 * The inside of a CPU pool worker (see cpu-pool.ts): it holds fast CPU backends for the slices of
 * jobs the engine sends it, each with its own models, and runs their operations in the order they
 * arrive. Plain messages, no SharedArrayBuffer: a page without cross-origin isolation (a blog
 * post) can run it. A dataset arrives once per worker and stays while a backend uses it.
 */
import type { TensorDataset } from '../data/dataset.ts';
import type { BatchSetup, StepMetric } from '../train/training-backend.ts';
import { createFastCpuBackend, type FastCpuBackend } from './fast-cpu-backend.ts';

/** The name a pool worker is started with; worker.ts serves the pool instead of the engine under it. */
export const CPU_POOL_WORKER_NAME = 'shaderprop cpu pool';

/** Operations a pool worker forwards to one of its backends (BatchBackend methods). */
export const POOL_OPS = [
  'runSteps',
  'evaluate',
  'predict',
  'setValidation',
  'setOptimizer',
  'readParams',
  'writeParams',
  'writeParam',
  'readState',
  'writeState',
] as const;
/** One of POOL_OPS. */
export type PoolOp = (typeof POOL_OPS)[number];

/** What the engine asks a pool worker. Every request is answered with a PoolReply of its id. */
export type PoolRequest =
  | { id: number; type: 'data'; data: number; dataset: TensorDataset }
  | { id: number; type: 'drop-data'; data: number }
  | { id: number; type: 'create'; backend: number; data: number; setup: Omit<BatchSetup, 'data'> }
  | { id: number; type: 'call'; backend: number; op: PoolOp; args: unknown[] }
  | { id: number; type: 'dispose'; backend: number };

/** A pool worker's answer: the result, or the error's message. */
export type PoolReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** Numbers per step metric in a packed runSteps answer: loss, correct, rows, validated, then the validation's loss, correct, rows. */
const METRIC_FIELDS = 7;

/**
 * A runSteps answer, `[model][step]` metrics, as one Float64Array: a thousand small objects cost
 * more to clone through postMessage than a small model's steps take to train.
 */
export function packMetrics(metrics: StepMetric[][]): Float64Array {
  const steps = metrics[0]?.length ?? 0;
  const out = new Float64Array(metrics.length * steps * METRIC_FIELDS);
  metrics.forEach((model, z) =>
    model.forEach((m, s) => {
      const v = m.validation;
      out.set([m.loss, m.correct, m.rows, v ? 1 : 0, v?.loss ?? 0, v?.correct ?? 0, v?.rows ?? 0], (z * steps + s) * METRIC_FIELDS);
    }),
  );
  return out;
}

/** The metrics of packMetrics for `models` models. */
export function unpackMetrics(packed: Float64Array, models: number): StepMetric[][] {
  const steps = models ? packed.length / (models * METRIC_FIELDS) : 0;
  return Array.from({ length: models }, (_, z) =>
    Array.from({ length: steps }, (_, s) => {
      const at = (z * steps + s) * METRIC_FIELDS;
      const m: StepMetric = { loss: packed[at]!, correct: packed[at + 1]!, rows: packed[at + 2]! };
      if (packed[at + 3]) m.validation = { loss: packed[at + 4]!, correct: packed[at + 5]!, rows: packed[at + 6]! };
      return m;
    }),
  );
}

/** The typed arrays inside a result, to transfer instead of copying. */
export function transferables(value: unknown, out: Transferable[] = []): Transferable[] {
  if (ArrayBuffer.isView(value)) {
    // Only a view that owns its whole buffer (a copy): never a window on WebAssembly memory.
    const whole = value.byteOffset === 0 && value.byteLength === value.buffer.byteLength && value.buffer instanceof ArrayBuffer;
    if (whole && !out.includes(value.buffer)) out.push(value.buffer);
  } else if (Array.isArray(value)) for (const v of value) transferables(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) transferables(v, out);
  return out;
}

interface Scope {
  onmessage: ((e: MessageEvent) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
}

/** Serves pool requests on `scope` (the worker's global scope). */
export function servePool(scope: Scope): void {
  const datasets = new Map<number, TensorDataset>();
  const backends = new Map<number, Promise<FastCpuBackend>>();
  const handle = async (req: PoolRequest): Promise<unknown> => {
    switch (req.type) {
      case 'data':
        datasets.set(req.data, req.dataset);
        return null;
      case 'drop-data':
        datasets.delete(req.data);
        return null;
      case 'create': {
        const data = datasets.get(req.data);
        if (!data) throw new Error(`this pool worker has no dataset ${req.data}`);
        const made = createFastCpuBackend({ ...req.setup, data });
        backends.set(req.backend, made);
        await made;
        return null;
      }
      case 'dispose': {
        const b = backends.get(req.backend);
        backends.delete(req.backend);
        (await b)?.dispose();
        return null;
      }
      case 'call': {
        const made = backends.get(req.backend);
        if (!made) throw new Error(`this pool worker has no backend ${req.backend}`);
        const b = await made;
        if (!POOL_OPS.includes(req.op)) throw new Error(`unknown operation ${String(req.op)}`);
        // Called in arrival order (after the backend exists), so the backend's own queue keeps that order.
        const result = await (b[req.op] as (...a: unknown[]) => unknown)(...req.args);
        return req.op === 'runSteps' ? packMetrics(result as StepMetric[][]) : result;
      }
    }
  };
  // Requests are chained so a call never overtakes the create of its backend.
  let chain: Promise<unknown> = Promise.resolve();
  scope.onmessage = (e: MessageEvent) => {
    const req = e.data as PoolRequest;
    const started = chain.then(() => {
      const result = handle(req);
      result.then(
        (value) => scope.postMessage({ id: req.id, ok: true, result: value ?? null } satisfies PoolReply, transferables(value)),
        (err: unknown) => scope.postMessage({ id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies PoolReply, []),
      );
      // The next request may start once this one has reached its backend's queue, not when it ends.
      return req.type === 'create' ? result.catch(() => undefined) : undefined;
    });
    chain = started;
  };
}
