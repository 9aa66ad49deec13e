import { Injectable, Logger } from '@nestjs/common';
import { MetricsService } from '../platform/metrics/metrics.service';
import { Clock } from '../platform/clock';
import { ApiErrorCode } from '../platform/errors/api-error-code';
import { ApiException, DEFAULT_MESSAGES } from '../platform/errors/api.exception';
import type { ClientContext } from '../platform/http/client-context';
import { SecurityEvents } from '../platform/logging/security-events';
import { AppConfig, InjectConfig } from '../platform/config/app-config';
import { accountKeyOf, throttleKeysFor } from './throttle-keys';
import { retryAfterSeconds, ThrottleKey, throttleLimits, ThrottleLimits } from './throttle-policy';
import { ThrottleStore } from './throttle-store';

export interface LoginAttempt {
  /** What the client typed to name the account (email, or user name on the workspace API). */
  identifier: string;
  client: ClientContext;
  /** The account's user id when it exists: for the security log only, never for counting. */
  userId?: string | null;
}

const noop = (): void => undefined;

/** A check the client failed: a wrong password, a refused impersonation token (both are logins), or a wrong second-factor code (src/mfa). */
const FAILED_CHECKS = new Set<string>([ApiErrorCode.INVALID_CREDENTIALS, ApiErrorCode.IMPERSONATION_TOKEN_INVALID, ApiErrorCode.MFA_CODE_INVALID]);
const isFailedPasswordCheck = (err: unknown): boolean => err instanceof ApiException && FAILED_CHECKS.has(err.code);

/**
 * The one failed-login budget of every login path. `check` (the password
 * verification) runs only after a charge was reserved atomically in the shared
 * store, so N parallel attempts run at most the budget's worth of password
 * checks, across every instance. A failed check keeps its charge; a success
 * resets the account+IP counter and hands the other charges back; any other
 * outcome (outage, MFA required, …) hands every charge back.
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger('Throttle');
  private readonly limits: ThrottleLimits;
  /** The latest attempt of each account+IP pair on this instance, which the next one waits for. */
  private readonly lastAttempt = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: ThrottleStore,
    private readonly clock: Clock,
    private readonly events: SecurityEvents,
    @InjectConfig() config: AppConfig,
    private readonly metrics: MetricsService,
  ) {
    this.limits = throttleLimits(config.throttle?.ipFailuresPerHour);
  }

  /**
   * Attempts of one account from one client run one after another on this
   * instance. A charge is taken before its check, so parallel attempts would
   * otherwise see each other's pending charges as failures: six tabs signing in
   * at once with the right password would get a 429. In turn, each sees the
   * settled outcome of the one before (a success resets the pair). An attacker's
   * parallel guesses queue up the same way and still meet the budget.
   */
  async guard<T>(attempt: LoginAttempt, check: () => Promise<T>): Promise<T> {
    const keys = throttleKeysFor(attempt.identifier, attempt.client.ip, this.limits);
    const pair = keys.find((k) => k.scope === 'account_ip')?.key ?? '';
    const previous = this.lastAttempt.get(pair);
    const run = previous ? previous.then(noop, noop).then(() => this.charged(keys, attempt, check)) : this.charged(keys, attempt, check);
    this.lastAttempt.set(pair, run);
    try {
      return await run;
    } finally {
      if (this.lastAttempt.get(pair) === run) this.lastAttempt.delete(pair);
    }
  }

  private async charged<T>(keys: ThrottleKey[], attempt: LoginAttempt, check: () => Promise<T>): Promise<T> {
    const result = await this.store.reserve(keys, this.clock.nowMs());
    if (!result.allowed) {
      const seconds = retryAfterSeconds(result.retryAfterMs);
      this.events.record('login.throttled', attempt.client.requestId, { ...this.subject(attempt), blockedBy: result.blockedBy, retryAfterSeconds: seconds });
      for (const budget of result.blockedBy) this.metrics.throttleRefusal(budget);
      throw new ApiException(
        ApiErrorCode.TOO_MANY_ATTEMPTS,
        DEFAULT_MESSAGES[ApiErrorCode.TOO_MANY_ATTEMPTS] as string,
        undefined,
        { 'Retry-After': String(seconds) },
      );
    }
    let outcome: T;
    try {
      outcome = await check();
    } catch (err) {
      if (isFailedPasswordCheck(err)) {
        this.events.record('login.failed', attempt.client.requestId, this.subject(attempt));
      } else {
        await this.store.settle(result.reservation, 'release').catch((settleErr: unknown) => this.settleFailed(settleErr));
      }
      throw err;
    }
    await this.store.settle(result.reservation, 'success');
    return outcome;
  }

  private subject(attempt: LoginAttempt): Record<string, unknown> {
    return {
      account: accountKeyOf(attempt.identifier),
      userId: attempt.userId ?? null,
      ip: attempt.client.ip,
      userAgent: attempt.client.userAgent,
    };
  }

  private settleFailed(err: unknown): void {
    // The store is unreachable; the error the client gets is the original one.
    this.logger.warn(`throttle charge not handed back: ${err instanceof Error ? err.message : String(err)}`);
  }
}
