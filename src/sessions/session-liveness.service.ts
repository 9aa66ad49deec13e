import { performance } from 'node:perf_hooks';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { BoundedMap } from '../platform/bounded-map';
import { Clock } from '../platform/clock';
import { ApiErrorCode } from '../platform/errors/api-error-code';
import { apiError } from '../platform/errors/api.exception';
import { AppConfig, InjectConfig } from '../platform/config/app-config';
import { MetricsService } from '../platform/metrics/metrics.service';
import { activityWindowMs, isIdleExpired } from './policy/session-rules';
import { codeForEnd, judgeSession } from './policy/session-verdict';
import { SessionSnapshot, toSnapshot } from './session-snapshot';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

/**
 * An entry is about 1.5 KiB. A session pushed out is read from the database on its
 * next request; activity waiting for its write is still written (the flush holds
 * the entry, not the cache).
 */
export const MAX_CACHED_SESSIONS = 20_000;

interface CacheEntry {
  snapshot: SessionSnapshot;
  fetchedAtMs: number;
  /** Real (monotonic) time of the fetch: the cache bound holds in real time, whatever the injected clock says. */
  fetchedAtMono: number;
  /** The latest activity this instance saw, written to the database at most once per window. */
  lastSeenMs: number;
  lastWrittenMs: number;
  /** Set while activity seen here waits for its trailing write. */
  flushTimer: NodeJS.Timeout | null;
}

/**
 * Answers "is this session still live?" for every bearer request.
 *
 * The answer comes from an in-process cache at most SESSION_CACHE_MS old (2 s by
 * default), which bounds how late another instance learns of a logout (at most
 * 5 s, docs/deployment.md); this instance forgets an ended session at once.
 * Activity is recorded in memory and written at most once per activity window
 * (the first request of a window writes at once; what the window saw after that
 * is written when it closes), so the database lags by at most one window.
 */
@Injectable()
export class SessionLivenessService implements OnApplicationShutdown {
  private readonly logger = new Logger(SessionLivenessService.name);
  private readonly cache = new BoundedMap<string, CacheEntry>(MAX_CACHED_SESSIONS);
  private readonly sweeper: NodeJS.Timeout;
  private readonly pendingFlushes = new Set<CacheEntry>();

