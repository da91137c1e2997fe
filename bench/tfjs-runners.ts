// TensorFlow.js's side of the benchmark: the same workloads, the same initial weights (read from
// shaderprop's initParams arena), the same batches, trained the way a careful tfjs user would
// (fused matMul + bias + activation, optimizer.minimize = variableGrads + applyGradients in a
// tidy), with one awaited loss readback every K steps like shaderprop's one readback per submit.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { Activation } from '../src/nn/activation.ts';
import { arenaLayout, layerTensors } from '../src/nn/arena.ts';
import { initParams } from '../src/nn/init.ts';
import type { OptimizerConfig } from '../src/nn/optimizer.ts';
import { denseLayers, type ModelSpec } from '../src/nn/spec.ts';
import type { Runner } from './measure.ts';
import { batchChunks, BENCH_SEED, STEPS_PER_READBACK, type GanWorkload, type MatmulWorkload, type MlpWorkload, type Workload } from './workloads.ts';

/** The TensorFlow.js backends compared. */
export type TfjsBackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

// The .wasm files are copied next to the bundle: nothing may load from another origin.
setWasmPaths('./');

/** Switches TensorFlow.js to `name` (initialising it once) and returns the active backend. */
export async function useTfjsBackend(name: TfjsBackendName): Promise<string> {
  if (!(await tf.setBackend(name))) throw new Error(`TensorFlow.js could not start its ${name} backend`);
  await tf.ready();
  return tf.getBackend();
}

/** One dense layer as tfjs variables. */
interface Dense {
  w: tf.Variable;
  b: tf.Variable;
  act: Activation;
}

/** Dense layers `from`..`to` of `spec`, initialised from shaderprop's arena for the same seed. */
function denseFromArena(spec: ModelSpec, from = 0, to = Infinity): Dense[] {
  const layout = arenaLayout(spec);
  const params = initParams(spec, BENCH_SEED, layout);
  return denseLayers(spec).flatMap((l, i) => {
    if (i < from || i >= to) return [];
    const { weight, bias } = layerTensors(layout, i);
    const w = tf.variable(tf.tensor2d(params.slice(weight.offset, weight.offset + weight.size), [l.inputs, l.units]));
    const b = tf.variable(tf.tensor1d(params.slice(bias.offset, bias.offset + bias.size)));
    return [{ w, b, act: l.activation }];
  });
}

/** Forward pass: fused matMul + bias + activation per layer (tanh has no fused form in tfjs). */
function forward(layers: Dense[], x: tf.Tensor2D): tf.Tensor2D {
  return layers.reduce<tf.Tensor2D>((h, l) => {
    if (l.act === 'tanh') return tf.tanh(tf.fused.matMul({ a: h, b: l.w as tf.Tensor2D, bias: l.b })) as tf.Tensor2D;
    const activation = l.act === 'leaky_relu' ? 'leakyrelu' : l.act;
    return tf.fused.matMul({ a: h, b: l.w as tf.Tensor2D, bias: l.b, activation, leakyreluAlpha: 0.2 }) as tf.Tensor2D;
  }, x);
}

const vars = (layers: Dense[]) => layers.flatMap((l) => [l.w, l.b]);
const adam = (o: OptimizerConfig) => tf.train.adam(o.learningRate, o.beta1, o.beta2, o.epsilon);

/** Extras every tfjs runner reports: its backend and its tensor memory. */
function memoryExtras(): Record<string, number | string> {
  const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
  return { backend: tf.getBackend(), tensor_bytes: m.numBytes, ...(m.numBytesInGPU !== undefined ? { gpu_bytes: m.numBytesInGPU } : {}) };
}

/**
 * A runner whose call queues `units` steps (each returning its loss scalar), then awaits one
 * readback of the last loss. `step(i, s)` is step s of call i.
 */
function stepRunner(step: (call: number, s: number) => tf.Scalar, dispose: () => void): Runner {
  let calls = 0;
  return {
    maxChunk: STEPS_PER_READBACK,
    async run(units) {
      const call = calls++;
      let last: tf.Scalar | null = null;
      for (let s = 0; s < units; s++) {
        last?.dispose();
        last = step(call, s);
      }
      await last!.data();
      last!.dispose();
    },
    extras: memoryExtras,
    dispose,
  };
}

/** Indices of step s of chunk `call` as an int32 tensor (a tiny upload per step, as users do). */
function batchIndices(chunks: Uint32Array[], batch: number, call: number, s: number): tf.Tensor1D {
  const chunk = chunks[call % chunks.length]!;
  return tf.tensor1d(Int32Array.from(chunk.subarray(s * batch, (s + 1) * batch)), 'int32');
}

