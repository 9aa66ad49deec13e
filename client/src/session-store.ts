import type { StorageLike } from './tab-bus';
import type { StoredSession } from './types';

/**
 * The session every tab of the origin shares, and the time of the last user input.
 * In localStorage by default, so a new tab or a reload starts signed in with the
 * newest refresh token; in memory when storage is turned off (then only tabs open at
 * the same time share it, through the bus).
 */
export class SessionStore {
  private memory: StoredSession | null = null;
  private memoryActivity = 0;

  constructor(
    readonly storage: StorageLike | null,
    private readonly namespace: string,
  ) {}

  /** This tab's copy, for when there is no shared storage. */
  remember(state: StoredSession | null): void {
    this.memory = state;
  }

  get sessionKey(): string {
    return `${this.namespace}:session`;
  }

  get activityKey(): string {
    return `${this.namespace}:activity`;
  }

  read(): StoredSession | null {
    if (!this.storage) return this.memory;
    const raw = safely(() => this.storage?.getItem(this.sessionKey) ?? null);
    if (!raw) return null;
    try {
      const parsed = JSON.parse(raw) as StoredSession;
      return parsed && parsed.v === 1 && typeof parsed.token === 'string' ? parsed : null;
    } catch {
      return null;
    }
  }

  write(state: StoredSession | null): void {
    this.memory = state;
    if (!this.storage) return;
    safely(() => (state ? this.storage?.setItem(this.sessionKey, JSON.stringify(state)) : this.storage?.removeItem(this.sessionKey)));
  }

  readActivity(): number {
    if (!this.storage) return this.memoryActivity;
    const value = Number(safely(() => this.storage?.getItem(this.activityKey) ?? null));
    return Number.isFinite(value) ? Math.max(value, this.memoryActivity) : this.memoryActivity;
  }

  writeActivity(at: number): void {
    this.memoryActivity = Math.max(this.memoryActivity, at);
    safely(() => this.storage?.setItem(this.activityKey, String(this.memoryActivity)));
  }
}

/** Storage can throw (quota, privacy modes); the session then lives in memory only. */
function safely<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}
