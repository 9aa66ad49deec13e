import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { SessionEndReason } from '../session.entity';
import type { SessionSnapshot } from '../session-snapshot';
import { isIdleExpired, silentRenewalAllowed } from './session-rules';

/** The two ways a client presents a session: a bearer access token, or a refresh token. */
export type SessionPath = 'bearer' | 'refresh';

/**
 * What each path answers for a session that ended for each reason: the one table.
 * The bearer path tells the SPA why it was signed out (the logout reason it shows); the
 * refresh path says only that this refresh token no longer works (INVALID_REFRESH_TOKEN,
 * as for an unknown, expired or revoked one), except where the SPA
 * must act differently: an idle or expired session sends the user to sign in again with
 * the same reason as the bearer path, and reuse is told once, when it is detected.
 * docs/session-policy.md shows this table.
 */
export const END_REASON_CODES: Readonly<Record<SessionEndReason, Readonly<Record<SessionPath, ApiErrorCode>>>> = {
  [SessionEndReason.Logout]: { bearer: ApiErrorCode.SESSION_REVOKED, refresh: ApiErrorCode.INVALID_REFRESH_TOKEN },
  [SessionEndReason.Revoked]: { bearer: ApiErrorCode.SESSION_REVOKED, refresh: ApiErrorCode.INVALID_REFRESH_TOKEN },
  [SessionEndReason.RefreshReuse]: { bearer: ApiErrorCode.SESSION_REVOKED, refresh: ApiErrorCode.INVALID_REFRESH_TOKEN },
  [SessionEndReason.UserDeactivated]: { bearer: ApiErrorCode.SESSION_REVOKED, refresh: ApiErrorCode.INVALID_REFRESH_TOKEN },
  [SessionEndReason.CredentialsChanged]: { bearer: ApiErrorCode.SESSION_REVOKED, refresh: ApiErrorCode.INVALID_REFRESH_TOKEN },
  [SessionEndReason.ImpersonatorLostAccess]: { bearer: ApiErrorCode.SESSION_REVOKED, refresh: ApiErrorCode.INVALID_REFRESH_TOKEN },
  [SessionEndReason.IdleTimeout]: { bearer: ApiErrorCode.SESSION_IDLE_TIMEOUT, refresh: ApiErrorCode.SESSION_IDLE_TIMEOUT },
  [SessionEndReason.Expired]: { bearer: ApiErrorCode.SESSION_EXPIRED, refresh: ApiErrorCode.SESSION_EXPIRED },
};

export const codeForEnd = (reason: SessionEndReason, path: SessionPath): ApiErrorCode => END_REASON_CODES[reason][path];

/**
 * Alive, or dead for a reason; `endNow` when the session is dead but not yet marked so
 * (the caller ends it with that reason before answering).
 */
export type SessionVerdict = { alive: true } | { alive: false; reason: SessionEndReason; endNow: boolean };

/**
 * The one rule set both paths ask: is this session alive? In this order, so each state
 * has exactly one answer: already ended; its user deactivated; the admin behind an
 * impersonation no longer an active ADMIN of the organization; past its absolute limit;
 * idle past the policy's timeout (`lastActivityMs`: the latest activity anyone saw).
 */
export function judgeSession(session: SessionSnapshot, nowMs: number, lastActivityMs: number): SessionVerdict {
  if (session.endedReason) return { alive: false, reason: session.endedReason, endNow: false };
  if (!session.user.active) return { alive: false, reason: SessionEndReason.UserDeactivated, endNow: true };
  if (!session.impersonatorInGoodStanding) return { alive: false, reason: SessionEndReason.ImpersonatorLostAccess, endNow: true };
  if (nowMs >= session.expiresAtMs) return { alive: false, reason: SessionEndReason.Expired, endNow: true };
  if (isIdleExpired(lastActivityMs, nowMs, session.policy)) return { alive: false, reason: SessionEndReason.IdleTimeout, endNow: true };
  return { alive: true };
}

/** Refresh asks one more thing of a live session: may it renew silently? (It stays alive either way.) */
export function renewalRefusal(session: SessionSnapshot): ApiErrorCode | null {
  return silentRenewalAllowed(session.method, session.policy) ? null : ApiErrorCode.SILENT_RENEWAL_DISABLED;
}
