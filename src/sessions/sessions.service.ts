import { Injectable, Logger } from '@nestjs/common';
import type { ClientContext } from '../platform/http/client-context';
import { Sql } from '../platform/database/sql.service';
import { generateRefreshToken, hashRefreshToken } from '../tokens/refresh-token.codec';
import { SessionEndReason, SessionMethod } from './session.entity';

export interface OpenSessionInput {
  userId: string;
  organizationId: string;
  method: SessionMethod;
  client: ClientContext;
  now: Date;
  /** Absolute lifetime of this session. */
  lifetimeMs: number;
  impersonatorId?: string | null;
  workspaceId?: string | null;
  /** Workspace sessions carry only an access token. */
  withRefreshToken: boolean;
}

export interface OpenedSession {
  sessionId: string;
  refreshToken: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export type SessionEndedListener = (event: { sessionId: string; reason: SessionEndReason; at: Date }) => void | Promise<void>;

/** Ends every live session of a user: `$1` user id, `$2` when, `$3` the end reason. Also run by the seed, in its transaction. */
export const END_ALL_FOR_USER = `UPDATE sessions SET ended_at = $2, end_reason = $3 WHERE user_id = $1 AND ended_at IS NULL RETURNING id`;

/** Opening and ending sessions. Each is one statement: a crash leaves nothing half-done. */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger(SessionsService.name);
  private readonly endedListeners: SessionEndedListener[] = [];
  private readonly endedLocally: ((sessionId: string) => void)[] = [];

  constructor(private readonly sql: Sql) {}

  async open(input: OpenSessionInput): Promise<OpenedSession> {
    const expiresAt = new Date(input.now.getTime() + input.lifetimeMs);
    const refreshToken = input.withRefreshToken ? generateRefreshToken() : null;
    const { rows } = await this.sql.query<{ id: string }>(
      `WITH s AS (
         INSERT INTO sessions (user_id, organization_id, method, impersonator_id, workspace_id,
                               created_at, last_activity_at, expires_at, ip, user_agent)
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9)
         RETURNING id
       ), rt AS (
         INSERT INTO refresh_tokens (session_id, token_hash, created_at)
         SELECT id, $10, $6 FROM s WHERE $10::bytea IS NOT NULL
       )
       SELECT id FROM s`,
      [
        input.userId,
        input.organizationId,
        input.method,
        input.impersonatorId ?? null,
        input.workspaceId ?? null,
        input.now,
        expiresAt,
        input.client.ip,
        input.client.userAgent,
        refreshToken ? hashRefreshToken(refreshToken) : null,
      ],
      'session_open',
    );
    return { sessionId: rows[0].id, refreshToken, createdAt: input.now, expiresAt };
  }

  /** Ends a live session; returns false when it had already ended. */
  async end(sessionId: string, reason: SessionEndReason, at: Date): Promise<boolean> {
    const { rowCount: affected } = await this.sql.query(
      `UPDATE sessions SET ended_at = $2, end_reason = $3 WHERE id = $1 AND ended_at IS NULL`,
      [sessionId, at, reason],
      'session_end',
    );
    for (const evict of this.endedLocally) evict(sessionId);
    if (affected > 0) await this.notifyEnded(sessionId, reason, at);
    return affected > 0;
  }

  /** A user made inactive, or whose password changed, loses every session at once. */
  async endAllForUser(userId: string, reason: SessionEndReason, at: Date): Promise<number> {
    const { rows } = await this.sql.query<{ id: string }>(END_ALL_FOR_USER, [userId, at, reason]);
    for (const { id } of rows) {
      for (const evict of this.endedLocally) evict(id);
      await this.notifyEnded(id, reason, at);
    }
    return rows.length;
  }

  /** For other modules (impersonation audit) that must hear of every end. */
  onEnded(listener: SessionEndedListener): void {
    this.endedListeners.push(listener);
  }

  /** For in-process caches that must forget an ended session at once. */
  onEndedLocally(evict: (sessionId: string) => void): void {
    this.endedLocally.push(evict);
  }

  private async notifyEnded(sessionId: string, reason: SessionEndReason, at: Date): Promise<void> {
    for (const listener of this.endedListeners) {
      try {
        await listener({ sessionId, reason, at });
      } catch (err) {
        this.logger.error(`session-ended listener failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}
