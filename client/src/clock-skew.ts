/**
 * How far this tab's clock is from the server's, measured rather than assumed.
 *
 * A response's `Date` header says the server's time, to the second, at some moment
 * between sending the request and receiving the answer. So each response bounds the
 * skew (server − local) to an interval: [date − receivedAt, date + 1000 − sentAt].
 * Intersecting the intervals of successive responses narrows it; an empty
 * intersection means one of the clocks jumped (a laptop woke up, someone set the
 * time), and the newest interval alone is believed. The estimate is the midpoint.
 */
export class ClockSkew {
  private low = 0;
  private high = 0;
  private known = false;

  /** `serverSecondMs`: the server's time floored to the second (the Date header, or a body timestamp). */
  observe(serverSecondMs: number, sentAt: number, receivedAt: number): void {
    if (!Number.isFinite(serverSecondMs) || receivedAt < sentAt) return;
    const low = serverSecondMs - receivedAt;
    const high = serverSecondMs + 1000 - sentAt;
    if (this.known && low <= this.high && high >= this.low) {
      this.low = Math.max(this.low, low);
      this.high = Math.min(this.high, high);
    } else {
      this.low = low;
      this.high = high;
      this.known = true;
    }
  }

  observeDateHeader(header: string | null, sentAt: number, receivedAt: number): boolean {
    if (!header) return false;
    const ms = Date.parse(header);
    if (Number.isNaN(ms)) return false;
    this.observe(ms, sentAt, receivedAt);
    return true;
  }

  /** Server time minus local time, in ms; 0 until a response was seen. */
  get skewMs(): number {
    return this.known ? Math.round((this.low + this.high) / 2) : 0;
  }

  /** A server timestamp (ISO 8601) in this tab's clock. */
  toLocal(iso: string | null | undefined): number | null {
    if (!iso) return null;
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? null : ms - this.skewMs;
  }
}
