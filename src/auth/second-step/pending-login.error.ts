import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { ApiException } from '../../platform/errors/api.exception';
import type { IssuedChallenge } from '../../mfa/mfa-challenges.service';

export const PENDING_LOGIN_MESSAGES: Partial<Record<ApiErrorCode, string>> = {
  [ApiErrorCode.MFA_REQUIRED]: 'A second factor is required to finish signing in.',
  [ApiErrorCode.MFA_ENROLLMENT_REQUIRED]: 'Your organization requires a second factor: set one up to finish signing in.',
  [ApiErrorCode.EMAIL_VERIFICATION_REQUIRED]: 'Enter the code emailed to you to verify your address and finish signing in.',
};

/** 403 MFA_REQUIRED / MFA_ENROLLMENT_REQUIRED with `mfa: { token, factors, expiresAt }` (docs/mfa.md, the login's second step). */
export const mfaPending = (code: ApiErrorCode.MFA_REQUIRED | ApiErrorCode.MFA_ENROLLMENT_REQUIRED, challenge: IssuedChallenge): ApiException =>
  new ApiException(code, PENDING_LOGIN_MESSAGES[code] as string, undefined, undefined, {
    mfa: { token: challenge.token, factors: ['totp'], expiresAt: challenge.expiresAt.toISOString() },
  });

/** 403 EMAIL_VERIFICATION_REQUIRED with `verification: { token, expiresAt }`. */
export const verificationPending = (challenge: IssuedChallenge): ApiException =>
  new ApiException(ApiErrorCode.EMAIL_VERIFICATION_REQUIRED, PENDING_LOGIN_MESSAGES[ApiErrorCode.EMAIL_VERIFICATION_REQUIRED] as string, undefined, undefined, {
    verification: { token: challenge.token, expiresAt: challenge.expiresAt.toISOString() },
  });
