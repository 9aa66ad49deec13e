/** The one source of "now" for every rule that involves time, so tests can move it. */
export abstract class Clock {
  abstract now(): Date;
  nowMs(): number {
    return this.now().getTime();
  }
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
  override nowMs(): number {
    return Date.now();
  }
}
