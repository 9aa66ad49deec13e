import type { Envelope, TabBus } from './tab-bus';

export interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** Runs one refresh at a time across every tab of the origin. */
export interface RefreshLock {
  run<T>(task: () => Promise<T>): Promise<T>;
}

/** The Web Locks API: the browser queues the tabs; the next one in line runs after the first is done. */
export function webLock(locks: LockManagerLike, name: string): RefreshLock {
  return { run: (task) => locks.request(name, task) };
}

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Longer than a refresh takes, shorter than the server's grace window (10 s by default). */
const LEASE_MS = 8_000;
/** Long enough for a rival tab's simultaneous claim to arrive over the bus. */
const SETTLE_MS = 40;

/**
 * Without Web Locks: a lease announced on the bus. A tab that sees another's live
 * lease waits for its release (or for the lease to lapse); two tabs claiming at the
 * same moment both see both claims after a short settle, and the smaller tab id goes
 * first. Should the two still race, the server's grace window answers both with the
 * same successor token, so neither is signed out.
 */
export class BusLease implements RefreshLock {
  private readonly leases = new Map<string, number>();
  private readonly waiters = new Set<() => void>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly bus: TabBus,
    private readonly tabId: string,
    private readonly timers: Timers,
  ) {
    bus.subscribe((message) => this.onMessage(message));
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    // One at a time inside this tab too.
    const result = this.queue.then(() => this.acquireAndRun(task));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private onMessage(message: Envelope): void {
    if (message.type === 'lease') this.leases.set(message.from, message.until);
    else if (message.type === 'release') this.leases.delete(message.from);
    else return;
    for (const wake of [...this.waiters]) wake();
  }

  private async acquireAndRun<T>(task: () => Promise<T>): Promise<T> {
    for (;;) {
      const holder = this.liveLease((id) => id !== this.tabId);
      if (holder) {
        await this.waitForChange(holder.until - this.timers.now());
        continue;
      }
      const until = this.timers.now() + LEASE_MS;
      this.leases.set(this.tabId, until);
      this.bus.post({ type: 'lease', until });
      await this.sleep(SETTLE_MS);
      if (this.liveLease((id) => id !== this.tabId && id < this.tabId)) {
        this.release();
        continue;
      }
      try {
        return await task();
      } finally {
        this.release();
      }
    }
  }

  private release(): void {
    this.leases.delete(this.tabId);
    this.bus.post({ type: 'release' });
  }

  private liveLease(match: (id: string) => boolean): { id: string; until: number } | null {
    const now = this.timers.now();
    for (const [id, until] of this.leases) {
      if (until <= now) this.leases.delete(id);
      else if (match(id)) return { id, until };
    }
    return null;
  }

  private waitForChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.timers.clearTimeout(handle);
        this.waiters.delete(done);
        resolve();
      };
      const handle = this.timers.setTimeout(done, Math.max(0, ms));
      this.waiters.add(done);
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.timers.setTimeout(resolve, ms));
  }
}
