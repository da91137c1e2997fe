import { expect } from '@esm-bundle/chai';
import { assetBaseOf } from '../../src/worker/asset-base.ts';
import { blobWorkerSource, blockedMessage, isCrossOrigin, loadFailureMessage } from '../../src/worker/worker-start.ts';
import { engineWorkerUrl } from '../../src/worker/worker-url.ts';

const CDN = new URL('https://cdn.example/npm/shaderprop@1.0.0/dist/worker.js');

describe('starting the engine worker from any origin', () => {
  it('tells a same-origin script from a cross-origin one', () => {
    expect(isCrossOrigin(new URL('./worker.js', location.href))).to.equal(false);
    expect(isCrossOrigin(CDN)).to.equal(true);
  });

  it('the blob: starter imports the script dynamically and holds messages until it has run', async () => {
    const source = blobWorkerSource(CDN);
    expect(source).to.contain(`import(${JSON.stringify(CDN.href)})`);
    // A same-origin script through the same starter: messages sent at once still reach its listener.
    const echo = URL.createObjectURL(new Blob(["addEventListener('message', (e) => postMessage(['echo', e.data]));"], { type: 'text/javascript' }));
    const worker = new Worker(URL.createObjectURL(new Blob([blobWorkerSource(new URL(echo))], { type: 'text/javascript' })), { type: 'module' });
    const replies: unknown[] = [];
    const got = new Promise<void>((resolve) => worker.addEventListener('message', (e) => replies.push(e.data) === 2 && resolve()));
    worker.postMessage(1);
    worker.postMessage(2);
    await got;
    worker.terminate();
    expect(replies).to.deep.equal([
      ['echo', 1],
      ['echo', 2],
    ]);
  });

  it('a failed import is posted back with its cause', async () => {
    const worker = new Worker(URL.createObjectURL(new Blob([blobWorkerSource(new URL('/no-such-worker.js', location.href))], { type: 'text/javascript' })), {
      type: 'module',
    });
    const reply = await new Promise<Record<string, string>>((resolve) => worker.addEventListener('message', (e) => resolve(e.data)));
    worker.terminate();
    expect(reply.shaderpropStartError).to.be.a('string').and.not.equal('');
    expect(await loadFailureMessage(new URL('/no-such-worker.js', location.href), true, reply.shaderpropStartError!)).to.match(/answered 404/);
  });

  it('names the real cause when the policy forbids blob: workers, and both fixes', () => {
    const m = blockedMessage(CDN, true, 'blob');
    expect(m).to.match(/must be same-origin/);
    expect(m).to.contain('https://cdn.example');
    expect(m).to.match(/self-host/);
    expect(m).to.match(/add blob: to the worker-src/);
    expect(blockedMessage(new URL('./worker.js', location.href), false)).to.contain("worker-src 'self'");
  });

  it('reads MNIST from beside the script, or from the folder ?assets= names', () => {
    expect(assetBaseOf(CDN.href).href).to.equal('https://cdn.example/npm/shaderprop@1.0.0/dist/data/');
    expect(assetBaseOf(`${CDN.href}?assets=${encodeURIComponent('https://blog.example/static/mnist')}`).href).to.equal('https://blog.example/static/mnist/');
  });

  it('an assets folder must be on the page origin or the script origin', () => {
    expect(engineWorkerUrl('/static/data/').searchParams.get('assets')).to.equal(new URL('/static/data/', location.href).href);
    expect(() => engineWorkerUrl('https://elsewhere.example/data/')).to.throw(/elsewhere\.example.*only from this page's origin/);
  });
});
