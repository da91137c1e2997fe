// The shader explorer page: its own GPU device (timestamp queries where the adapter has them),
// a small Iris network training on it while every kernel is timed, and <sp-shader-explorer>.
import '../components/sp-shader-explorer.ts';
import { acquireGpu } from '../src/gpu/device.ts';
import { ShaderExplorer } from '../src/explorer/explorer.ts';
import { decodeSharedEdit } from '../src/explorer/share.ts';
import { initParams } from '../src/nn/init.ts';
import { decodeHash } from '../src/config/url.ts';
import { MnistAssets } from '../src/worker/assets.ts';

const STEPS_PER_SUBMIT = 8;
const PROFILE_EVERY_MS = 500;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const element = document.querySelector('sp-shader-explorer')!;
const showError = (message: string) => ($('error').textContent = message);

/**
 * The network to explore: the experiment in the link (from the playground's "Open in the shader
 * explorer"), or the small default Iris network.
 */
async function explorerFor(ctx: Awaited<ReturnType<typeof acquireGpu>>): Promise<ShaderExplorer> {
  const hash = location.hash;
  if (!/[#&]dataset=/.test(hash)) return ShaderExplorer.create(ctx);
  const { config, messages } = decodeHash(hash.replace(/(^|&|#)(kernel|wgsl)=[^&]*/g, ''));
  if (messages.length) showError(messages.join(' '));
  if (config.dataset.name === 'csv') {
    showError('A CSV file is not part of a link: exploring the default Iris network instead.');
    return ShaderExplorer.create(ctx);
  }
  $('network').textContent = `${config.dataset.name}, hidden ${config.hidden.map((l) => `${l.units} ${l.activation}`).join(', ') || 'none'}, ${config.optimizer.kind}`;
  return ShaderExplorer.fromExperiment(ctx, config, new MnistAssets(new URL('./data/', location.href)).source);
}

async function main(): Promise<void> {
  const ctx = await acquireGpu((e) => showError(e.message), navigator.gpu, ['timestamp-query']);
  const explorer = await explorerFor(ctx);
  $('device').textContent = `${ctx.adapterName}${ctx.device.features.has('timestamp-query') ? '' : ' (no timestamp-query: CPU-side timing)'}`;
  element.explorer = explorer;
  try {
    element.sharedEdit = decodeSharedEdit(location.hash, explorer.families.map((f) => f.name));
  } catch (e) {
    showError(`The link's kernel edit was not loaded: ${(e as Error).message}`);
  }

  let running = true;
  const toggle = $<HTMLButtonElement>('toggle');
  const restart = $<HTMLButtonElement>('restart');
  toggle.disabled = restart.disabled = false;
  toggle.addEventListener('click', () => {
    running = !running;
    toggle.textContent = running ? 'Pause' : 'Train';
  });
  restart.addEventListener('click', () => {
    const spec = explorer.backend.batch.debugBuffers().spec;
    void explorer.backend.writeParams(initParams(spec, explorer.model.seed));
  });

  let lastProfile = 0;
  let snapshotTaken = false;
  for (;;) {
    if (ctx.failure) return;
    if (!running) {
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    const metrics = await explorer.trainSteps(STEPS_PER_SUBMIT);
    $('step').textContent = String(explorer.steps.length);
    const loss = metrics.reduce((s, m) => s + m.loss, 0) / metrics.length;
    $('loss').textContent = Number.isFinite(loss) ? loss.toFixed(4) : String(loss);
    if (performance.now() - lastProfile > PROFILE_EVERY_MS) {
      element.profile = await explorer.profile();
      lastProfile = performance.now();
      if (!snapshotTaken) {
        snapshotTaken = true;
        await element.takeSnapshot();
      }
    }
    // Let the page paint and handle input between submits.
    await new Promise((r) => setTimeout(r, 0));
  }
}

main().catch((e) => showError(e instanceof Error ? e.message : String(e)));
