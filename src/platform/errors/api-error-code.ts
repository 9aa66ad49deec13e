/**
 * Every machine-readable error code a client of `/api/auth/*` or
 * `/api/organizations/*` can see. Stable: clients switch on them.
 */
export enum ApiErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  MALFORMED_JSON = 'MALFORMED_JSON',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  /** The request's headers are over the server's limit (refused by the HTTP parser, before routing). */
  REQUEST_HEADERS_TOO_LARGE = 'REQUEST_HEADERS_TOO_LARGE',
  /** The request did not arrive within the server's request timeout. */
  REQUEST_TIMEOUT = 'REQUEST_TIMEOUT',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  TOKEN_INVALID = 'TOKEN_INVALID',
  TOKEN_EXPIRED = 'TOKEN_EXPIRED',
  SESSION_REVOKED = 'SESSION_REVOKED',
  SESSION_IDLE_TIMEOUT = 'SESSION_IDLE_TIMEOUT',
  SESSION_EXPIRED = 'SESSION_EXPIRED',
  INVALID_REFRESH_TOKEN = 'INVALID_REFRESH_TOKEN',
  REFRESH_TOKEN_REUSED = 'REFRESH_TOKEN_REUSED',
  SILENT_RENEWAL_DISABLED = 'SILENT_RENEWAL_DISABLED',
  IMPERSONATION_TOKEN_INVALID = 'IMPERSONATION_TOKEN_INVALID',
  FORBIDDEN = 'FORBIDDEN',
  IMPERSONATION_NESTED = 'IMPERSONATION_NESTED',
  IMPERSONATION_FORBIDDEN = 'IMPERSONATION_FORBIDDEN',
  /** A session opened by impersonation never passes an ADMIN check, nor changes the impersonated user's credentials. */
  IMPERSONATION_RESTRICTED = 'IMPERSONATION_RESTRICTED',
  EMAIL_VERIFICATION_REQUIRED = 'EMAIL_VERIFICATION_REQUIRED',
  MFA_REQUIRED = 'MFA_REQUIRED',
  SSO_REQUIRED = 'SSO_REQUIRED',
  USER_NOT_PROVISIONED = 'USER_NOT_PROVISIONED',
  INVALID_STATE = 'INVALID_STATE',
  /** SSO callback: the state was started in another browser (its browserNonce is not the one presented). */
  SSO_BROWSER_MISMATCH = 'SSO_BROWSER_MISMATCH',
  INVALID_REDIRECT_URI = 'INVALID_REDIRECT_URI',
  SSO_NOT_CONFIGURED = 'SSO_NOT_CONFIGURED',
  /** SSO callback: WorkOS refused the authorization code (invalid_grant: unknown, expired or used). */
  INVALID_SSO_CODE = 'INVALID_SSO_CODE',
  /** SSO callback: WorkOS redirected back with `error` instead of a code (cancelled, connection problem). */
  SSO_FAILED = 'SSO_FAILED',
  /** WorkOS asks for a step this API cannot carry out (organization selection, Radar challenge). */
  ADDITIONAL_VERIFICATION_REQUIRED = 'ADDITIONAL_VERIFICATION_REQUIRED',
  /** Workspace login: not a member of the workspace asked for (or no default); only after a correct password. */
  WORKSPACE_ACCESS_DENIED = 'WORKSPACE_ACCESS_DENIED',
  /** A password that breaks the password rules; `errors[].reason` says which. */
  WEAK_PASSWORD = 'WEAK_PASSWORD',
  /** Change password: the current password given is wrong (not 401: the caller is still signed in). */
  CURRENT_PASSWORD_INCORRECT = 'CURRENT_PASSWORD_INCORRECT',
  /** A reset or invitation link that is unknown, used or expired. */
  INVALID_RESET_TOKEN = 'INVALID_RESET_TOKEN',
  EMAIL_TAKEN = 'EMAIL_TAKEN',
  USERNAME_TAKEN = 'USERNAME_TAKEN',
  /** The change would leave the organization without an active ADMIN. */
  LAST_ADMIN = 'LAST_ADMIN',
  /** An invitation can only be resent to a user who has not accepted one yet. */
  NOT_INVITED = 'NOT_INVITED',
  /** A migrated user's password belongs to WorkOS. */
  PASSWORD_MANAGED_BY_IDENTITY_PROVIDER = 'PASSWORD_MANAGED_BY_IDENTITY_PROVIDER',
  /** Login: the password was right; the organization's MFA policy requires enrolling a factor first (`mfa` object). */
  MFA_ENROLLMENT_REQUIRED = 'MFA_ENROLLMENT_REQUIRED',
  /** A TOTP code that is wrong or was used already, or a recovery code that is not an unused one. */
  MFA_CODE_INVALID = 'MFA_CODE_INVALID',
  /** A login's second-step token that is unknown, expired, used or killed by five wrong codes. */
  MFA_TOKEN_INVALID = 'MFA_TOKEN_INVALID',
  /** Disabling a factor the organization's MFA policy requires. */
  MFA_REQUIRED_BY_POLICY = 'MFA_REQUIRED_BY_POLICY',
  /** Enrolling while a factor is active. */
  MFA_ALREADY_ENABLED = 'MFA_ALREADY_ENABLED',
  /** Proving or managing a factor the user does not have. */
  MFA_NOT_ENABLED = 'MFA_NOT_ENABLED',
  /** Confirming an enrollment that was never started. */
  MFA_ENROLLMENT_NOT_STARTED = 'MFA_ENROLLMENT_NOT_STARTED',
  /** Power (an impersonation token) needs a second factor proved on this session within 15 minutes. */
  STEP_UP_REQUIRED = 'STEP_UP_REQUIRED',
  USER_NOT_FOUND = 'USER_NOT_FOUND',
  NOT_FOUND = 'NOT_FOUND',
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  TOO_MANY_ATTEMPTS = 'TOO_MANY_ATTEMPTS',
  IDENTITY_PROVIDER_UNAVAILABLE = 'IDENTITY_PROVIDER_UNAVAILABLE',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL_ERROR = 'INTERNAL_ERROR',
}

