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
import { discriminatorSpec, ganAdam, generatorSpec, IMAGE_PIXELS } from '../src/train/gan-config.ts';
import type { Runner } from './measure.ts';
import { batchChunks, BENCH_SEED, ganChunks, STEPS_PER_READBACK, type GanWorkload, type MatmulWorkload, type MlpWorkload, type Workload } from './workloads.ts';

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

/** The dense layers of `spec` as variables holding the arena `params` (initParams for the bench seed). */
function denseFromArena(spec: ModelSpec, params: Float32Array = initParams(spec, BENCH_SEED)): Dense[] {
  const layout = arenaLayout(spec);
  return denseLayers(spec).map((l, i) => {
    const { weight, bias } = layerTensors(layout, i);
    const w = tf.variable(tf.tensor2d(params.slice(weight.offset, weight.offset + weight.size), [l.inputs, l.units]));
    const b = tf.variable(tf.tensor1d(params.slice(bias.offset, bias.offset + bias.size)));
    return { w, b, act: l.activation };
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
  let lastLoss = NaN;
  return {
    maxChunk: STEPS_PER_READBACK,
    async run(units) {
      const call = calls++;
      let last: tf.Scalar | null = null;
      for (let s = 0; s < units; s++) {
        last?.dispose();
        last = step(call, s);
      }
      lastLoss = (await last!.data())[0]!;
      last!.dispose();
    },
    extras: () => ({ ...memoryExtras(), last_loss: lastLoss }),
    dispose,
  };
}

/** Indices of step s of chunk `call` as an int32 tensor (a tiny upload per step, as users do). */
function batchIndices(chunks: Uint32Array[], batch: number, call: number, s: number): tf.Tensor1D {
  const chunk = chunks[call % chunks.length]!;
  return tf.tensor1d(Int32Array.from(chunk.subarray(s * batch, (s + 1) * batch)), 'int32');
}

/**
 * A classifier trained with softmax cross-entropy (or sigmoid BCE for one output). A batched
 * workload's N models train one after another (tfjs has no way to fuse independent models into
 * one set of kernels): one unit is one step of every model, like shaderprop's.
 */
function mlpRunner(w: MlpWorkload): Runner {
  const { spec, data, batch } = w;
  const models = w.learningRates.map((lr, z) => ({
    layers: denseFromArena(spec, initParams(spec, BENCH_SEED + z)),
    opt: adam({ ...w.optimizer, learningRate: lr }),
  }));
  const x = tf.tensor2d(data.features, [data.rows, data.inputSize]);
  const labels = tf.tensor1d(Int32Array.from(data.targets), 'int32');
  const y = spec.loss === 'softmax_ce' ? tf.oneHot(labels, w.classes).toFloat() : labels.toFloat().reshape([data.rows, 1]);
  labels.dispose();
  const chunks = batchChunks(data.rows, batch, STEPS_PER_READBACK, 8);
  const loss = spec.loss === 'softmax_ce' ? tf.losses.softmaxCrossEntropy : tf.losses.sigmoidCrossEntropy;
  const step = (call: number, s: number) => {
    let last: tf.Scalar | null = null;
    models.forEach((m, z) => {
      last?.dispose();
      last = tf.tidy(() => {
        const idx = batchIndices(chunks, batch, call + z, s);
        const xb = tf.gather(x, idx) as tf.Tensor2D;
        const yb = tf.gather(y, idx);
        return m.opt.minimize(() => loss(yb, forward(m.layers, xb)) as tf.Scalar, true, vars(m.layers))!;
      });
    });
    return last!;
  };
  return stepRunner(step, () => {
    tf.dispose([x, y, ...models.flatMap((m) => vars(m.layers))]);
    models.forEach((m) => m.opt.dispose());
  });
}

/**
 * The GAN iteration of the engine's GAN backends, in tfjs: D on the batch's fakes G(zD) then its
 * reals (labels 0 and 1, one BCE over 2·batch rows), then G through D with labels 1 (the
 * non-saturating loss), each net with its own Adam and only its own variables updated. Latent
 * vectors and real image ids are the same ready-made chunks shaderprop gets.
 */
function ganRunner(w: GanWorkload): Runner {
  const { config, images, params } = w;
  const { batch: B, latent: L } = config;
  const G = denseFromArena(generatorSpec(config), params.g);
  const D = denseFromArena(discriminatorSpec(config), params.d);
  const rows = images.length / IMAGE_PIXELS;
  const real = tf.tidy(() => tf.tensor2d(images, [rows, IMAGE_PIXELS], 'float32').div(127.5).sub(1));
  const dLabels = tf.concat([tf.zeros([B, 1]), tf.ones([B, 1])]);
  const gLabels = tf.ones([B, 1]);
  const [dOpt, gOpt] = [adam(ganAdam(config.d)), adam(ganAdam(config.g))];
  const ring = ganChunks(w, STEPS_PER_READBACK, 4);
  const bce = (labels: tf.Tensor, logits: tf.Tensor) => tf.losses.sigmoidCrossEntropy(labels, logits) as tf.Scalar;
  const step = (call: number, s: number) =>
    tf.tidy(() => {
      const c = ring[call % ring.length]!;
      const ids = tf.tensor1d(Int32Array.from(c.realIndices.subarray(s * B, (s + 1) * B)), 'int32');
      const zD = tf.tensor2d(c.zD.subarray(s * B * L, (s + 1) * B * L), [B, L]);
      const zG = tf.tensor2d(c.zG.subarray(s * B * L, (s + 1) * B * L), [B, L]);
      const xr = tf.gather(real, ids) as tf.Tensor2D;
      const dCost = dOpt.minimize(() => bce(dLabels, forward(D, tf.concat([forward(G, zD), xr]))), true, vars(D))!;
      const gCost = gOpt.minimize(() => bce(gLabels, forward(D, forward(G, zG))), true, vars(G))!;
      return tf.add(dCost, gCost) as tf.Scalar;
    });
  return stepRunner(step, () => {
    tf.dispose([real, dLabels, gLabels, ...vars(G), ...vars(D)]);
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
  if (workload.kind === 'views') throw new Error("inside-spiral measures shaderprop's own views; TensorFlow.js has none");
  if (workload.kind === 'gan2d') throw new Error("gan-2d measures shaderprop's 2-D GAN lab; no TensorFlow.js runner is written for it");
  return workload.kind === 'mlp' ? mlpRunner(workload) : ganRunner(workload);
}
