// What "nothing overflows" means, measured in the page. Passed to page.evaluate, so it must be
// self-contained (no closures over this module).

/**
 * Every element of the page, shadow roots included, that overflows, as readable lines:
 * - "wider than its container": its box sticks out left or right of its layout parent's box;
 * - "scrolls sideways": its content is wider than its box (scrollWidth > clientWidth), whether
 *   that scrolls, is clipped or spills out;
 * - the page itself scrolling sideways.
 * A labelled scroll region (role=region, an aria-label, overflow-x auto or scroll, and keyboard
 * reachable: tabindex=0, or a text area inside that takes the focus, as in a code editor) may
 * scroll sideways, and what is inside it is not measured against it. Form controls scroll
 * their own text. Screen-reader-only text (clip-path inset(50%)) is not drawn and not measured.
 * `slack` px of rounding is tolerated.
 */
export function findOverflows(slack = 1) {
  const elements = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      elements.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  const parentOf = (el) => el.assignedSlot?.parentElement ?? el.parentElement ?? (el.parentNode instanceof ShadowRoot ? el.parentNode.host : null);
  const style = (el) => getComputedStyle(el);
  const isScrollRegion = (el) =>
    el.getAttribute('role') === 'region' &&
    (el.getAttribute('aria-label') ?? '').trim() !== '' &&
    /auto|scroll/.test(style(el).overflowX) &&
    (el.tabIndex === 0 || el.querySelector('textarea') !== null);
  const hidden = (el) => {
    for (let p = el; p; p = parentOf(p)) {
      const s = style(p);
      if (s.clipPath === 'inset(50%)' || s.visibility === 'hidden' || s.display === 'none') return true;
    }
    return false;
  };
  const inScrollRegion = (el) => {
    for (let p = parentOf(el); p; p = parentOf(p)) if (isScrollRegion(p)) return true;
    return false;
  };
  /** The nearest ancestor that lays out boxes (inline and display: contents ones do not). */
  const layoutParent = (el) => {
    for (let p = parentOf(el); p; p = parentOf(p)) {
      const d = style(p).display;
      if (d !== 'inline' && d !== 'contents') return p;
    }
    return null;
  };
  const name = (el) => {
    const parts = [];
    for (let p = el; p && parts.length < 4; p = parentOf(p)) {
      const id = p.getAttribute('data-testid')
        ? `[data-testid=${p.getAttribute('data-testid')}]`
        : p.id
          ? `#${p.id}`
          : p.classList.length
            ? `.${[...p.classList].join('.')}`
            : '';
      parts.unshift(`${p.tagName.toLowerCase()}${id}`);
      if (p.tagName.includes('-')) break;
    }
    return parts.join(' > ');
  };
  const found = [];
  for (const el of elements) {
    if (el instanceof SVGElement && !(el instanceof SVGSVGElement)) continue;
    if (el.tagName === 'OPTION' || el.tagName === 'STYLE' || el.tagName === 'SCRIPT') continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (hidden(el) || inScrollRegion(el)) continue;
    const s = style(el);
    if (s.position === 'fixed') continue;
    const control = ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
    if (!control && !isScrollRegion(el) && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + slack && s.display !== 'inline') {
      found.push(`${name(el)} scrolls sideways: content ${el.scrollWidth} px in ${el.clientWidth} px (overflow-x ${s.overflowX})`);
    }
    const parent = layoutParent(el);
    if (parent && !(parent === document.documentElement)) {
      const p = parent.getBoundingClientRect();
      const right = box.right - p.right;
      const left = p.left - box.left;
      if (right > slack || left > slack) {
        found.push(
          `${name(el)} is wider than its container ${name(parent)}: ${Math.round(box.width)} px in ${Math.round(p.width)} px (${left > slack ? `${Math.round(left)} px out on the left` : `${Math.round(right)} px out on the right`})`,
        );
      }
    }
  }
  const page = document.scrollingElement;
  if (page.scrollWidth > page.clientWidth + slack) found.push(`the page scrolls sideways: ${page.scrollWidth} px in ${page.clientWidth} px`);
  return found;
}

/**
 * Charts whose text is cut at the canvas's left edge: any ink in the two leftmost pixel columns
 * of a chart's canvas means a label started left of the canvas (its first characters lost, as
 * long kernel names were in Firefox). Self-contained for page.evaluate.
 */
export function findClippedChartText() {
  const charts = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (['SP-SHADER-TIMING', 'SP-LOSS-CHART', 'SP-CURVE-CHART', 'SP-SERIES-CHART'].includes(el.tagName)) charts.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  const found = [];
  for (const chart of charts) {
    const canvas = chart.shadowRoot?.querySelector('canvas');
    if (!canvas || canvas.width === 0 || canvas.height === 0) continue;
    const pixels = canvas.getContext('2d').getImageData(0, 0, 2, canvas.height).data;
    let ink = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) ink++;
    if (ink > 0)
      found.push(
        `${chart.tagName.toLowerCase()} (${canvas.getAttribute('aria-label')?.slice(0, 40)}…) has text cut at its left edge (${ink} px of ink in its first two columns)`,
      );
  }
  return found;
}
