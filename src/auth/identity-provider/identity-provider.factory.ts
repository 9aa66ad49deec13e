import type { MetricsService } from '../../platform/metrics/metrics.service';
import type { AppConfig } from '../../platform/config/app-config';
import { IdentityProvider } from './identity-provider';
import { UnconfiguredIdentityProvider } from './unconfigured-identity-provider';
import { WorkosIdentityProvider } from './workos-identity-provider';

/** On the login path a Retry-After longer than this answers 503 at once rather than holding the request. */
export const LOGIN_MAX_RETRY_AFTER_SECONDS = 2;

export interface IdentityProviderTuning {
  metrics?: MetricsService;
  maxRetries?: number;
  maxRetryAfterSeconds?: number | null;
}

/**
 * WorkOS when both WORKOS_API_KEY and WORKOS_CLIENT_ID are set, otherwise the
 * provider that answers 503 to every call. Defaults bound a login's time:
 * (maxRetries + 1) attempts of at most `timeoutMs` each, plus short backoffs.
 */
export function createIdentityProvider(workos: AppConfig['workos'], tuning: IdentityProviderTuning = {}): IdentityProvider {
  if (!workos.apiKey || !workos.clientId) return new UnconfiguredIdentityProvider();
  return new WorkosIdentityProvider({
    metrics: tuning.metrics,
    apiKey: workos.apiKey,
    clientId: workos.clientId,
    hostname: workos.hostname,
    port: workos.port,
    https: workos.https,
    timeoutMs: workos.timeoutMs,
    maxRetries: tuning.maxRetries ?? workos.maxRetries,
    maxRetryAfterSeconds: tuning.maxRetryAfterSeconds === undefined ? LOGIN_MAX_RETRY_AFTER_SECONDS : tuning.maxRetryAfterSeconds,
  });
}
