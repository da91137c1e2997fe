// Saying after a reload that a sweep stopped: a sweep cannot outlive its page.

/**
 * Marks in sessionStorage while sweeps run, so the page after a reload can say a sweep stopped.
 * Each element has its own key (`markKey`): on a page with two sweeps, one finishing must not
 * clear the other's mark. Storage can be unavailable (sandboxed frames, privacy modes): then
 * nothing is said.
 */
export const sweepMark = {
  set(key: string): void {
    try {
      sessionStorage.setItem(key, '1');
    } catch {
      // No storage: no message after a reload.
    }
  },
  clear(key: string): void {
    try {
      sessionStorage.removeItem(key);
    } catch {
      // As above.
    }
  },
  /** True once if the sweep under `key` was running when the page was left. */
  take(key: string): boolean {
    try {
      const was = sessionStorage.getItem(key) !== null;
      sessionStorage.removeItem(key);
      return was;
    } catch {
      return false;
    }
  },
};

/**
 * The sessionStorage key naming `el` among the page's sweeps, the same after a reload: its id,
 * else its place among the sweeps of its root, for it and each shadow host above it.
 */
export function markKey(el: Element): string {
  const parts: string[] = [];
  for (let node: Element | null = el; node;) {
    const root = node.getRootNode();
    const scope = root instanceof Document || root instanceof ShadowRoot ? root : null;
    const place = scope ? [...scope.querySelectorAll(node.localName)].indexOf(node) : 0;
    parts.unshift(node.id ? `#${node.id}` : `${node.localName}[${place}]`);
    node = root instanceof ShadowRoot ? root.host : null;
  }
  return `shaderprop.sweep-running ${parts.join(' ')}`;
}
