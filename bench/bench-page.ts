// The benchmark page: every implementation in one tab, measured one at a time on request from
// bench/run.mjs (which drives it with playwright-core), so Node keeps the schedule and timeouts.
import { acquireGpu, type GpuContext } from '../src/gpu/device.ts';
import type { MatmulVariant } from '../src/gpu/kernels/matmul.ts';
import { jaxRunner, JaxUnavailableError, useJaxDevice, type JaxDeviceName } from './jax-runners.ts';
import { measure, type Budget, type Measurement } from './measure.ts';
import { shaderpropRunner, type ShaderpropEngine } from './shaderprop-runners.ts';
import { tfjsRunner, useTfjsBackend, type TfjsBackendName } from './tfjs-runners.ts';
import { measureViews } from './views-runner.ts';
import { makeWorkload, unitFacts, type ImplName, type Workload, type WorkloadName } from './workloads.ts';
import { chooseMatmulVariant, type MatmulTrial } from '../src/gpu/autotune.ts';
import { setCpuPoolScript } from '../src/cpu/cpu-pool.ts';

/** What bench/run.mjs calls on the page. */
export interface BenchApi {
  /** shaderprop's adapter name, whether it is a software adapter, and its start-up matmul trial. */
  adapter(): Promise<{ name: string; software: boolean; matmul: MatmulTrial }>;
  /** Measures one workload on one implementation; `variant` forces shaderprop's matmul. */
  measure(workload: WorkloadName, impl: ImplName, budget: Budget, variant?: MatmulVariant): Promise<Measurement>;
}

declare global {
  interface Window {
    shaderpropBench: BenchApi;
  }
}

// shaderprop-cpu-pool's workers start from the engine's worker script, bundled beside this page.
setCpuPoolScript(new URL('./worker.js', import.meta.url));

let gpu: Promise<GpuContext> | null = null;
let cached: { name: WorkloadName; workload: Workload } | null = null;

/** The workload's definition and data, built once per workload (runs are workload-major). */
function workloadOf(name: WorkloadName): Workload {
  if (cached?.name !== name) cached = { name, workload: makeWorkload(name) };
  return cached.workload;
}

window.shaderpropBench = {
  async adapter() {
    gpu ??= acquireGpu();
    const ctx = await gpu;
    return { name: ctx.adapterName, software: ctx.software, matmul: await chooseMatmulVariant(ctx) };
  },
  async measure(name, impl, budget, variant) {
    const workload = workloadOf(name);
    if (impl.startsWith('shaderprop-')) {
      const engine = impl.slice('shaderprop-'.length) as ShaderpropEngine;
      let ctx: GpuContext | null = null;
      if (engine === 'webgpu' || engine === 'auto') {
        gpu ??= acquireGpu();
        // Auto without an adapter is the CPU fallback; WebGPU without one fails the cell.
        ctx = engine === 'auto' ? await gpu.catch(() => null) : await gpu;
      }
      if (workload.kind === 'views') return { ...(await measureViews(workload, engine, ctx, budget)), ...unitFacts(workload) };
      return { ...(await measure(() => shaderpropRunner(workload, engine, ctx, variant), budget)), ...unitFacts(workload) };
    }
    if (impl.startsWith('jaxjs-')) {
      let device: JaxDeviceName;
      try {
        device = await useJaxDevice(impl.slice('jaxjs-'.length) as JaxDeviceName);
      } catch (e) {
        // A backend jax-js cannot start here is a fact of the run, not a failed page.
        if (!(e instanceof JaxUnavailableError)) throw e;
        return { median_ms: null, first_step_ms: NaN, samples: [], chunk: 0, chunks_per_rep: 0, extras: {}, skipped: `not run: ${e.message}` };
      }
      return { ...(await measure(() => jaxRunner(workload, device), budget)), ...unitFacts(workload) };
    }
    await useTfjsBackend(impl.slice('tfjs-'.length) as TfjsBackendName);
    return { ...(await measure(() => tfjsRunner(workload), budget)), ...unitFacts(workload) };
  },
};
document.getElementById('status')!.textContent = 'ready';
