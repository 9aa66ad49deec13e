import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccountTokenKind } from './account-token.entity';
import { generateAccountToken, hashAccountToken } from './account-token.codec';

/** The user a forgot-password request reached: only an active local account is reached. */
export interface ResetRecipient {
  userId: string;
  organizationId: string;
  email: string;
  firstName: string;
}

/** A link's token that may still be redeemed, with what the password rules need to know of its user. */
export interface RedeemableToken {
  userId: string;
  organizationId: string;
  kind: AccountTokenKind;
  email: string;
  userName: string | null;
  migrated: boolean;
}

/**
 * Every statement on `account_tokens`. Issuing and redeeming take the caller's
 * transaction (an EntityManager), so a link is never issued for a user that was
 * not written, nor redeemed without the password it sets.
 */
@Injectable()
export class AccountTokensRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * A new link for `userId`. `replacing`: the user's older links of this kind die
   * (a resent invitation). Returns the token: the only time it exists in clear.
   */
  async issue(manager: EntityManager, userId: string, kind: AccountTokenKind, now: Date, ttlMs: number, replacing = false): Promise<string> {
    if (replacing) {
      await manager.query(`UPDATE account_tokens SET used_at = $3 WHERE user_id = $1 AND kind = $2 AND used_at IS NULL`, [userId, kind, now]);
    }
    const token = generateAccountToken();
    await manager.query(
      `INSERT INTO account_tokens (user_id, kind, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
      [userId, kind, hashAccountToken(token), now, new Date(now.getTime() + ttlMs)],
    );
    return token;
  }

  /**
   * Forgot password: one statement whatever the email, so a known and an unknown
   * address cost the same. The link is stored only when the email names an active
   * local account (not migrated: WorkOS owns that password); the caller hashes a
   * fresh token either way.
   */
  async issueResetForEmail(email: string, tokenHash: Buffer, now: Date, ttlMs: number): Promise<ResetRecipient | null> {
    const rows = await this.dataSource.query<{ id: string; organization_id: string; email: string; first_name: string }[]>(
      `WITH u AS (
         SELECT id, organization_id, email, first_name FROM users
          WHERE email = $1 AND active AND NOT (migrated_at IS NOT NULL AND workos_user_id IS NOT NULL)
       ), t AS (
         INSERT INTO account_tokens (user_id, kind, token_hash, created_at, expires_at)
         SELECT id, $2, $3, $4, $5 FROM u RETURNING user_id
       )
       SELECT u.* FROM u JOIN t ON t.user_id = u.id`,
      [email, AccountTokenKind.PasswordReset, tokenHash, now, new Date(now.getTime() + ttlMs)],
    );
    const row = rows[0];
    return row ? { userId: row.id, organizationId: row.organization_id, email: row.email, firstName: row.first_name } : null;
  }

  /** The token's link if it is unused, unexpired and its user active; null otherwise (all look alike to the client). */
  async findRedeemable(tokenHash: Buffer, now: Date): Promise<RedeemableToken | null> {
    const rows = await this.dataSource.query<
      { user_id: string; organization_id: string; kind: AccountTokenKind; email: string; user_name: string | null; migrated: boolean }[]
    >(
      `SELECT t.user_id, u.organization_id, t.kind, u.email, u.user_name,
              (u.migrated_at IS NOT NULL AND u.workos_user_id IS NOT NULL) AS migrated
         FROM account_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > $2 AND u.active`,
      [tokenHash, now],
    );
    const row = rows[0];
    return row
      ? { userId: row.user_id, organizationId: row.organization_id, kind: row.kind, email: row.email, userName: row.user_name, migrated: row.migrated }
      : null;
  }

  /**
   * Redeems the token: the one conditional UPDATE that decides, under any
   * concurrency, which single request the link was for. Null: used, expired or unknown.
   */
  async redeem(manager: EntityManager, tokenHash: Buffer, now: Date): Promise<{ userId: string; kind: AccountTokenKind } | null> {
    const [rows] = await manager.query<[{ user_id: string; kind: AccountTokenKind }[], number]>(
      `UPDATE account_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id, kind`,
      [tokenHash, now],
    );
    const row = rows[0];
    return row ? { userId: row.user_id, kind: row.kind } : null;
  }

  /** Every outstanding link of the user dies (a password set, a deactivation). */
  async killAllForUser(manager: EntityManager, userId: string, now: Date): Promise<void> {
    await manager.query(`UPDATE account_tokens SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL`, [userId, now]);
  }

  /** When the user's newest outstanding invitation expires (null: none). */
  async invitationExpiry(userId: string, now: Date): Promise<Date | null> {
    const rows = await this.dataSource.query<{ expires_at: Date }[]>(
      `SELECT max(expires_at) AS expires_at FROM account_tokens WHERE user_id = $1 AND kind = $2 AND used_at IS NULL AND expires_at > $3`,
      [userId, AccountTokenKind.Invitation, now],
    );
    return rows[0]?.expires_at ?? null;
  }
}
