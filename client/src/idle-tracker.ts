/** Real user input: pointer, keyboard, wheel and touch. Scrolling by script or focus changes are not input. */
export const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * Listens for user input on one target and reports it at most once per `throttleMs`.
 * Only trusted events count: `element.dispatchEvent(new KeyboardEvent(…))` from a
 * script (or an ad iframe) never keeps a session alive.
 */
export class IdleTracker {
  private last = -Infinity;
  private readonly listener = (event: Event) => this.onInput(event);
  private attached = false;

  constructor(
    private readonly target: EventTarget | null,
    private readonly throttleMs: number,
    private readonly now: () => number,
    private readonly report: (at: number) => void,
  ) {}

  start(): void {
    if (this.attached || !this.target) return;
    for (const type of ACTIVITY_EVENTS) this.target.addEventListener(type, this.listener, { capture: true, passive: true });
    this.attached = true;
  }

  stop(): void {
    if (!this.attached || !this.target) return;
    for (const type of ACTIVITY_EVENTS) this.target.removeEventListener(type, this.listener, { capture: true });
    this.attached = false;
  }

  private onInput(event: Event): void {
    if (!event.isTrusted) return;
    const now = this.now();
    if (now - this.last < this.throttleMs) return;
    this.last = now;
    this.report(now);
  }
}
