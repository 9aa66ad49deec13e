import { Injectable } from '@nestjs/common';
import { AppConfig, InjectConfig } from '../../platform/config/app-config';
import { Clock } from '../../platform/clock';
import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { ApiException, DEFAULT_MESSAGES } from '../../platform/errors/api.exception';
import type { ClientContext } from '../../platform/http/client-context';
import { accountKeyOf, ipSubjectOf } from '../../throttle/throttle-keys';
import { retryAfterSeconds, ThrottleKey, throttleLimits } from '../../throttle/throttle-policy';
import { ThrottleStore } from '../../throttle/throttle-store';

/**
 * Forgot-password requests, throttled per email and per client IP with the
 * login rules (5 free, then growing waits, an hourly cap) in the same shared
 * store, under keys of their own: asking for a link spends no login budget.
 * Every request is charged, whether or not the email names anyone, so the 429
 * tells nothing about accounts either.
 */
@Injectable()
export class ForgotPasswordThrottle {
  private readonly limits: ReturnType<typeof throttleLimits>;

  constructor(
    private readonly store: ThrottleStore,
    private readonly clock: Clock,
    @InjectConfig() config: AppConfig,
  ) {
    this.limits = throttleLimits(config.throttle?.ipFailuresPerHour);
  }

  async charge(email: string, client: ClientContext): Promise<void> {
    const account = accountKeyOf(email);
    const ip = ipSubjectOf(client.ip);
    const keys: ThrottleKey[] = [
      { key: `forgot-acct:${account}`, scope: 'account' as const, rule: this.limits.account },
      { key: `forgot-acct-ip:${account}:${ip}`, scope: 'account_ip' as const, rule: { ...this.limits.accountIp, resetOnSuccess: false } },
      { key: `forgot-ip:${ip}`, scope: 'ip' as const, rule: this.limits.ip },
    ].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const result = await this.store.reserve(keys, this.clock.nowMs());
    if (!result.allowed) {
      throw new ApiException(ApiErrorCode.TOO_MANY_ATTEMPTS, DEFAULT_MESSAGES[ApiErrorCode.TOO_MANY_ATTEMPTS] as string, undefined, {
        'Retry-After': String(retryAfterSeconds(result.retryAfterMs)),
      });
    }
    // Never settled: the charge stays, as a failed login's does.
  }
}
