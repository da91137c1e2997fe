import { expect } from '@esm-bundle/chai';
import '../../../components/playground/sp-embed-snippet.ts';

describe('<sp-embed-snippet>', () => {
  it('writes a module snippet and an iframe snippet for the hash, escaping quotes and markup', async () => {
    const el = document.createElement('sp-embed-snippet');
    el.base = 'https://example.org/demo/';
    el.hash = 'dataset=iris&layers=8"><script>';
    document.body.append(el);
    await el.updateComplete;
    expect(el.moduleSnippet).to.equal(
      '<script type="module" src="https://example.org/demo/shaderprop.js"></script>\n<sp-playground config="dataset=iris&amp;layers=8&quot;>&lt;script>"></sp-playground>',
    );
    expect(el.iframeSnippet).to.contain('src="https://example.org/demo/embed.html#dataset=iris&amp;layers=8%22%3E%3Cscript%3E"');
    const areas = el.shadowRoot!.querySelectorAll('textarea');
    expect(areas[0]!.value).to.equal(el.moduleSnippet);
    expect(areas[1]!.value).to.equal(el.iframeSnippet);
    el.remove();
  });
});
