import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AppConfig, InjectConfig } from '../platform/config/app-config';
import { sql, SqlStatements } from '../platform/database/sql-statement';
import type { StoredSessionPolicy } from '../identity/organizations/session-policy';
import { SessionEndReason, SessionMethod } from './session.entity';
import { SESSION_COLUMNS, SESSION_JOINS, SessionRow } from './session-snapshot';

/** What the end statements return: everything a "session ended" listener needs, with no second read. */
export interface EndedSessionRow {
  id: string;
  user_id: string;
  organization_id: string;
  method: SessionMethod;
  impersonator_id: string | null;
  expires_at: Date;
}

export interface RefreshRow extends SessionRow {
  token_id: string;
  rotated_at: Date | null;
  successor_sealed: Buffer | null;
  successor_rotated_at: Date | null;
}

export interface LiveSessionRow {
  id: string;
  method: SessionMethod;
  created_at: Date;
  last_activity_at: Date;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
  impersonator_id: string | null;
  impersonator_email: string | null;
  session_policy: StoredSessionPolicy;
}

export interface NewSessionRow {
  userId: string;
  organizationId: string;
  method: SessionMethod;
  impersonatorId: string | null;
  workspaceId: string | null;
  at: Date;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
  /** Null for a session without refresh token (the workspace login). */
  refreshTokenHash: Buffer | null;
  /** The sign-in proved a second factor at this time (src/mfa); null otherwise. */
  secondFactorAt: Date | null;
}

export interface TokenExchange {
  tokenId: string;
  at: Date;
  successorId: string;
  successorSealed: Buffer;
  successorHash: Buffer;
}

const ENDED_COLUMNS = 'id, user_id, organization_id, method, impersonator_id, expires_at';

// Opening is one statement: a crash leaves no session without its refresh token.
const OPEN = sql(
  'session_open',
  `WITH s AS (
     INSERT INTO sessions (user_id, organization_id, method, impersonator_id, workspace_id,
                           created_at, last_activity_at, expires_at, ip, user_agent, mfa_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9, $11)
     RETURNING id
   ), rt AS (
     INSERT INTO refresh_tokens (session_id, token_hash, created_at)
     SELECT id, $10, $6 FROM s WHERE $10::bytea IS NOT NULL
   )
   SELECT id FROM s`,
);

// Step-up (src/mfa): a live session proved a second factor now; and when it last did, read from the row.
const RECORD_SECOND_FACTOR = sql('session_second_factor', `UPDATE sessions SET mfa_at = $2 WHERE id = $1 AND ended_at IS NULL`);
const SECOND_FACTOR_AT = sql('session_second_factor_at', `SELECT mfa_at FROM sessions WHERE id = $1`);

const SNAPSHOT = sql('session_liveness', `SELECT ${SESSION_COLUMNS} FROM sessions s ${SESSION_JOINS} WHERE s.id = $1`);

const FIND_BY_REFRESH_TOKEN = sql(
  'refresh_find',
  `SELECT ${SESSION_COLUMNS}, rt.id AS token_id, rt.rotated_at, rt.successor_sealed, succ.rotated_at AS successor_rotated_at
     FROM refresh_tokens rt
     JOIN sessions s ON s.id = rt.session_id
     ${SESSION_JOINS}
     LEFT JOIN refresh_tokens succ ON succ.id = rt.successor_id
    WHERE rt.token_hash = $1`,
);

// The conditional exchange: old token marked used, successor inserted, activity recorded; all or nothing,
// and nothing at all once the session has ended (so a logout racing a refresh always wins).
const EXCHANGE = sql(
  'refresh_exchange',
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
);

/** The refresh's own statements, for the benchmark's database ceiling (bench/refresh-ceiling.ts). */
export const REFRESH_STATEMENTS = { find: FIND_BY_REFRESH_TOKEN, exchange: EXCHANGE } as const;

const ACTIVITY = sql(
  'session_activity',
  `UPDATE sessions SET last_activity_at = $2 WHERE id = $1 AND last_activity_at < $2 AND ended_at IS NULL`,
);

const END_ONE = sql(
  'session_end',
  `UPDATE sessions SET ended_at = $2, end_reason = $3 WHERE id = $1 AND ended_at IS NULL RETURNING ${ENDED_COLUMNS}`,
);

// `$4`: a session to keep (the caller's own, when a password change ends the others); null keeps none.
const END_ALL_OF_USER = sql(
  'session_end_all_of_user',
  `UPDATE sessions SET ended_at = $2, end_reason = $3
    WHERE user_id = $1 AND ended_at IS NULL AND ($4::uuid IS NULL OR id <> $4::uuid)
   RETURNING ${ENDED_COLUMNS}`,
);

const LIVE_OF_USER = sql(
  'sessions_live_of_user',
  `SELECT s.id, s.method, s.created_at, s.last_activity_at, s.expires_at, s.ip, s.user_agent,
          s.impersonator_id, imp.email AS impersonator_email, o.session_policy
     FROM sessions s
     JOIN organizations o ON o.id = s.organization_id
     LEFT JOIN users imp ON imp.id = s.impersonator_id
    WHERE s.user_id = $1 AND s.ended_at IS NULL AND s.expires_at > $2
    ORDER BY s.created_at DESC, s.id DESC`,
);

