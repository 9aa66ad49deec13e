import { ApiErrorCode, httpStatusOf } from './api-error-code';

export interface FieldError {
  field: string;
  message: string;
  /** Why, as a stable code, where the error code alone does not say (WEAK_PASSWORD: TOO_SHORT, …). */
  reason?: string;
}

/** An error a client is meant to see, with a stable code. Thrown by services; shaped by the filter. */
export class ApiException extends Error {
  readonly status: number;

  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly fieldErrors?: FieldError[],
    /** Extra response headers, e.g. Retry-After. */
    readonly headers?: Record<string, string>,
    /** Extra top-level body fields of this code's answer (e.g. `mfa` of MFA_REQUIRED, docs/mfa.md). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiException';
    this.status = httpStatusOf(code);
  }
}

export const DEFAULT_MESSAGES: Partial<Record<ApiErrorCode, string>> = {
  [ApiErrorCode.INVALID_CREDENTIALS]: 'Invalid email or password.',
  [ApiErrorCode.TOKEN_INVALID]: 'The access token is missing or invalid.',
  [ApiErrorCode.TOKEN_EXPIRED]: 'The access token has expired.',
  [ApiErrorCode.IMPERSONATION_RESTRICTED]: 'Not allowed in an impersonated session.',
  [ApiErrorCode.SESSION_REVOKED]: 'The session has been ended.',
  [ApiErrorCode.SESSION_IDLE_TIMEOUT]: 'The session ended after a period of inactivity.',
  [ApiErrorCode.SESSION_EXPIRED]: 'The session has reached its maximum lifetime.',
  [ApiErrorCode.INVALID_REFRESH_TOKEN]: 'The refresh token is invalid, expired or revoked.',
  [ApiErrorCode.REFRESH_TOKEN_REUSED]: 'The refresh token was already used; the session has been ended.',
  [ApiErrorCode.SILENT_RENEWAL_DISABLED]: 'Silent renewal is disabled for this session; sign in again.',
  [ApiErrorCode.IMPERSONATION_TOKEN_INVALID]: 'The impersonation token is invalid.',
  [ApiErrorCode.FORBIDDEN]: 'You are not allowed to do this.',
  [ApiErrorCode.NOT_FOUND]: 'Not found.',
  [ApiErrorCode.USER_NOT_FOUND]: 'User not found.',
  [ApiErrorCode.TOO_MANY_ATTEMPTS]: 'Too many failed attempts; try again later.',
  [ApiErrorCode.IDENTITY_PROVIDER_UNAVAILABLE]: 'The identity provider is unavailable; try again shortly.',
  [ApiErrorCode.SERVICE_UNAVAILABLE]: 'The service is temporarily unavailable; try again shortly.',
  [ApiErrorCode.INTERNAL_ERROR]: 'An unexpected error occurred.',
  [ApiErrorCode.MFA_CODE_INVALID]: 'The code is wrong or was already used.',
  [ApiErrorCode.MFA_TOKEN_INVALID]: 'The sign-in step has expired or is no longer valid; sign in again.',
  [ApiErrorCode.MFA_REQUIRED_BY_POLICY]: "Your organization's policy requires a second factor for your account.",
  [ApiErrorCode.MFA_ALREADY_ENABLED]: 'A second factor is already set up; disable it first.',
  [ApiErrorCode.MFA_NOT_ENABLED]: 'No second factor is set up for this account.',
  [ApiErrorCode.MFA_ENROLLMENT_NOT_STARTED]: 'Start the enrollment first.',
  [ApiErrorCode.STEP_UP_REQUIRED]: 'Confirm a second factor to continue (POST /api/auth/mfa/step-up).',
};

export const apiError = (code: ApiErrorCode, message?: string): ApiException =>
  new ApiException(code, message ?? DEFAULT_MESSAGES[code] ?? code);
