import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../platform/clock';
import { ApiErrorCode } from '../platform/errors/api-error-code';
import { apiError } from '../platform/errors/api.exception';
import { SecurityEvents } from '../platform/logging/security-events';
import { AppConfig, InjectConfig } from '../platform/config/app-config';
import { Sql } from '../platform/database/sql.service';
import { isIdleExpired, silentRenewalAllowed } from './policy/session-rules';
import {
  generateRefreshToken,
  hashRefreshToken,
  isWellFormedRefreshToken,
  sealSuccessor,
  unsealSuccessor,
} from '../tokens/refresh-token.codec';
import { SessionEndReason } from './session.entity';
import { SESSION_COLUMNS, SESSION_JOINS, SessionRow, SessionSnapshot, toSnapshot } from './session-snapshot';
import { SessionsService } from './sessions.service';
import { SessionLivenessService } from './session-liveness.service';

interface RefreshRow extends SessionRow {
  token_id: string;
  rotated_at: Date | null;
  successor_sealed: Buffer | null;
  successor_rotated_at: Date | null;
}

export interface Rotation {
  snapshot: SessionSnapshot;
  refreshToken: string;
}

/**
 * Refresh-token rotation. Each token works once; the exchange is one
 * conditional UPDATE, so of N racing requests exactly one rotates. The others,
 * inside the grace window, get the very token it was rotated to (unsealed with
 * the token they present); after the window, presenting it again is reuse and
 * ends the whole session. A session never has two live chains.
 */
@Injectable()
export class RefreshService {
  constructor(
    private readonly sql: Sql,
    private readonly clock: Clock,
    private readonly sessions: SessionsService,
    private readonly liveness: SessionLivenessService,
    private readonly events: SecurityEvents,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** `requestId`: the request presenting the token, for the reuse event. */
  async rotate(refreshToken: string, requestId: string): Promise<Rotation> {
    if (!isWellFormedRefreshToken(refreshToken)) throw apiError(ApiErrorCode.INVALID_REFRESH_TOKEN);
    const tokenHash = hashRefreshToken(refreshToken);
    const now = this.clock.now();
    let row = await this.find(tokenHash);
    if (!row) throw apiError(ApiErrorCode.INVALID_REFRESH_TOKEN);
    let snapshot = toSnapshot(row);
    await this.assertRenewable(snapshot, now);

    if (row.rotated_at === null) {
      const successor = generateRefreshToken();
      if (await this.exchange(row, refreshToken, successor, now)) {
        this.liveness.noteActivity(snapshot.sessionId, now.getTime());
        return { snapshot, refreshToken: successor };
      }
      // Another request rotated it first: fall through to the grace rule with what it wrote.
      row = await this.find(tokenHash);
      if (!row) throw apiError(ApiErrorCode.INVALID_REFRESH_TOKEN);
      snapshot = toSnapshot(row);
    }
    return { snapshot, refreshToken: await this.withinGrace(row, refreshToken, now, requestId) };
  }

  private async find(tokenHash: Buffer): Promise<RefreshRow | undefined> {
    const { rows } = await this.sql.query<RefreshRow>(
      `SELECT ${SESSION_COLUMNS}, rt.id AS token_id, rt.rotated_at, rt.successor_sealed, succ.rotated_at AS successor_rotated_at
         FROM refresh_tokens rt
         JOIN sessions s ON s.id = rt.session_id
         ${SESSION_JOINS}
         LEFT JOIN refresh_tokens succ ON succ.id = rt.successor_id
        WHERE rt.token_hash = $1`,
      [tokenHash],
      'refresh_find',
    );
    return rows[0];
  }

  /** The conditional exchange: old token marked used, successor inserted, activity recorded; all or nothing. */
  private async exchange(row: RefreshRow, presented: string, successor: string, now: Date): Promise<boolean> {
    const successorId = randomUUID();
    const { rows } = await this.sql.query<{ id: string }>(
      `WITH old AS (
         UPDATE refresh_tokens
            SET rotated_at = $2, successor_id = $3, successor_sealed = $4
          WHERE id = $1 AND rotated_at IS NULL
            AND EXISTS (SELECT 1 FROM sessions WHERE id = refresh_tokens.session_id AND ended_at IS NULL)
         RETURNING session_id
       ), ins AS (
         INSERT INTO refresh_tokens (id, session_id, token_hash, created_at)
         SELECT $3, session_id, $5, $2 FROM old
         RETURNING id
       ), act AS (
         UPDATE sessions SET last_activity_at = $2
          WHERE id = (SELECT session_id FROM old) AND last_activity_at < $2
       )
       SELECT id FROM ins`,
      [row.token_id, now, successorId, sealSuccessor(presented, successor), hashRefreshToken(successor)],
      'refresh_exchange',
    );
    return rows.length === 1;
  }

  private async withinGrace(row: RefreshRow, presented: string, now: Date, requestId: string): Promise<string> {
    const rotatedAt = row.rotated_at as Date;
    const graceMs = this.config.refreshGraceSeconds * 1000;
    const successor = row.successor_sealed ? unsealSuccessor(presented, row.successor_sealed) : null;
    const inGrace = now.getTime() - rotatedAt.getTime() <= graceMs;
    if (inGrace && successor && row.successor_rotated_at === null) return successor;
    await this.sessions.end(row.session_id, SessionEndReason.RefreshReuse, now);
    // A stolen token, or a client replaying an old one: either way the whole session is gone.
    this.events.record('refresh.reuse_detected', requestId, { sessionId: row.session_id, userId: row.user_id, rotatedAt: rotatedAt.toISOString() });
    throw apiError(ApiErrorCode.REFRESH_TOKEN_REUSED);
  }

  /** Ended, expired, idle, inactive user, or renewal not allowed by the policy. */
  private async assertRenewable(snapshot: SessionSnapshot, now: Date): Promise<void> {
    const nowMs = now.getTime();
    if (snapshot.endedReason === SessionEndReason.IdleTimeout) throw apiError(ApiErrorCode.SESSION_IDLE_TIMEOUT);
    if (snapshot.endedReason === SessionEndReason.Expired) throw apiError(ApiErrorCode.SESSION_EXPIRED);
    if (snapshot.endedReason) throw apiError(ApiErrorCode.INVALID_REFRESH_TOKEN);
    if (!snapshot.user.active) {
      await this.sessions.end(snapshot.sessionId, SessionEndReason.UserDeactivated, now);
      throw apiError(ApiErrorCode.INVALID_REFRESH_TOKEN);
    }
    if (nowMs >= snapshot.expiresAtMs) {
      await this.sessions.end(snapshot.sessionId, SessionEndReason.Expired, now);
      throw apiError(ApiErrorCode.SESSION_EXPIRED);
    }
    const lastActivityMs = Math.max(snapshot.lastActivityMs, this.liveness.lastSeenMs(snapshot.sessionId));
    if (isIdleExpired(lastActivityMs, nowMs, snapshot.policy)) {
      await this.sessions.end(snapshot.sessionId, SessionEndReason.IdleTimeout, now);
      throw apiError(ApiErrorCode.SESSION_IDLE_TIMEOUT);
    }
    if (!silentRenewalAllowed(snapshot.method, snapshot.policy)) throw apiError(ApiErrorCode.SILENT_RENEWAL_DISABLED);
  }
}