/** A classifier trained with softmax cross-entropy (or sigmoid BCE for one output). */
function mlpRunner(w: MlpWorkload): Runner {
  const { spec, data, batch } = w;
  const layers = denseFromArena(spec);
  const x = tf.tensor2d(data.features, [data.rows, data.inputSize]);
  const labels = tf.tensor1d(Int32Array.from(data.targets), 'int32');
  const y = spec.loss === 'softmax_ce' ? tf.oneHot(labels, w.classes).toFloat() : labels.toFloat().reshape([data.rows, 1]);
  labels.dispose();
  const opt = adam(w.optimizer);
  const chunks = batchChunks(data.rows, batch, STEPS_PER_READBACK, 8);
  const loss = spec.loss === 'softmax_ce' ? tf.losses.softmaxCrossEntropy : tf.losses.sigmoidCrossEntropy;
  const step = (call: number, s: number) =>
    tf.tidy(() => {
      const idx = batchIndices(chunks, batch, call, s);
      const xb = tf.gather(x, idx) as tf.Tensor2D;
      const yb = tf.gather(y, idx);
      return opt.minimize(() => loss(yb, forward(layers, xb)) as tf.Scalar, true, vars(layers))!;
    });
  return stepRunner(step, () => {
    tf.dispose([x, y, ...vars(layers)]);
    opt.dispose();
  });
}

/**
 * The real GAN step: D on a batch of real images and a batch of G's fakes (concatenated, labels
 * 1 and 0), then G through D with labels 1, each with its own Adam. Latent vectors are gathered
 * from a seeded table, the same ones shaderprop's approximation trains on.
 */
function ganRunner(w: GanWorkload): Runner {
  const { batch, stacked, d } = w;
  // The stacked G∘D arena holds G (layers 0-2) and D (3-5) with the same init shaderprop uses.
  const G = denseFromArena(stacked.spec, 0, 3);
  const D = denseFromArena(stacked.spec, 3);
  const real = tf.tensor2d(w.real, [d.data.rows, 784]);
  const latent = tf.tensor2d(stacked.data.features, [stacked.data.rows, w.latent]);
  const dLabels = tf.concat([tf.ones([batch, 1]), tf.zeros([batch, 1])]);
  const gLabels = tf.ones([batch, 1]);
  const [dOpt, gOpt] = [adam(w.optimizer), adam(w.optimizer)];
  const realChunks = batchChunks(d.data.rows, batch, STEPS_PER_READBACK, 8, 1);
  const zChunks = batchChunks(stacked.data.rows, batch, STEPS_PER_READBACK, 8, 2);
  const zChunks2 = batchChunks(stacked.data.rows, batch, STEPS_PER_READBACK, 8, 3);
  const bce = (labels: tf.Tensor, logits: tf.Tensor) => tf.losses.sigmoidCrossEntropy(labels, logits) as tf.Scalar;
  const step = (call: number, s: number) =>
    tf.tidy(() => {
      const xr = tf.gather(real, batchIndices(realChunks, batch, call, s)) as tf.Tensor2D;
      const z = tf.gather(latent, batchIndices(zChunks, batch, call, s)) as tf.Tensor2D;
      const dCost = dOpt.minimize(() => bce(dLabels, forward(D, tf.concat([xr, forward(G, z)]))), true, vars(D))!;
      const z2 = tf.gather(latent, batchIndices(zChunks2, batch, call, s)) as tf.Tensor2D;
      const gCost = gOpt.minimize(() => bce(gLabels, forward(D, forward(G, z2))), true, vars(G))!;
      return tf.add(dCost, gCost) as tf.Scalar;
    });
  return stepRunner(step, () => {
    tf.dispose([real, latent, dLabels, gLabels, ...vars(G), ...vars(D)]);
    dOpt.dispose();
    gOpt.dispose();
  });
}

/** C = A·B, `units` times per call, then a readback of one element of the last product. */
function matmulRunner(w: MatmulWorkload): Runner {
  const a = tf.tensor2d(w.a, [w.n, w.n]);
  const b = tf.tensor2d(w.b, [w.n, w.n]);
  return {
    maxChunk: 256,
    async run(units) {
      let c: tf.Tensor2D | null = null;
      for (let u = 0; u < units; u++) {
        c?.dispose();
        c = tf.matMul(a, b);
      }
      const corner = tf.slice(c!, [0, 0], [1, 1]);
      c!.dispose();
      await corner.data();
      corner.dispose();
    },
    extras: memoryExtras,
    dispose: () => tf.dispose([a, b]),
  };
}

/** Creates the TensorFlow.js runner of a workload on the active backend. */
export async function tfjsRunner(workload: Workload): Promise<Runner> {
  if (workload.kind === 'matmul') return matmulRunner(workload);
  return workload.kind === 'mlp' ? mlpRunner(workload) : ganRunner(workload);
}
