import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../platform/clock';
import { resolveSessionPolicy } from '../identity/organizations/session-policy';
import { idleDeadlineMs } from './policy/session-rules';
import { SessionEndReason } from './session.entity';
import type { EndAttribution, SessionEnded, SessionEndedListener } from './session-ended.event';
import { EndedSessionRow, SessionScope, SessionsRepository } from './sessions.repository';
import type { LiveSession } from './live-session';

/**
 * Ending sessions, and asking which are live. Every end, whoever causes it, goes through
 * here: one statement ends the session(s), then each listener hears a typed SessionEnded
 * (once, on the instance whose statement ended it) and each in-process cache forgets it.
 */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger(SessionsService.name);
  private readonly listeners: SessionEndedListener[] = [];
  private readonly evictors: ((sessionId: string) => void)[] = [];
  /** The latest activity an instance saw but has not written yet (set by the liveness cache). */
  private lastSeenMs: (sessionId: string) => number = () => 0;

  constructor(
    private readonly repository: SessionsRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * A second factor proved on a live session now (step-up, src/mfa). The local cache
   * forgets the session so that `me` shows the new `mfaAt` at once; step-up itself
   * reads `secondFactorAt` from the row, so other instances never judge on a stale copy.
   */
  async recordSecondFactor(sessionId: string, at: Date): Promise<boolean> {
    const recorded = await this.repository.recordSecondFactor(sessionId, at);
    this.evict([sessionId]);
    return recorded;
  }

  /** When the session last proved a second factor, from the row (never a cache). */
  secondFactorAt(sessionId: string): Promise<Date | null> {
    return this.repository.secondFactorAt(sessionId);
  }

  /** Ends one live session; false when it had already ended. */
  async end(sessionId: string, reason: SessionEndReason, attribution: EndAttribution | null = null): Promise<boolean> {
    const at = this.clock.now();
    const ended = await this.repository.endOne(sessionId, reason, at);
    this.evict([sessionId]);
    await this.publish(ended, reason, at, attribution);
    return ended.length > 0;
  }

  /** Every live session of a user (made inactive, password reset, an admin's "revoke all"). Returns how many ended. */
  async endAllOfUser(userId: string, reason: SessionEndReason, attribution: EndAttribution | null = null, manager?: EntityManager): Promise<number> {
    return this.endOfUser(userId, null, reason, attribution, manager);
  }

  /** Every live session of a user but one (a password change keeps the session that made it); in the caller's transaction when given one. */
  async endOthersOfUser(
    userId: string,
    keepSessionId: string,
    reason: SessionEndReason,
    attribution: EndAttribution | null = null,
    manager?: EntityManager,
  ): Promise<number> {
    return this.endOfUser(userId, keepSessionId, reason, attribution, manager);
  }

  /** When each user last signed in: the newest session they opened themselves (an impersonation is not their sign-in). */
  lastSignInOf(userIds: readonly string[]): Promise<Map<string, Date>> {
    return userIds.length === 0 ? Promise.resolve(new Map<string, Date>()) : this.repository.lastSignInOfUsers(userIds);
  }

  /**
   * A user's live sessions, newest first, with the deadlines each is held to (the idle one
   * counted from the latest activity this instance saw). Sessions past their idle deadline
   * are dead though no request has ended them yet: left out.
   */
  async listLive(userId: string): Promise<LiveSession[]> {
    const now = this.clock.now();
    const rows = await this.repository.liveOfUser(userId, now);
    const live: LiveSession[] = [];
    for (const row of rows) {
      const policy = resolveSessionPolicy(row.session_policy);
      const lastActivityMs = Math.max(row.last_activity_at.getTime(), this.lastSeenMs(row.id));
      const idle = idleDeadlineMs(lastActivityMs, policy);
      if (idle !== null && now.getTime() >= idle) continue;
      live.push({
        id: row.id,
        method: row.method,
        createdAt: row.created_at,
        lastActivityAt: new Date(lastActivityMs),
        expiresAt: row.expires_at,
        idleExpiresAt: idle === null ? null : new Date(Math.min(idle, row.expires_at.getTime())),
        ip: row.ip,
        userAgent: row.user_agent,
        impersonator: row.impersonator_id && row.impersonator_email ? { id: row.impersonator_id, email: row.impersonator_email } : null,
      });
    }
    return live;
  }

  /** Whether a session with this id exists in the scope, ended or not (for "someone else's or unknown: 404"). */
  exists(sessionId: string, scope: SessionScope): Promise<boolean> {
    return this.repository.existsInScope(sessionId, scope);
  }

  /** For modules that must hear of every end (the impersonation trail). */
  onEnded(listener: SessionEndedListener): void {
    this.listeners.push(listener);
  }

  /** For in-process caches that must forget an ended session at once. */
  onEndedLocally(evict: (sessionId: string) => void): void {
    this.evictors.push(evict);
  }

  /** The liveness cache tells what activity it saw, so listings are as fresh as the bearer check. */
  useActivitySeen(lastSeenMs: (sessionId: string) => number): void {
    this.lastSeenMs = lastSeenMs;
  }

  private async endOfUser(
    userId: string,
    keepSessionId: string | null,
    reason: SessionEndReason,
    attribution: EndAttribution | null,
    manager?: EntityManager,
  ): Promise<number> {
    const at = this.clock.now();
    const ended = await this.repository.endAllOfUser(userId, reason, at, keepSessionId, manager);
    this.evict(ended.map((row) => row.id));
    await this.publish(ended, reason, at, attribution, manager);
    return ended.length;
  }

  private evict(sessionIds: string[]): void {
    for (const id of sessionIds) for (const evict of this.evictors) evict(id);
  }

  private async publish(rows: EndedSessionRow[], reason: SessionEndReason, at: Date, attribution: EndAttribution | null, manager?: EntityManager): Promise<void> {
    for (const row of rows) {
      const event: SessionEnded = {
        sessionId: row.id,
        userId: row.user_id,
        organizationId: row.organization_id,
        method: row.method,
        impersonatorId: row.impersonator_id,
        expiresAt: row.expires_at,
        reason,
        at,
        attribution,
      };
      for (const listener of this.listeners) {
        try {
          await listener.sessionEnded(event, manager);
        } catch (err) {
          // Inside a transaction the listener's write belongs to it: let the failure roll it back.
          if (manager) throw err;
          this.logger.error(`session-ended listener failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }
  }
}
