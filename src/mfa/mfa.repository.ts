import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig, InjectConfig } from '../platform/config/app-config';
import { sql, SqlStatements } from '../platform/database/sql-statement';
import { MfaChallengePurpose } from './mfa-login-challenge.entity';

export interface FactorRow {
  secretSealed: string;
  active: boolean;
  lastUsedStep: number | null;
}

export interface ChallengeRow {
  id: string;
  userId: string;
  purpose: MfaChallengePurpose;
  failedAttempts: number;
  expiresAt: Date;
  providerState: string | null;
}

/** Wrong codes after which a login's second-step token dies: the fifth (docs/mfa.md). */
export const MFA_TOKEN_MAX_FAILURES = 5;

const MFA_FACTOR_FIND = sql(
  'mfa_factor_find',
  `SELECT secret_sealed, confirmed_at, last_used_step FROM mfa_factors WHERE user_id = $1`,
);

const MFA_FACTOR_CONFIRMED_AMONG = sql(
  'mfa_factor_confirmed_among',
  `SELECT user_id FROM mfa_factors WHERE user_id = ANY($1::uuid[]) AND confirmed_at IS NOT NULL`,
);

const MFA_FACTOR_SAVE_PENDING = sql(
  'mfa_factor_save_pending',
  `INSERT INTO mfa_factors (user_id, type, secret_sealed, created_at) VALUES ($1, 'totp', $2, $3)
       ON CONFLICT (user_id) DO UPDATE SET secret_sealed = EXCLUDED.secret_sealed, created_at = EXCLUDED.created_at, last_used_step = NULL
       WHERE mfa_factors.confirmed_at IS NULL`,
);

const MFA_FACTOR_ACCEPT_STEP = sql(
  'mfa_factor_accept_step',
  `UPDATE mfa_factors SET last_used_step = $2
        WHERE user_id = $1 AND confirmed_at IS NOT NULL AND (last_used_step IS NULL OR last_used_step < $2)`,
);

const MFA_FACTOR_ACTIVATE = sql(
  'mfa_factor_activate',
  `WITH f AS (
         UPDATE mfa_factors SET confirmed_at = $3, last_used_step = $2
          WHERE user_id = $1 AND confirmed_at IS NULL AND (last_used_step IS NULL OR last_used_step < $2)
          RETURNING user_id
       ), gone AS (
         DELETE FROM mfa_recovery_codes WHERE user_id IN (SELECT user_id FROM f)
       ), added AS (
         INSERT INTO mfa_recovery_codes (user_id, code_hash, created_at)
         SELECT f.user_id, h, $3 FROM f, unnest($4::text[]) AS h
       )
       SELECT count(*)::int AS n FROM f`,
);

const MFA_FACTOR_DELETE = sql(
  'mfa_factor_delete',
  `WITH f AS (DELETE FROM mfa_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL RETURNING user_id),
            codes AS (DELETE FROM mfa_recovery_codes WHERE user_id IN (SELECT user_id FROM f))
       SELECT count(*)::int AS n FROM f`,
);

const MFA_RECOVERY_REPLACE = sql(
  'mfa_recovery_replace',
  `WITH f AS (SELECT user_id FROM mfa_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL FOR UPDATE),
            gone AS (DELETE FROM mfa_recovery_codes WHERE user_id IN (SELECT user_id FROM f)),
            added AS (INSERT INTO mfa_recovery_codes (user_id, code_hash, created_at)
                      SELECT f.user_id, h, $3 FROM f, unnest($2::text[]) AS h)
       SELECT count(*)::int AS n FROM f`,
);

const MFA_RECOVERY_USE = sql(
  'mfa_recovery_use',
  `WITH used AS (
         UPDATE mfa_recovery_codes SET used_at = $3
          WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL
            AND EXISTS (SELECT 1 FROM mfa_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL)
          RETURNING id
       )
       SELECT (SELECT count(*)::int FROM mfa_recovery_codes WHERE user_id = $1 AND used_at IS NULL) - 1 AS remaining
         FROM used`,
);

const MFA_CHALLENGE_CREATE = sql(
  'mfa_challenge_create',
  `INSERT INTO mfa_login_challenges (token_hash, user_id, purpose, created_at, expires_at, provider_state)
       VALUES ($1, $2, $3, $4, $5, $6)`,
);

const MFA_CHALLENGE_FIND = sql(
  'mfa_challenge_find',
  `SELECT id, user_id, purpose, failed_attempts, expires_at, provider_state FROM mfa_login_challenges
        WHERE token_hash = $1 AND consumed_at IS NULL AND expires_at > $2 AND failed_attempts < $3`,
);

const MFA_CHALLENGE_FAIL = sql(
  'mfa_challenge_fail',
  `UPDATE mfa_login_challenges SET failed_attempts = failed_attempts + 1 WHERE id = $1 AND consumed_at IS NULL`,
);

const MFA_CHALLENGE_CONSUME = sql(
  'mfa_challenge_consume',
  `UPDATE mfa_login_challenges SET consumed_at = $2
        WHERE id = $1 AND consumed_at IS NULL AND expires_at > $2 AND failed_attempts < $3`,
);

const MFA_CHALLENGE_STATE = sql(
  'mfa_challenge_state',
  `UPDATE mfa_login_challenges SET provider_state = $2 WHERE id = $1`,
);

