/**
 * What the pruner deletes from one table, and after how long. A rule is plain SQL on
 * the table's own columns, so the pruner (platform) knows no feature's code; each owner
 * registers its tables' rules (RetentionRules.register) from its module.
 */
export interface RetentionRule {
  /** The table, also the `table` label of authgate_pruned_rows_total and of the log line. */
  table: string;
  /** A unique column (the primary key) naming the rows to delete. */
  key: string;
  /**
   * The condition of a row that may go, with `$1` the cutoff (a timestamptz: now minus the
   * retention). Index it: the pruner runs it once per batch. E.g. `expires_at < $1`.
   */
  where: string;
  /** Which configured retention applies (see RetentionSettings). */
  retention: RetentionKind;
}

/**
 * - `sessions`: ended or expired sessions, with their refresh tokens (SESSION_RETENTION_DAYS);
 * - `tokens`: single-use things once used or expired: impersonation tickets, SSO states,
 *   reset and invitation tokens, MFA tokens (TOKEN_RETENTION_DAYS);
 * - `audit`: audit events (AUDIT_RETENTION_DAYS; 0 keeps them).
 */
export type RetentionKind = 'sessions' | 'tokens' | 'audit';

export interface RetentionSettings {
  sessionDays: number;
  tokenDays: number;
  /** 0 = keep audit events forever. */
  auditDays: number;
  /** Rows per DELETE (one short transaction each). */
  batchSize: number;
  /** How often each instance tries to prune; 0 = never in the service (cron runs `npm run prune`). */
  intervalMinutes: number;
}

export const DEFAULT_RETENTION: RetentionSettings = {
  sessionDays: 30,
  tokenDays: 7,
  auditDays: 400,
  batchSize: 1000,
  intervalMinutes: 60,
};

/**
 * The rules for the tables that exist before any feature registers its own. Sessions:
 * `coalesce(ended_at, expires_at)` is when a session stopped being usable (ended, or past
 * its absolute expiry); its refresh tokens go with it (ON DELETE CASCADE), rotated ones
 * included, while a live session keeps every one of them (reuse detection needs them).
 */
export const CORE_RETENTION_RULES: readonly RetentionRule[] = [
  { table: 'sessions', key: 'id', where: 'coalesce(ended_at, expires_at) < $1', retention: 'sessions' },
  { table: 'impersonation_tickets', key: 'jti', where: 'expires_at < $1', retention: 'tokens' },
  { table: 'consumed_nonces', key: 'nonce', where: 'expires_at < $1', retention: 'tokens' },
  { table: 'audit_events', key: 'id', where: 'occurred_at < $1', retention: 'audit' },
];
