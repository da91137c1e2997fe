// jax-js's side of the benchmark (issue 32): the same networks, initial weights and batches as
// TensorFlow.js's side, trained the way jax-js is written: one `jit`-compiled step (gather of the
// batch, forward, softmax cross-entropy, `valueAndGrad`, Adam) that takes the whole training state
// and returns the next one, so jax-js can fuse the step's kernels. Arrays are lazy: nothing is
// dispatched until a result is read, so each chunk ends in an awaited readback of its last loss,
// which depends on every step before it (K = 16 steps per readback, as for the other rows).
import { init, jit, nn, numpy as np, tree, valueAndGrad, type Device } from '@jax-js/jax';
import { arenaLayout, layerTensors } from '../src/nn/arena.ts';
import { initParams } from '../src/nn/init.ts';
import type { OptimizerConfig } from '../src/nn/optimizer.ts';
import { denseLayers, type ModelSpec } from '../src/nn/spec.ts';
import type { Runner } from './measure.ts';
import { batchChunks, BENCH_SEED, STEPS_PER_READBACK, type MatmulWorkload, type MlpWorkload, type Workload } from './workloads.ts';

/** The jax-js devices compared (`cpu` is its interpreted JavaScript backend, meant for debugging). */
export type JaxDeviceName = Extract<Device, 'webgpu' | 'webgl' | 'wasm' | 'cpu'>;

/** A device jax-js could not start here: the cell reads "not run" with this message. */
export class JaxUnavailableError extends Error {}

/** Starts jax-js's `device` (once; `init` keeps what it started) or throws JaxUnavailableError. */
export async function useJaxDevice(device: JaxDeviceName): Promise<JaxDeviceName> {
  // init() leaves out a backend it cannot create (it logs why to the console only).
  const started = await init(device);
  if (!started.includes(device)) throw new JaxUnavailableError(`jax-js could not start its ${device} backend: ${await whyNot(device)}`);
  return device;
}

/** What jax-js's init() checks before it gives a device up, found again for the cell's note. */
async function whyNot(device: JaxDeviceName): Promise<string> {
  if (device === 'webgpu') {
    if (!('gpu' in navigator)) return 'no navigator.gpu in this browser';
    const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
    return adapter ? 'its device request failed (see the console)' : 'no WebGPU adapter';
  }
  if (device === 'webgl') return 'no WebGL2 context with EXT_color_buffer_float (or only one with a major performance caveat)';
  return 'no WebAssembly';
}

/** One dense layer's parameters (a `type`, not an interface: jax-js's JsTree needs one). */
type Layer = { w: np.Array; b: np.Array };

/**
 * Adam's state beside the parameters. `beta1t` and `beta2t` are β1^t and β2^t, kept on the device
 * like tfjs's accumulated betas so a step needs no upload but its batch indices.
 */
type TrainState = { params: Layer[]; m: Layer[]; v: Layer[]; beta1t: np.Array; beta2t: np.Array };

/** `spec`'s dense layers from the arena `params` (initParams for the bench seed), on `device`. */
function layersFromArena(spec: ModelSpec, params: Float32Array, device: JaxDeviceName): Layer[] {
  const layout = arenaLayout(spec);
  return denseLayers(spec).map((l, i) => {
    const { weight, bias } = layerTensors(layout, i);
    const w = np.array(params.slice(weight.offset, weight.offset + weight.size), { shape: [l.inputs, l.units], device });
    const b = np.array(params.slice(bias.offset, bias.offset + bias.size), { device });
    return { w, b };
  });
}

/** Zeros shaped like `layers` (Adam's first and second moments at t = 0). */
const zerosLike = (layers: Layer[], device: JaxDeviceName): Layer[] =>
  layers.map((l) => ({ w: np.zeros(l.w.shape, { device }), b: np.zeros(l.b.shape, { device }) }));

/**
 * The jitted training step of a ReLU MLP with a linear output layer: gather the batch's rows and
 * one-hot labels, the mean softmax cross-entropy and its gradient (`valueAndGrad`), then Adam as
 * tfjs's `train.adam` computes it. Takes ownership of its arguments (jax-js's rule) and returns
 * the next state and the loss of the batch before the update.
 */