  constructor(
    private readonly repository: SessionsRepository,
    private readonly clock: Clock,
    private readonly sessions: SessionsService,
    @InjectConfig() private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {
    sessions.onEndedLocally((sessionId) => this.cache.delete(sessionId));
    sessions.useActivitySeen((sessionId) => this.lastSeenMs(sessionId));
    this.sweeper = setInterval(() => this.sweep(), 30_000);
    this.sweeper.unref();
  }

  /**
   * Writes the activity still waiting for its window, so a restart does not lose it.
   * After the HTTP drain (Nest's shutdown hooks run after the server has closed, its
   * destroy hooks before), so the requests finished during the drain are written too;
   * before the pool closes (TypeORM's module, global, shuts down last).
   */
  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeper);
    const pending = [...this.pendingFlushes];
    for (const entry of pending) if (entry.flushTimer) clearTimeout(entry.flushTimer);
    await Promise.all(pending.map((entry) => this.flush(entry)));
  }

  /** The live session, with the activity of this request recorded; or the 401 that ends it. */
  async check(sessionId: string): Promise<SessionSnapshot> {
    const nowMs = this.clock.nowMs();
    let entry = this.cache.get(sessionId);
    let fresh = false;
    if (!entry || this.isStale(entry, nowMs)) {
      entry = await this.load(sessionId, nowMs, entry);
      fresh = true;
    }
    this.metrics.sessionCacheLookup(!fresh);
    // Before ending a session as idle on cached data, look again: another instance may have written activity since.
    if (!fresh && this.looksIdle(entry, nowMs)) entry = await this.load(sessionId, nowMs, entry);
    const { snapshot } = entry;
    const verdict = judgeSession(snapshot, nowMs, Math.max(snapshot.lastActivityMs, entry.lastSeenMs));
    if (!verdict.alive) {
      if (verdict.endNow) await this.sessions.end(sessionId, verdict.reason);
      throw apiError(codeForEnd(verdict.reason, 'bearer'));
    }
    this.recordActivity(entry, nowMs);
    return snapshot;
  }

  /** A refresh counts as activity too; it writes its own timestamp, so only the cache needs to know. */
  noteActivity(sessionId: string, atMs: number): void {
    const entry = this.cache.get(sessionId);
    if (entry) {
      entry.lastSeenMs = Math.max(entry.lastSeenMs, atMs);
      entry.lastWrittenMs = Math.max(entry.lastWrittenMs, atMs);
    }
  }

  /** The latest activity this instance saw for the session (0 when none). */
  lastSeenMs(sessionId: string): number {
    return this.cache.get(sessionId)?.lastSeenMs ?? 0;
  }

  /**
   * The organization's policy changed: its sessions' cached snapshots are reloaded
   * at their next request on this instance (the activity seen here is kept).
   * Other instances reload within SESSION_CACHE_MS.
   */
  invalidateOrganization(organizationId: string): void {
    for (const entry of this.cache.values()) {
      if (entry.snapshot.organizationId === organizationId) entry.fetchedAtMono = Number.NEGATIVE_INFINITY;
    }
  }

  private isStale(entry: CacheEntry, nowMs: number): boolean {
    const bound = this.config.sessionCacheMs;
    return nowMs - entry.fetchedAtMs >= bound || nowMs < entry.fetchedAtMs || performance.now() - entry.fetchedAtMono >= bound;
  }

  private looksIdle(entry: CacheEntry, nowMs: number): boolean {
    return isIdleExpired(Math.max(entry.snapshot.lastActivityMs, entry.lastSeenMs), nowMs, entry.snapshot.policy);
  }

  private async load(sessionId: string, nowMs: number, previous: CacheEntry | undefined): Promise<CacheEntry> {
    const row = await this.repository.snapshotRow(sessionId);
    if (!row) throw apiError(ApiErrorCode.SESSION_REVOKED);
    const snapshot = toSnapshot(row);
    // Reloading keeps the entry (and the activity it saw, and its pending trailing write).
    const entry: CacheEntry = previous ?? { snapshot, fetchedAtMs: nowMs, fetchedAtMono: 0, lastSeenMs: 0, lastWrittenMs: 0, flushTimer: null };
    entry.snapshot = snapshot;
    entry.fetchedAtMs = nowMs;
    entry.fetchedAtMono = performance.now();
    entry.lastSeenMs = Math.max(entry.lastSeenMs, snapshot.lastActivityMs);
    entry.lastWrittenMs = Math.max(entry.lastWrittenMs, snapshot.lastActivityMs);
    this.cache.set(sessionId, entry);
    return entry;
  }

  private recordActivity(entry: CacheEntry, nowMs: number): void {
    entry.lastSeenMs = Math.max(entry.lastSeenMs, nowMs);
    if (nowMs - entry.lastWrittenMs < activityWindowMs(entry.snapshot.policy)) {
      if (entry.lastSeenMs > entry.lastWrittenMs) this.scheduleFlush(entry);
      return;
    }
    void this.write(entry, nowMs);
  }

  /** The trailing write of a window: at most one timer per session, in real time. */
  private scheduleFlush(entry: CacheEntry): void {
    if (entry.flushTimer) return;
    entry.flushTimer = setTimeout(() => void this.flush(entry), activityWindowMs(entry.snapshot.policy));
    entry.flushTimer.unref();
    this.pendingFlushes.add(entry);
  }

  private async flush(entry: CacheEntry): Promise<void> {
    entry.flushTimer = null;
    this.pendingFlushes.delete(entry);
    if (entry.lastSeenMs > entry.lastWrittenMs) await this.write(entry, entry.lastSeenMs);
  }

  private async write(entry: CacheEntry, atMs: number): Promise<void> {
    entry.lastWrittenMs = Math.max(entry.lastWrittenMs, atMs);
    try {
      await this.repository.recordActivity(entry.snapshot.sessionId, new Date(atMs));
    } catch (err) {
      this.logger.warn(`activity not recorded: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private sweep(): void {
    const cutoff = this.clock.nowMs() - Math.max(60_000, this.config.sessionCacheMs * 10);
    for (const [id, entry] of this.cache) if (entry.fetchedAtMs < cutoff) this.cache.delete(id);
  }
}
