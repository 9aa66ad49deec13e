import type { ThrottleKey, ThrottleScope } from './throttle-policy';

/** One password check's charge: the keys it was charged to, and the window each charge belongs to. */
export interface Reservation {
  keys: readonly ThrottleKey[];
  windowStartsMs: readonly number[];
}

export type ReserveResult =
  | { allowed: true; reservation: Reservation }
  | { allowed: false; retryAfterMs: number; blockedBy: ThrottleScope[] };

/**
 * Where the failed-login counters live: shared by every instance, so N
 * instances never multiply a budget. Each operation is atomic in the store.
 */
export abstract class ThrottleStore {
  /** Decide and charge in one atomic step (the rules of throttle-policy.ts, as `throttle_reserve` and the Lua script apply them). */
  abstract reserve(keys: readonly ThrottleKey[], nowMs: number): Promise<ReserveResult>;

  /**
   * Settle a reservation that did not end in a failed password check:
   * `success` starts consecutive counters again and hands the others their
   * charge back; `release` (an outage, a refusal that says nothing about the
   * password) only hands every charge back. A charge from a window that has
   * since ended is left alone.
   */
  abstract settle(reservation: Reservation, outcome: 'success' | 'release'): Promise<void>;
}
