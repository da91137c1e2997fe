// The in-page half of the `ready` workload (bench/ready.mjs): installed with addInitScript before
// any of the page's own scripts, it notes `performance.now()` (ms since the navigation started)
// at the moment the page first becomes usable, and the backend status at that moment.
//
// The widgets render inside open shadow roots, which neither document.querySelector nor a
// MutationObserver on the document can see into. So the probe wraps attachShadow to learn every
// open root as it is made, observes each one, and re-checks the condition on every batch of
// mutations: the time is taken in the microtask after the render that made the page ready, not
// whenever a poll from the test runner happens to look. A slow interval re-checks too, for
// changes no mutation announces (a textarea's value is a property, not an attribute).

/**
 * Runs in the page (self-contained: playwright sends its source). `target.kind` is 'train' (the
 * Train button, data-testid="train-toggle", inside the first `target.scope` element, enabled) or
 * 'source' (some WGSL kernel source, text containing "@compute", visible inside the first
 * `target.scope` element). Results appear on `window.__spReady`:
 * `{ readyMs, frameMs, backendAtReady: {text, state, trial} | null, trialEndMs, backendAfterTrial }`.
 */
export function installReadyProbe(target) {
  const roots = new Set([document]);
  const probe = { readyMs: null, frameMs: null, backendAtReady: null, trialEndMs: null, backendAfterTrial: null, checks: 0 };
  window.__spReady = probe;

  // True when `root` is `scope`'s own shadow root or lies in a shadow tree nested inside it.
  const inScope = (root, scope) => {
    for (let host = root.host; host; host = host.getRootNode().host) if (host === scope) return true;
    return false;
  };
  const scopedRoots = () => {
    const scope = document.querySelector(target.scope);
    if (!scope) return [];
    return [...roots].filter((r) => r !== document && r.host.isConnected && inScope(r, scope));
  };
  const firstByTestId = (id) => {
    for (const root of scopedRoots()) {
      const hit = root.querySelector(`[data-testid="${id}"]`);
      if (hit) return hit;
    }
    return null;
  };

  const trainReady = () => {
    const button = firstByTestId('train-toggle');
    return !!button && !button.disabled && button.checkVisibility();
  };
  // Generic on purpose: the explorer's views change (sources before the device, an offline view),
  // so any visible element of its shadow trees that shows "@compute" counts. The highlighter may
  // split a line into spans, hence the look at a text node's parent and grandparent.
  const sourceShown = () => {
    for (const root of scopedRoots()) {
      if (!root.textContent.includes('compute') && !root.querySelector('textarea')) continue;
      for (const area of root.querySelectorAll('textarea')) if (area.value.includes('@compute') && area.checkVisibility()) return true;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.data.includes('compute')) continue;
        for (let el = node.parentElement, up = 0; el && up < 3; el = el.parentElement, up++) {
          if (el.textContent.includes('@compute')) {
            if (el.checkVisibility()) return true;
            break;
          }
        }
      }
    }
    return false;
  };
  // The status line, its data-state (trial, cpu, webgpu, reference) and Auto's trial figures.
  const backend = () => {
    const el = firstByTestId('backend');
    if (!el) return null;
    const trial = firstByTestId('backend-trial');
    return { text: el.textContent.trim(), state: el.getAttribute('data-state'), trial: trial ? trial.textContent.trim() : null };
  };

  const check = () => {
    probe.checks++;
    if (probe.readyMs === null) {
      if (!(target.kind === 'train' ? trainReady() : sourceShown())) return;
      probe.readyMs = performance.now();
      probe.backendAtReady = target.kind === 'train' ? backend() : null;
      // What a person sees comes with the next frame; recorded beside the DOM time.
      requestAnimationFrame(() => (probe.frameMs = performance.now()));
    }
    // After ready, only the backend's trial is followed: when data-state leaves 'trial'.
    const now = target.kind === 'train' ? backend() : null;
    if (now?.state && now.state !== 'trial' && probe.trialEndMs === null) {
      probe.trialEndMs = performance.now();
      probe.backendAfterTrial = now;
    }
    if (probe.trialEndMs !== null || (probe.readyMs !== null && target.kind !== 'train')) stop();
  };

  const observer = new MutationObserver(check);
  const options = { subtree: true, childList: true, attributes: true, characterData: true };
  const original = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function attachShadow(init) {
    const root = original.call(this, init);
    if (init?.mode === 'open') {
      roots.add(root);
      observer.observe(root, options);
    }
    return root;
  };
  observer.observe(document, options);
  const timer = setInterval(check, 100);
  function stop() {
    observer.disconnect();
    clearInterval(timer);
  }
  // The runner stops following the trial after its own deadline; the probe must not outlive it.
  probe.stop = stop;
}