/**
 * Every statement on mfa_factors, mfa_recovery_codes and mfa_login_challenges.
 * The rules that must hold under concurrency (a code accepted once, a recovery
 * code used once, a token redeemed once, the fifth failure killing a token) are
 * each one conditional statement, so two instances racing cannot both win.
 */
@Injectable()
export class MfaRepository {
  private readonly sql: SqlStatements;

  constructor(@InjectDataSource() dataSource: DataSource, @InjectConfig() config: AppConfig) {
    this.sql = new SqlStatements(dataSource, config.database.preparedStatements !== false);
  }

  /** Which of these users have a confirmed factor. */
  async confirmedAmong(userIds: readonly string[]): Promise<Set<string>> {
    const { rows } = await this.sql.run<{ user_id: string }>(MFA_FACTOR_CONFIRMED_AMONG, [userIds]);
    return new Set(rows.map((r) => r.user_id));
  }

  async findFactor(userId: string): Promise<FactorRow | null> {
    const { rows } = await this.sql.run<{ secret_sealed: string; confirmed_at: Date | null; last_used_step: string | null }>(MFA_FACTOR_FIND, [userId]);
    const row = rows[0];
    if (!row) return null;
    return {
      secretSealed: row.secret_sealed,
      active: row.confirmed_at !== null,
      lastUsedStep: row.last_used_step === null ? null : Number(row.last_used_step),
    };
  }

  /** Stores a pending factor, replacing a pending one; false when the user already has an active factor. */
  async savePendingFactor(userId: string, secretSealed: string, now: Date): Promise<boolean> {
    const { rowCount } = await this.sql.run(MFA_FACTOR_SAVE_PENDING, [userId, secretSealed, now]);
    return rowCount > 0;
  }

  /**
   * Records `step` as the last accepted code of an active factor, only if it is
   * newer than the one stored: of two requests with the same code, one wins.
   */
  async acceptStep(userId: string, step: number): Promise<boolean> {
    const { rowCount } = await this.sql.run(MFA_FACTOR_ACCEPT_STEP, [userId, step]);
    return rowCount > 0;
  }

  /**
   * Activates a pending factor with its first accepted code and stores the hashes
   * of its recovery codes, in one statement. False when there was no pending
   * factor (or the step was not newer).
   */
  async activateFactor(userId: string, step: number, recoveryCodeHashes: string[], now: Date): Promise<boolean> {
    const { rows } = await this.sql.run<{ n: number }>(MFA_FACTOR_ACTIVATE, [userId, step, now, recoveryCodeHashes]);
    return rows[0].n > 0;
  }

  /** Removes an active factor and its recovery codes; false when there was none. */
  async deleteFactor(userId: string): Promise<boolean> {
    const { rows } = await this.sql.run<{ n: number }>(MFA_FACTOR_DELETE, [userId]);
    return rows[0].n > 0;
  }

  /** The old set dies with the new one's arrival (only for a user with an active factor). */
  async replaceRecoveryCodes(userId: string, hashes: string[], now: Date): Promise<boolean> {
    const { rows } = await this.sql.run<{ n: number }>(MFA_RECOVERY_REPLACE, [userId, hashes, now]);
    return rows[0].n > 0;
  }

  /** Marks an unused recovery code used; the number still unused, or null when the code was not one. */
  async useRecoveryCode(userId: string, hash: string, now: Date): Promise<number | null> {
    const { rows } = await this.sql.run<{ remaining: number }>(MFA_RECOVERY_USE, [userId, hash, now]);
    return rows[0]?.remaining ?? null;
  }

  async createChallenge(input: {
    tokenHash: Buffer;
    userId: string;
    purpose: MfaChallengePurpose;
    now: Date;
    expiresAt: Date;
    providerState: string | null;
  }): Promise<void> {
    await this.sql.run(MFA_CHALLENGE_CREATE, [input.tokenHash, input.userId, input.purpose, input.now, input.expiresAt, input.providerState]);
  }

  /** A token still usable at `now`: not redeemed, not expired, fewer than five wrong codes. */
  async findLiveChallenge(tokenHash: Buffer, now: Date): Promise<ChallengeRow | null> {
    const { rows } = await this.sql.run<{
      id: string;
      user_id: string;
      purpose: MfaChallengePurpose;
      failed_attempts: number;
      expires_at: Date;
      provider_state: string | null;
    }>(MFA_CHALLENGE_FIND, [tokenHash, now, MFA_TOKEN_MAX_FAILURES]);
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      userId: row.user_id,
      purpose: row.purpose,
      failedAttempts: row.failed_attempts,
      expiresAt: row.expires_at,
      providerState: row.provider_state,
    };
  }

  /** Counts a wrong code; the fifth ends the token. */
  async recordChallengeFailure(id: string): Promise<void> {
    await this.sql.run(MFA_CHALLENGE_FAIL, [id]);
  }

  /** Redeems a token once; false when another request redeemed it first or it died meanwhile. */
  async consumeChallenge(id: string, now: Date): Promise<boolean> {
    const { rowCount } = await this.sql.run(MFA_CHALLENGE_CONSUME, [id, now, MFA_TOKEN_MAX_FAILURES]);
    return rowCount > 0;
  }

  /** Keeps a challenge's provider state current (WorkOS's challenge id once the factor was challenged). */
  async updateProviderState(id: string, providerState: string): Promise<void> {
    await this.sql.run(MFA_CHALLENGE_STATE, [id, providerState]);
  }
}
