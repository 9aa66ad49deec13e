/**
 * The failed-login rules (docs/security.md, "Abuse").
 *
 * Every key is a fixed window counter: `failures` within the window that
 * started with the first of them; once the window has passed, the counter
 * starts again from zero, so nothing is ever locked for longer than a window.
 * The limits live here; they are applied atomically inside the shared store, in
 * PL/pgSQL (migrations/*-ThrottleFunctions.ts) and in Lua (redis-throttle.store.ts),
 * and test/throttle/throttle-suite.ts holds both stores to the same behaviour.
 */

export const HOUR_MS = 3_600_000;

export interface BackoffRule {
  /** Failures that never cause a wait: the first 5 (docs/security.md, "Abuse"). */
  free: number;
  /** Wait after the first failure past the free ones; doubles with each further failure. */
  baseMs: number;
  capMs: number;
}

export interface KeyRule {
  windowMs: number;
  /** With this many failures in the window, the key is closed until the window ends. */
  limit: number;
  backoff?: BackoffRule;
  /** Counts consecutive failures: a success starts it again (otherwise a success only hands its charge back). */
  resetOnSuccess?: boolean;
}

export type ThrottleScope = 'account_ip' | 'account' | 'ip';

export interface ThrottleKey {
  key: string;
  scope: ThrottleScope;
  rule: KeyRule;
}

export interface ThrottleLimits {
  /**
   * Per account identifier and client IP: 5 failures free, then waits of 1, 2, 4 … 60 s before
   * each further check, and after the 19th failure closed until the window ends (≤ 1 hour).
   * So a burst gets 429 from its 6th attempt, and an attacker who waits gets 19 checks an hour.
   */
  accountIp: KeyRule;
  /** Per account identifier, all IPs together. */
  account: KeyRule;
  /** Per client IP, all accounts together. */
  ip: KeyRule;
}

/**
 * The account budget is spent per identifier the client typed (an email, or a
 * user name on the workspace API) so that unknown accounts behave exactly like
 * real ones. An account has at most an email and a user name, so 50 per
 * identifier keeps every account at ≤ 100 failed checks an hour (NIST SP
 * 800-63B §5.2.2) whichever identifiers an attacker mixes. See docs/security.md.
 */
export const ACCOUNT_FAILURES_PER_IDENTIFIER = 50;
export const DEFAULT_IP_FAILURES_PER_HOUR = 200;

export function throttleLimits(ipFailuresPerHour = DEFAULT_IP_FAILURES_PER_HOUR): ThrottleLimits {
  return {
    accountIp: { windowMs: HOUR_MS, limit: 19, backoff: { free: 5, baseMs: 1000, capMs: 60_000 }, resetOnSuccess: true },
    account: { windowMs: HOUR_MS, limit: ACCOUNT_FAILURES_PER_IDENTIFIER },
    ip: { windowMs: HOUR_MS, limit: ipFailuresPerHour },
  };
}

/** Whole seconds, never 0: a client that waits exactly this long gets a fresh answer. */
export const retryAfterSeconds = (retryAfterMs: number): number => Math.max(1, Math.ceil(retryAfterMs / 1000));
