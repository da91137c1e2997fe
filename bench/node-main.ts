// The Node side of the benchmark, bundled by bench/node.mjs (esbuild: the engine imports WGSL as
// text): shaderprop-webgpu's workloads on a WebGPU implementation handed in by the caller
// (Dawn from the npm package `webgpu`), with the same runners and timing as the browser page.
import { acquireGpu } from '../src/gpu/device.ts';
import { GpuUnavailableError } from '../src/gpu/errors.ts';
import type { MatmulVariant } from '../src/gpu/kernels/matmul.ts';
import { measure, type Budget, type Measurement } from './measure.ts';
import { shaderpropRunner } from './shaderprop-runners.ts';
import { makeWorkload, matmulFlops, type WorkloadName } from './workloads.ts';
import { chooseMatmulVariant } from '../src/gpu/autotune.ts';

/** One measurement of the Node run. */
export interface NodeMeasurement extends Measurement {
  workload: WorkloadName;
  variant: MatmulVariant;
}

/** The outcome: the adapter and the measurements, or why there was no adapter. */
export type NodeRun = { adapter: string; measurements: NodeMeasurement[] } | { unavailable: string };

/**
 * Measures shaderprop-webgpu on `workloads` with `gpu` (both matmul variants for matmul rows;
 * the engine's pick first). `log` receives one line per finished measurement.
 */
export async function runNodeBench(gpu: GPU, workloads: WorkloadName[], budget: Budget, log: (line: string) => void): Promise<NodeRun> {
  let ctx;
  try {
    ctx = await acquireGpu(undefined, gpu);
  } catch (e) {
    if (e instanceof GpuUnavailableError) return { unavailable: e.message };
    throw e;
  }
  log(`adapter: ${ctx.adapterName}${ctx.software ? ' (software)' : ''}`);
  const trial = await chooseMatmulVariant(ctx);
  log(`matmul trial: blocked ${trial.ms.blocked.toFixed(2)} ms, tiled ${trial.ms.tiled.toFixed(2)} ms → ${trial.variant}`);
  const picked: MatmulVariant = trial.variant;
  const measurements: NodeMeasurement[] = [];
  for (const name of workloads) {
    const workload = makeWorkload(name);
    const variants: MatmulVariant[] = workload.kind === 'matmul' ? [picked, picked === 'tiled' ? 'blocked' : 'tiled'] : [picked];
    for (const variant of variants) {
      const m = await measure(() => shaderpropRunner(workload, 'webgpu', ctx, variant), budget);
      measurements.push({ workload: name, variant, ...m });
      const unit = workload.kind === 'matmul' ? `ms/matmul, ${(matmulFlops(workload.n) / (m.median_ms ?? NaN) / 1e6).toFixed(3)} GFLOP/s` : 'ms/step';
      log(`  ${name.padEnd(12)} ${variant.padEnd(8)} ${m.median_ms === null ? `skipped: ${m.skipped}` : `${m.median_ms.toFixed(2)} ${unit}`}`);
    }
  }
  ctx.device.destroy();
  return { adapter: ctx.adapterName, measurements };
}