/** The one place a code becomes an HTTP status. Exhaustive: a new code will not compile until mapped. */
export function httpStatusOf(code: ApiErrorCode): number {
  switch (code) {
    case ApiErrorCode.VALIDATION_FAILED:
    case ApiErrorCode.MALFORMED_JSON:
    case ApiErrorCode.INVALID_STATE:
    case ApiErrorCode.SSO_BROWSER_MISMATCH:
    case ApiErrorCode.INVALID_REDIRECT_URI:
    case ApiErrorCode.SSO_NOT_CONFIGURED:
    case ApiErrorCode.INVALID_SSO_CODE:
    case ApiErrorCode.WORKSPACE_ACCESS_DENIED:
    case ApiErrorCode.WEAK_PASSWORD:
    case ApiErrorCode.CURRENT_PASSWORD_INCORRECT:
    case ApiErrorCode.INVALID_RESET_TOKEN:
      return 400;
    case ApiErrorCode.INVALID_CREDENTIALS:
    case ApiErrorCode.TOKEN_INVALID:
    case ApiErrorCode.TOKEN_EXPIRED:
    case ApiErrorCode.SESSION_REVOKED:
    case ApiErrorCode.SESSION_IDLE_TIMEOUT:
    case ApiErrorCode.SESSION_EXPIRED:
    case ApiErrorCode.INVALID_REFRESH_TOKEN:
    case ApiErrorCode.REFRESH_TOKEN_REUSED:
    case ApiErrorCode.SILENT_RENEWAL_DISABLED:
    case ApiErrorCode.IMPERSONATION_TOKEN_INVALID:
    case ApiErrorCode.SSO_FAILED:
    case ApiErrorCode.MFA_CODE_INVALID:
    case ApiErrorCode.MFA_TOKEN_INVALID:
      return 401;
    case ApiErrorCode.FORBIDDEN:
    case ApiErrorCode.IMPERSONATION_NESTED:
    case ApiErrorCode.IMPERSONATION_FORBIDDEN:
    case ApiErrorCode.IMPERSONATION_RESTRICTED:
    case ApiErrorCode.EMAIL_VERIFICATION_REQUIRED:
    case ApiErrorCode.MFA_REQUIRED:
    case ApiErrorCode.SSO_REQUIRED:
    case ApiErrorCode.USER_NOT_PROVISIONED:
    case ApiErrorCode.ADDITIONAL_VERIFICATION_REQUIRED:
    case ApiErrorCode.MFA_ENROLLMENT_REQUIRED:
    case ApiErrorCode.STEP_UP_REQUIRED:
      return 403;
    case ApiErrorCode.USER_NOT_FOUND:
    case ApiErrorCode.NOT_FOUND:
      return 404;
    case ApiErrorCode.METHOD_NOT_ALLOWED:
      return 405;
    case ApiErrorCode.EMAIL_TAKEN:
    case ApiErrorCode.USERNAME_TAKEN:
    case ApiErrorCode.LAST_ADMIN:
    case ApiErrorCode.NOT_INVITED:
    case ApiErrorCode.PASSWORD_MANAGED_BY_IDENTITY_PROVIDER:
    case ApiErrorCode.MFA_REQUIRED_BY_POLICY:
    case ApiErrorCode.MFA_ALREADY_ENABLED:
    case ApiErrorCode.MFA_NOT_ENABLED:
    case ApiErrorCode.MFA_ENROLLMENT_NOT_STARTED:
      return 409;
    case ApiErrorCode.REQUEST_TIMEOUT:
      return 408;
    case ApiErrorCode.PAYLOAD_TOO_LARGE:
      return 413;
    case ApiErrorCode.UNSUPPORTED_MEDIA_TYPE:
      return 415;
    case ApiErrorCode.REQUEST_HEADERS_TOO_LARGE:
      return 431;
    case ApiErrorCode.TOO_MANY_ATTEMPTS:
      return 429;
    case ApiErrorCode.INTERNAL_ERROR:
      return 500;
    case ApiErrorCode.IDENTITY_PROVIDER_UNAVAILABLE:
    case ApiErrorCode.SERVICE_UNAVAILABLE:
      return 503;
  }
}
