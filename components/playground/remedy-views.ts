import { html, nothing } from 'lit';
import type { ExperimentConfig } from '../../src/config/experiment.ts';
import { IMAGE_PIXELS } from '../../src/data/augment.ts';
import type { SessionInfo } from '../../src/worker/api.ts';
import './sp-augment-preview.ts';
import '../gan/sp-sample-grid.ts';

/** The GAN's preview images scaled to [-1, 1], once per report, so re-renders do not redraw them. */
const scaledPreviews = new WeakMap<Float32Array, Float32Array>();
function scaled(preview: Float32Array): Float32Array {
  let images = scaledPreviews.get(preview);
  if (!images) scaledPreviews.set(preview, (images = preview.map((v) => v * 2 - 1)));
  return images;
}

/**
 * What the image remedies did, under the remedies panel: the augmentation preview, and the
 * GAN's samples that joined the training split. `source` loads the first training images.
 */
export function imageRemedyViews(config: ExperimentConfig, info: SessionInfo | null, source: (n: number) => Promise<Float32Array>) {
  if (!info || info.spec.inputSize !== IMAGE_PIXELS) return nothing;
  const augment = config.remedies?.imageAugment ?? null;
  const gan = info.synthetic;
  const name = gan ? (info.classNames[gan.classIndex] ?? String(gan.classIndex)) : '';
  return html` ${augment ? html`<sp-augment-preview .source=${source} .ranges=${augment} .seed=${config.seed}></sp-augment-preview>` : nothing}
  ${
    gan
      ? html`<p data-testid="gan-oversample-report">
            GAN oversampling: class ${name} had ${gan.real} training images; ${gan.added} generated ones were added (GAN trained ${gan.iterations} iterations on
            ${gan.backend === 'webgpu' ? 'the GPU' : 'the CPU'}).
          </p>
          ${gan.preview.length ? html`<sp-sample-grid .images=${scaled(gan.preview)} columns="8" caption=${`generated images of class ${name}`}></sp-sample-grid>` : nothing}`
      : nothing
  }`;
}
