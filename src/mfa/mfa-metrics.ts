import { ApiErrorCode } from '../platform/errors/api-error-code';
import { ApiException } from '../platform/errors/api.exception';
import type { MetricsService } from '../platform/metrics/metrics.service';

/**
 * Where a second factor was checked, for `authgate_mfa_outcomes_total{step}`: the login's
 * second step, enrollment (from the settings or during login), WorkOS's email
 * verification, step-up, and the proofs that disable the factor or renew the recovery codes.
 */
export type MfaStep = 'login' | 'enrollment' | 'email_verification' | 'step_up' | 'disable' | 'recovery_codes';
/** What was presented: a TOTP code, a recovery code, a code checked by WorkOS, WorkOS's emailed code. */
export type MfaFactor = 'totp' | 'recovery_code' | 'workos_totp' | 'email_code';
/**
 * required: a correct password was answered with a second step; accepted; rejected (a
 * wrong or used code); token_invalid (a dead second-step token); throttled (429);
 * not_enabled (nothing to prove); error (anything else, e.g. WorkOS unreachable).
 */
export type MfaOutcome = 'required' | 'accepted' | 'rejected' | 'token_invalid' | 'throttled' | 'not_enabled' | 'error';

export function mfaOutcomeOf(err: unknown): MfaOutcome {
  if (!(err instanceof ApiException)) return 'error';
  switch (err.code) {
    case ApiErrorCode.MFA_CODE_INVALID:
      return 'rejected';
    case ApiErrorCode.MFA_TOKEN_INVALID:
      return 'token_invalid';
    case ApiErrorCode.TOO_MANY_ATTEMPTS:
      return 'throttled';
    case ApiErrorCode.MFA_NOT_ENABLED:
      return 'not_enabled';
    default:
      return 'error';
  }
}

export interface MfaLabels {
  step: MfaStep;
  factor: MfaFactor;
}

/**
 * Runs one second-factor check and counts how it ended (never the code itself). The
 * labels are read when it ends, so a check may refine them once it knows more (the
 * purpose of a second-step token is known only after the token was looked up).
 */
export async function countedCheck<T>(metrics: MetricsService, labels: MfaLabels, check: () => Promise<T>): Promise<T> {
  try {
    const result = await check();
    metrics.mfa(labels.step, labels.factor, 'accepted');
    return result;
  } catch (err) {
    metrics.mfa(labels.step, labels.factor, mfaOutcomeOf(err));
    throw err;
  }
}
