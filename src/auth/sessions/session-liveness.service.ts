import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { ApiErrorCode } from '../../common/errors/api-error-code';
import { apiError } from '../../common/errors/api.exception';
import { AppConfig, InjectConfig } from '../../config/app-config';
import { Sql } from '../../database/sql.service';
import { activityWindowMs, isIdleExpired } from '../../session-policy/session-rules';
import { SessionEndReason } from './session.entity';
import { codeForEndedSession, SESSION_COLUMNS, SESSION_JOINS, SessionRow, SessionSnapshot, toSnapshot } from './session-snapshot';
import { SessionsService } from './sessions.service';

interface CacheEntry {
  snapshot: SessionSnapshot;
  fetchedAtMs: number;
  /** The latest activity this instance saw, written to the database at most once per window. */
  lastSeenMs: number;
  lastWrittenMs: number;
}

/**
 * Answers "is this session still live?" for every bearer request.
 *
 * The answer comes from an in-process cache at most SESSION_CACHE_MS old (2 s by
 * default), which bounds how late another instance learns of a logout (the
 * contract allows 5 s); this instance forgets an ended session at once.
 * Activity is recorded in memory and written at most once per activity window.
 */
@Injectable()
export class SessionLivenessService implements OnModuleDestroy {
  private readonly logger = new Logger(SessionLivenessService.name);
  private readonly cache = new Map<string, CacheEntry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly sql: Sql,
    private readonly clock: Clock,
    private readonly sessions: SessionsService,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    sessions.onEndedLocally((sessionId) => this.cache.delete(sessionId));
    this.sweeper = setInterval(() => this.sweep(), 30_000);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  /** The live session, with the activity of this request recorded; or the 401 that ends it. */
  async check(sessionId: string): Promise<SessionSnapshot> {
    const nowMs = this.clock.nowMs();
    let entry = this.cache.get(sessionId);
    if (!entry || nowMs - entry.fetchedAtMs >= this.config.sessionCacheMs || nowMs < entry.fetchedAtMs) {
      entry = await this.load(sessionId, nowMs, entry);
    }
    const { snapshot } = entry;
    if (snapshot.endedReason) throw apiError(codeForEndedSession(snapshot.endedReason));
    if (!snapshot.user.active) {
      await this.endAndThrow(sessionId, SessionEndReason.UserDeactivated, ApiErrorCode.SESSION_REVOKED);
    }
    if (nowMs >= snapshot.expiresAtMs) {
      await this.endAndThrow(sessionId, SessionEndReason.Expired, ApiErrorCode.SESSION_EXPIRED);
    }
    const lastActivityMs = Math.max(snapshot.lastActivityMs, entry.lastSeenMs);
    if (isIdleExpired(lastActivityMs, nowMs, snapshot.policy)) {
      await this.endAndThrow(sessionId, SessionEndReason.IdleTimeout, ApiErrorCode.SESSION_IDLE_TIMEOUT);
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

  forget(sessionId: string): void {
    this.cache.delete(sessionId);
  }

  private async load(sessionId: string, nowMs: number, previous: CacheEntry | undefined): Promise<CacheEntry> {
    const { rows } = await this.sql.query<SessionRow>(
      `SELECT ${SESSION_COLUMNS} FROM sessions s ${SESSION_JOINS} WHERE s.id = $1`,
      [sessionId],
      'session_liveness',
    );
    if (rows.length === 0) throw apiError(ApiErrorCode.SESSION_REVOKED);
    const snapshot = toSnapshot(rows[0]);
    const entry: CacheEntry = {
      snapshot,
      fetchedAtMs: nowMs,
      lastSeenMs: Math.max(previous?.lastSeenMs ?? 0, snapshot.lastActivityMs),
      lastWrittenMs: Math.max(previous?.lastWrittenMs ?? 0, snapshot.lastActivityMs),
    };
    this.cache.set(sessionId, entry);
    return entry;
  }

  private recordActivity(entry: CacheEntry, nowMs: number): void {
    entry.lastSeenMs = Math.max(entry.lastSeenMs, nowMs);
    if (nowMs - entry.lastWrittenMs < activityWindowMs(entry.snapshot.policy)) return;
    entry.lastWrittenMs = nowMs;
    this.sql
      .query(
        `UPDATE sessions SET last_activity_at = $2 WHERE id = $1 AND last_activity_at < $2 AND ended_at IS NULL`,
        [entry.snapshot.sessionId, new Date(nowMs)],
        'session_activity',
      )
      .catch((err: unknown) => this.logger.warn(`activity not recorded: ${err instanceof Error ? err.message : String(err)}`));
  }

  private async endAndThrow(sessionId: string, reason: SessionEndReason, code: ApiErrorCode): Promise<never> {
    await this.sessions.end(sessionId, reason, this.clock.now());
    throw apiError(code);
  }

  private sweep(): void {
    const cutoff = this.clock.nowMs() - Math.max(60_000, this.config.sessionCacheMs * 10);
    for (const [id, entry] of this.cache) if (entry.fetchedAtMs < cutoff) this.cache.delete(id);
  }
}