const FIND_IN_SCOPE = sql(
  'session_find_in_scope',
  `SELECT id FROM sessions
    WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2::uuid)
      AND ($3::uuid IS NULL OR organization_id = $3::uuid) AND ($4::text IS NULL OR method = $4::text)`,
);

const LAST_SIGN_IN_OF_USERS = sql(
  'session_last_sign_in_of_users',
  `SELECT user_id, max(created_at) AS at FROM sessions
    WHERE user_id = ANY($1::uuid[]) AND impersonator_id IS NULL GROUP BY user_id`,
);

/** Narrows a lookup by id: a session of this user, of this organization, opened this way. */
export interface SessionScope {
  userId?: string;
  organizationId?: string;
  method?: SessionMethod;
}

/**
 * Every statement on `sessions` and `refresh_tokens`. Each is one statement, so every
 * race (rotation against rotation, against logout, against an admin's end) is settled by
 * the database, never by a read followed by a write in Node.
 */
@Injectable()
export class SessionsRepository {
  private readonly sql: SqlStatements;

  constructor(@InjectDataSource() dataSource: DataSource, @InjectConfig() config: AppConfig) {
    this.sql = new SqlStatements(dataSource, config.database.preparedStatements !== false);
  }

  async open(row: NewSessionRow): Promise<string> {
    const { rows } = await this.sql.run<{ id: string }>(OPEN, [
      row.userId,
      row.organizationId,
      row.method,
      row.impersonatorId,
      row.workspaceId,
      row.at,
      row.expiresAt,
      row.ip,
      row.userAgent,
      row.refreshTokenHash,
      row.secondFactorAt,
    ]);
    return rows[0].id;
  }

  /** False when the session has ended. */
  async recordSecondFactor(sessionId: string, at: Date): Promise<boolean> {
    return (await this.sql.run(RECORD_SECOND_FACTOR, [sessionId, at])).rowCount > 0;
  }

  async secondFactorAt(sessionId: string): Promise<Date | null> {
    return (await this.sql.run<{ mfa_at: Date | null }>(SECOND_FACTOR_AT, [sessionId])).rows[0]?.mfa_at ?? null;
  }

  async snapshotRow(sessionId: string): Promise<SessionRow | undefined> {
    return (await this.sql.run<SessionRow>(SNAPSHOT, [sessionId])).rows[0];
  }

  async findByRefreshToken(tokenHash: Buffer): Promise<RefreshRow | undefined> {
    return (await this.sql.run<RefreshRow>(FIND_BY_REFRESH_TOKEN, [tokenHash])).rows[0];
  }

  /** True when this call rotated the token; false when another did first, or the session had ended. */
  async exchange(e: TokenExchange): Promise<boolean> {
    const { rows } = await this.sql.run(EXCHANGE, [e.tokenId, e.at, e.successorId, e.successorSealed, e.successorHash]);
    return rows.length === 1;
  }

  async recordActivity(sessionId: string, at: Date): Promise<void> {
    await this.sql.run(ACTIVITY, [sessionId, at]);
  }

  /** Empty when the session had already ended (or never existed). */
  async endOne(sessionId: string, reason: SessionEndReason, at: Date, manager?: EntityManager): Promise<EndedSessionRow[]> {
    return (await this.sql.run<EndedSessionRow>(END_ONE, [sessionId, at, reason], manager)).rows;
  }

  async endAllOfUser(
    userId: string,
    reason: SessionEndReason,
    at: Date,
    exceptSessionId: string | null,
    manager?: EntityManager,
  ): Promise<EndedSessionRow[]> {
    return (await this.sql.run<EndedSessionRow>(END_ALL_OF_USER, [userId, at, reason, exceptSessionId], manager)).rows;
  }

  /** Not ended and before their absolute limit; the caller judges idleness by the policy. Newest first. */
  async liveOfUser(userId: string, now: Date): Promise<LiveSessionRow[]> {
    return (await this.sql.run<LiveSessionRow>(LIVE_OF_USER, [userId, now])).rows;
  }

  /** When each of these users last opened a session themselves (impersonations left out); users who never did are absent. */
  async lastSignInOfUsers(userIds: readonly string[]): Promise<Map<string, Date>> {
    const { rows } = await this.sql.run<{ user_id: string; at: Date }>(LAST_SIGN_IN_OF_USERS, [userIds]);
    return new Map(rows.map((r) => [r.user_id, r.at]));
  }

  /** Whether a session with this id exists within the scope (ended or not). `sessionId` must be a uuid. */
  async existsInScope(sessionId: string, scope: SessionScope): Promise<boolean> {
    const { rows } = await this.sql.run(FIND_IN_SCOPE, [sessionId, scope.userId ?? null, scope.organizationId ?? null, scope.method ?? null]);
    return rows.length > 0;
  }
}
