import { SessionMethod } from '../session.entity';
import { SessionPolicy } from '../../identity/organizations/session-policy';

const MINUTE = 60_000;

/**
 * How often a session's activity is written: a twelfth of the idle timeout,
 * between 1 s and 30 s. A one-minute policy writes at most every 5 s.
 */
export function activityWindowMs(policy: Pick<SessionPolicy, 'idleTimeoutMinutes'>): number {
  return Math.min(30_000, Math.max(1_000, Math.floor((policy.idleTimeoutMinutes * MINUTE) / 12)));
}

/**
 * When the server considers the session idle-dead: exactly the deadline the SPA
 * is told (`session.idleExpiresAt`), no tolerance. Activity is coalesced
 * (written at most once per window, and any activity left unwritten is flushed
 * one window later), so the database lags what an instance saw by at most one
 * window, which is at most a twelfth of the idle timeout: by the time a deadline
 * is reached, every instance has written what it saw.
 */
export function idleDeadlineMs(lastActivityMs: number, policy: SessionPolicy): number | null {
  if (!policy.enabled) return null;
  return lastActivityMs + policy.idleTimeoutMinutes * MINUTE;
}

/** Idle-dead once the deadline is reached: a session idle for exactly `idleTimeoutMinutes` is dead. */
export function isIdleExpired(lastActivityMs: number, nowMs: number, policy: SessionPolicy): boolean {
  const deadline = idleDeadlineMs(lastActivityMs, policy);
  return deadline !== null && nowMs >= deadline;
}

/** Whether a refresh may silently renew a session opened this way. */
export function silentRenewalAllowed(method: SessionMethod, policy: SessionPolicy): boolean {
  if (!policy.enabled) return true;
  switch (method) {
    case SessionMethod.Password:
      return policy.passwordSilentRenewalEnabled;
    case SessionMethod.Sso:
      return policy.ssoSilentRenewalEnabled;
    case SessionMethod.Impersonation:
      // Bounded by its own 60-minute limit; the target's renewal flags are about the target's own sign-ins.
      return true;
  }
}

export const tokenLifetimeSeconds = (policy: SessionPolicy): number => policy.tokenExpiryHours * 3600;
