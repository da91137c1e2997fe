// In-page lookup shared by the browser smoke suites (Firefox over BiDi, WebKit over classic
// WebDriver): the widgets render inside shadow roots, which document.querySelector cannot see.

/**
 * Runs in the page: the element whose data-testid is `id`, searched through open shadow roots,
 * inside the element `scopeSelector` selects if given; null when there is none. Self-contained,
 * so a driver can send its source text.
 */
export function findByTestId(id, scopeSelector = null) {
  const search = (root) => {
    const hit = root.querySelector(`[data-testid="${id}"]`);
    if (hit) return hit;
    for (const el of root.querySelectorAll('*')) {
      const inner = el.shadowRoot && search(el.shadowRoot);
      if (inner) return inner;
    }
    return null;
  };
  const start = scopeSelector ? document.querySelector(scopeSelector) : document;
  return start && (search(start) ?? (start.shadowRoot ? search(start.shadowRoot) : null));
}