function trainStep(spec: ModelSpec, batch: number, o: OptimizerConfig) {
  if (spec.loss !== 'softmax_ce' || spec.hidden.some((l) => l.activation !== 'relu')) {
    throw new Error('the jax-js runner trains ReLU networks with softmax cross-entropy only');
  }
  const loss = (params: Layer[], xb: np.Array, yb: np.Array): np.Array => {
    const logits = params.reduce<np.Array>((h, l, i) => {
      const z = np.dot(h, l.w).add(l.b);
      return i + 1 < params.length ? nn.relu(z) : z;
    }, xb);
    return nn
      .logSoftmax(logits)
      .mul(yb)
      .sum()
      .mul(-1 / batch);
  };
  return jit((s: TrainState, x: np.Array, y: np.Array, idx: np.Array): [TrainState, np.Array] => {
    const [value, grads] = valueAndGrad(loss)(tree.ref(s.params), np.take(x, idx.ref, 0), np.take(y, idx, 0));
    const beta1t = s.beta1t.mul(o.beta1);
    const beta2t = s.beta2t.mul(o.beta2);
    // Bias corrections 1 - β^t, shared by every tensor.
    const c1 = np.subtract(1, beta1t.ref);
    const c2 = np.subtract(1, beta2t.ref);
    const adam = (p: np.Array, m0: np.Array, v0: np.Array, g: np.Array): [np.Array, np.Array, np.Array] => {
      const m = m0.mul(o.beta1).add(g.ref.mul(1 - o.beta1));
      const v = v0.mul(o.beta2).add(g.ref.mul(g).mul(1 - o.beta2));
      const update = m.ref
        .div(c1.ref)
        .mul(o.learningRate)
        .div(np.sqrt(v.ref.div(c2.ref)).add(o.epsilon));
      return [p.sub(update), m, v];
    };
    const next: TrainState = { params: [], m: [], v: [], beta1t, beta2t };
    s.params.forEach((p, i) => {
      const [w, mw, vw] = adam(p.w, s.m[i]!.w, s.v[i]!.w, grads[i]!.w);
      const [b, mb, vb] = adam(p.b, s.m[i]!.b, s.v[i]!.b, grads[i]!.b);
      next.params.push({ w, b });
      next.m.push({ w: mw, b: mb });
      next.v.push({ w: vw, b: vb });
    });
    c1.dispose();
    c2.dispose();
    return [next, value];
  });
}

/**
 * One classifier trained with softmax cross-entropy. Reports the first step's loss (the initial
 * weights on the first batch) beside the last readback's, and fails the cell on a non-finite loss.
 */
function mlpRunner(w: MlpWorkload, device: JaxDeviceName): Runner {
  const { spec, data, batch } = w;
  // Batched models would be jax-js's vmap over a stacked state: not written (issue 32 asks for one).
  if (w.models !== 1) throw new Error('the jax-js runner trains one model at a time');
  const params = layersFromArena(spec, initParams(spec, BENCH_SEED), device);
  let state: TrainState = {
    m: zerosLike(params, device),
    v: zerosLike(params, device),
    params,
    beta1t: np.array(1, { device }),
    beta2t: np.array(1, { device }),
  };
  const step = trainStep(spec, batch, w.optimizer);
  // slice(): jax-js's types take ArrayBuffer-backed arrays only (the datasets' type allows shared ones).
  const x = np.array(data.features.slice(), { shape: [data.rows, data.inputSize], device });
  const labels = np.array(Int32Array.from(data.targets), { dtype: np.int32, device });
  const y = nn.oneHot(labels, w.classes).astype(np.float32);
  const chunks = batchChunks(data.rows, batch, STEPS_PER_READBACK, 8);
  let calls = 0;
  let firstLoss = NaN;
  let lastLoss = NaN;
  return {
    maxChunk: STEPS_PER_READBACK,
    async run(units) {
      const call = calls++;
      const chunk = chunks[call % chunks.length]!;
      let last: np.Array | null = null;
      for (let s = 0; s < units; s++) {
        // A tiny upload of the batch's row ids per step, as tfjs's side does.
        const idx = np.array(Int32Array.from(chunk.subarray(s * batch, (s + 1) * batch)), { dtype: np.int32, device });
        let loss: np.Array;
        [state, loss] = step(state, x.ref, y.ref, idx);
        // Dropping an unread loss cancels nothing: the next state carries the step's kernels.
        last?.dispose();
        last = loss;
      }
      lastLoss = (await last!.data())[0]!;
      if (call === 0) firstLoss = lastLoss;
      if (!Number.isFinite(lastLoss)) throw new Error(`jax-js on ${device}: the loss is ${lastLoss} after ${call + 1} readbacks`);
    },
    extras: () => ({ backend: device, first_loss: firstLoss, last_loss: lastLoss }),
    dispose() {
      tree.dispose([x, y, state]);
      step.dispose();
    },
  };
}

/**
 * C = A·B, `units` times per call. jax-js drops the kernels of an array disposed before anything
 * read it, so each product is dispatched as it is issued (`blockUntilReady`: its zero-byte read
 * resolves once that product is done) and freed then; the call waits for all of them.
 */
function matmulRunner(w: MatmulWorkload, device: JaxDeviceName): Runner {
  const a = np.array(w.a.slice(), { shape: [w.n, w.n], device });
  const b = np.array(w.b.slice(), { shape: [w.n, w.n], device });
  const product = jit((p: np.Array, q: np.Array) => np.matmul(p, q));
  return {
    maxChunk: 256,
    async run(units) {
      const done: Promise<void>[] = [];
      for (let u = 0; u < units; u++) {
        const c = product(a.ref, b.ref);
        done.push(c.blockUntilReady().then(() => c.dispose()));
      }
      await Promise.all(done);
    },
    extras: () => ({ backend: device }),
    dispose() {
      tree.dispose([a, b]);
      product.dispose();
    },
  };
}

/** Creates the jax-js runner of a workload on `device` (started by useJaxDevice). */
export async function jaxRunner(workload: Workload, device: JaxDeviceName): Promise<Runner> {
  if (workload.kind === 'matmul') return matmulRunner(workload, device);
  if (workload.kind === 'mlp') return mlpRunner(workload, device);
  throw new Error(`no jax-js runner for ${workload.kind} workloads`);
}
