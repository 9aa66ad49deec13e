/**
 * The failed-login rules of the contract ("Abuse").
 *
 * Every key is a fixed window counter: `failures` within the window that
 * started with the first of them; once the window has passed, the counter
 * starts again from zero, so nothing is ever locked for longer than a window.
 * The same rules run in three places: here (the reference, and what the store
 * tests compare against), in PL/pgSQL (migrations/*-ThrottleFunctions.ts) and
 * in Lua (redis-throttle.store.ts).
 */

export const HOUR_MS = 3_600_000;

export interface BackoffRule {
  /** Failures that never cause a wait (the contract: the first 5). */
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

export interface CounterState {
  failures: number;
  windowStartedAtMs: number;
  /** When the latest failure was reserved; the back-off counts from it. */
  lastFailureAtMs: number | null;
}

export type ThrottleScope = 'account_ip' | 'account' | 'ip';

export interface ThrottleKey {
  key: string;
  scope: ThrottleScope;
  rule: KeyRule;
}

export type Decision =
  | { allowed: true; next: CounterState[] }
  | { allowed: false; retryAfterMs: number; blockedBy: ThrottleScope[] };

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

/** The counter as it stands at `nowMs`. A window starts with its first failure; a finished one counts from zero. */
export function currentState(state: CounterState | undefined, rule: KeyRule, nowMs: number): CounterState {
  if (!state || state.failures === 0 || nowMs >= state.windowStartedAtMs + rule.windowMs) {
    return { failures: 0, windowStartedAtMs: nowMs, lastFailureAtMs: null };
  }
  return state;
}

/** Until when the key refuses attempts (0: open). Never past the end of its window. */
export function blockedUntil(state: CounterState, rule: KeyRule): number {
  const windowEnd = state.windowStartedAtMs + rule.windowMs;
  if (state.failures >= rule.limit) return windowEnd;
  const backoff = rule.backoff;
  if (backoff && state.failures >= backoff.free && state.lastFailureAtMs !== null) {
    const wait = Math.min(backoff.baseMs * 2 ** (state.failures - backoff.free), backoff.capMs);
    return Math.min(state.lastFailureAtMs + wait, windowEnd);
  }
  return 0;
}

/**
 * Whether one more password check may run now. When it may, every key is
 * charged one failure in advance (a success or an outage hands it back), so
 * parallel attempts can never overshoot a budget. When it may not, nothing is
 * charged: a refused attempt is not a failed password check.
 */
export function decide(keys: readonly ThrottleKey[], stored: readonly (CounterState | undefined)[], nowMs: number): Decision {
  const states = keys.map((k, i) => currentState(stored[i], k.rule, nowMs));
  let until = 0;
  const blockedBy: ThrottleScope[] = [];
  states.forEach((state, i) => {
    const keyUntil = blockedUntil(state, keys[i].rule);
    if (keyUntil > nowMs) {
      until = Math.max(until, keyUntil);
      blockedBy.push(keys[i].scope);
    }
  });
  if (blockedBy.length > 0) return { allowed: false, retryAfterMs: until - nowMs, blockedBy };
  return {
    allowed: true,
    next: states.map((s) => ({ failures: s.failures + 1, windowStartedAtMs: s.windowStartedAtMs, lastFailureAtMs: nowMs })),
  };
}

/** Whole seconds, never 0: a client that waits exactly this long gets a fresh answer. */
export const retryAfterSeconds = (retryAfterMs: number): number => Math.max(1, Math.ceil(retryAfterMs / 1000));
