import { expect } from '@esm-bundle/chai';
import '../../../components/gan/sp-gan-export.ts';
import type { GanLoadDetail, SpGanExport } from '../../../components/gan/sp-gan-export.ts';
import { ganToSafetensors } from '../../../src/io/gan-file.ts';
import { initGan, SMALL_GAN, type GanConfig } from '../../../src/train/gan-config.ts';

const CONFIG: GanConfig = { ...SMALL_GAN, latent: 6, generator: [10], discriminator: [7], dSteps: 2, seed: 3 };

async function element(props: Partial<SpGanExport> = {}): Promise<SpGanExport> {
  const el = document.createElement('sp-gan-export');
  Object.assign(el, props);
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const part = <T extends Element>(el: SpGanExport, testid: string): T => el.shadowRoot!.querySelector<T>(`[data-testid="${testid}"]`)!;
const file = (bytes: Uint8Array, name: string): File => new File([bytes.slice()], name);

/** The next download started on the page: its file name and text, taken before the browser saves it. */
function nextDownload(): Promise<{ name: string; text: string }> {
  return new Promise((resolve) => {
    const onClick = (e: MouseEvent) => {
      const a = e.target as HTMLAnchorElement;
      if (!(a instanceof HTMLAnchorElement) || !a.download) return;
      e.preventDefault();
      document.removeEventListener('click', onClick, true);
      void fetch(a.href).then(async (r) => resolve({ name: a.download, text: await r.text() }));
    };
    document.addEventListener('click', onClick, true);
  });
}

describe('<sp-gan-export>', () => {
  afterEach(() => document.body.replaceChildren());

  it('downloads a PyTorch and a Keras script of the GAN as configured', async () => {
    const el = await element({ config: CONFIG });
    for (const [testid, name] of [
      ['gan-export-pytorch', 'shaderprop_gan_pytorch.py'],
      ['gan-export-keras', 'shaderprop_gan_keras.py'],
    ] as const) {
      const download = nextDownload();
      part<HTMLButtonElement>(el, testid).click();
      const got = await download;
      expect(got.name).to.equal(name);
      expect(got.text)
        .to.match(/^LATENT = 6 /m)
        .and.match(/^D_STEPS = 2 /m)
        .and.contain('--save-generator');
    }
  });

  it('has nothing to export before a GAN is built', async () => {
    const el = await element();
    expect(part<HTMLButtonElement>(el, 'gan-export-pytorch').disabled).to.equal(true);
    expect(part<HTMLButtonElement>(el, 'gan-export-keras').disabled).to.equal(true);
  });

  it('loads a pair of Save G and D files in either order and emits sp-gan-load', async () => {
    const el = await element({ config: SMALL_GAN });
    const files = ganToSafetensors(CONFIG, initGan(CONFIG), 21);
    const seen: GanLoadDetail[] = [];
    document.addEventListener('sp-gan-load', (e) => seen.push((e as CustomEvent<GanLoadDetail>).detail), { once: true });
    await el.loadFiles([file(files.discriminator, 'd.safetensors'), file(files.generator, 'g.safetensors')]);
    await el.updateComplete;
    expect(seen).to.have.length(1);
    expect(seen[0]!.config).to.deep.equal(CONFIG);
    expect(seen[0]!.iterations).to.equal(21);
    expect(part(el, 'gan-load-status').textContent).to.contain('trained 21 iterations');
  });

  it('says why files were not loaded and emits nothing', async () => {
    const el = await element({ config: SMALL_GAN });
    let emitted = 0;
    const count = () => emitted++;
    document.addEventListener('sp-gan-load', count);
    const files = ganToSafetensors(CONFIG, initGan(CONFIG), 0);
    await el.loadFiles([file(files.generator, 'g.safetensors')]);
    await el.updateComplete;
    expect(part(el, 'gan-load-error').textContent).to.contain('pick both files together');
    await el.loadFiles([file(files.generator, 'a.safetensors'), file(files.generator, 'b.safetensors')]);
    await el.updateComplete;
    expect(part(el, 'gan-load-error').textContent).to.contain('a generator').and.contain('a discriminator');
    document.removeEventListener('sp-gan-load', count);
    expect(emitted).to.equal(0);
  });

  it('disables loading while the GAN trains', async () => {
    const el = await element({ config: CONFIG, busy: true });
    expect(part<HTMLInputElement>(el, 'gan-load').disabled).to.equal(true);
    expect(part<HTMLInputElement>(el, 'gan-load').multiple).to.equal(true);
  });
});
