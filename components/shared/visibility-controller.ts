import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Tells a widget whether anyone can see it: false while it is scrolled out of view or its tab
 * is hidden. Widgets pause their work then and resume where they were, so a long blog post with
 * several widgets costs nothing for the ones off screen.
 */
export class VisibilityController implements ReactiveController {
  private inView = true;
  private observer: IntersectionObserver | null = null;
  private readonly onVisibility = () => this.changed();

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly onChange: (visible: boolean) => void,
  ) {
    host.addController(this);
  }

  /** True while the widget is on screen in a visible tab. */
  get visible(): boolean {
    return this.inView && document.visibilityState !== 'hidden';
  }

  hostConnected(): void {
    this.observer = new IntersectionObserver((entries) => {
      this.inView = entries.some((e) => e.isIntersecting);
      this.changed();
    });
    this.observer.observe(this.host);
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = null;
    document.removeEventListener('visibilitychange', this.onVisibility);
  }

  private last = true;

  private changed(): void {
    const now = this.visible;
    if (now === this.last) return;
    this.last = now;
    this.onChange(now);
  }
}

/** True when the reader asked the system for less motion: widgets then never start by themselves. */
export function prefersReducedMotion(): boolean {
  return globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
}
